#include "server/response.hpp"

#include <charconv>
#include <stdexcept>
#include <string>

#include "http1/serializer.hpp"
#include "httpkit/sniff.hpp"
#include "httpkit/status.hpp"
#include "server/body_reader.hpp"
#include "server/date_cache.hpp"
#include "server/http1_conn.hpp"

namespace httpkit::detail {
namespace {

// kTrailerPrefix marks a header key set after the body as a trailer (Go's TrailerPrefix).
constexpr std::string_view kTrailerPrefix = "Trailer:";

// Fields the server computes itself at commit time; the handler's values for them are
// read from header_ instead of being copied verbatim.
bool computed_field(std::string_view name) noexcept {
  return name == "Transfer-Encoding" || name == "Connection" || name.starts_with(kTrailerPrefix);
}

std::int64_t parse_content_length(std::string_view v) noexcept {
  std::int64_t n = -1;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc{} || end != v.data() + v.size() || n < 0) return -1;
  return n;
}

}  // namespace

void Response::start(Http1Conn& conn, Request& req, BodyReader& body) {
  conn_ = &conn;
  req_ = &req;
  body_ = &body;
  header_.clear();
  pending_.clear();
  status_ = 0;
  declared_length_ = -1;
  written_ = 0;
  err_.clear();
  wrote_header_ = committed_ = chunked_ = close_after_ = full_duplex_ = hijacked_ = handler_done_ = false;
  is_head_ = req.method() == "HEAD";
  head_mark_ = conn.out().size();
}

void Response::write_header(int code) {
  if (hijacked_) {
    conn_->log("http: response.WriteHeader on hijacked connection");
    return;
  }
  if (wrote_header_) {
    conn_->log("http: superfluous response.WriteHeader call (" + std::string(req_->method()) + " " +
               std::string(req_->request_uri()) + ")");
    return;
  }
  if (code < 100 || code > 999) throw std::invalid_argument("invalid WriteHeader code " + std::to_string(code));
  if (code < 200 && code != kStatusSwitchingProtocols) {
    write_informational(code);
    return;
  }
  wrote_header_ = true;
  status_ = code;
  // One pass over the handler's fields, as they are now (Go clones the header at
  // WriteHeader: later changes only matter for trailers), then one for the bytes.
  snapshot_ = {};
  std::size_t bytes = 64;  // the status line
  for (const auto& f : header_) {
    bytes += f.name.size() + f.value.size() + 4;
    note_field(f);
  }
  if (!snapshot_.content_length.empty()) {
    declared_length_ = parse_content_length(snapshot_.content_length);
    if (declared_length_ < 0) {
      conn_->log("http: invalid Content-Length of \"" + std::string(snapshot_.content_length) + "\"");
      header_.del("Content-Length");
    }
  }
  ByteBuffer& out = conn_->out();
  out.reserve(out.size() + bytes);  // one grow at most for the whole head
  http1::append_status_line(out, "HTTP/1.1", code);
  http1::append_header_fields(out, header_, computed_field);
}

// note_field records what commit needs to know of one of the handler's fields. Stored
// names are canonical (Header canonicalises them), so plain comparison finds them.
void Response::note_field(const Header::Field& f) noexcept {
  switch (f.name.size()) {
    case 4:
      snapshot_.date |= f.name == "Date";
      break;
    case 10:
      if (f.name == "Connection") snapshot_.connection_close |= header_values_contain_token(f.value, "close");
      break;
    case 12:
      snapshot_.content_type |= f.name == "Content-Type";
      break;
    case 14:
      if (f.name == "Content-Length" && !snapshot_.has_content_length) {
        snapshot_.has_content_length = true;  // the first value counts, as Header::get's
        snapshot_.content_length = f.value;
      }
      break;
    case 17:
      snapshot_.transfer_encoding |= f.name == "Transfer-Encoding";
      break;
    default:
      break;
  }
}

// write_informational sends a 1xx response at once, with the header as it is now
// (103 Early Hints carries Link fields); the final response follows later.
void Response::write_informational(int code) {
  ByteBuffer& out = conn_->out();
  http1::append_status_line(out, "HTTP/1.1", code);
  http1::append_header_fields(out, header_, computed_field);
  out.append("\r\n");
  if (auto ec = conn_->write_out()) err_ = ec;
  head_mark_ = out.size();
}

IoResult Response::write(std::span<const std::byte> data) {
  if (hijacked_) return {0, errc::hijacked};
  if (!wrote_header_) write_header(kStatusOK);
  if (!body_allowed_for_status(status_)) return {0, errc::body_not_allowed};
  if (declared_length_ >= 0 && written_ + static_cast<std::int64_t>(data.size()) > declared_length_) {
    return {0, errc::content_length};  // nothing is sent (Go's ErrContentLength)
  }
  if (err_) return {0, err_};
  written_ += static_cast<std::int64_t>(data.size());
  if (!committed_) {
    if (pending_.size() + data.size() <= kBufferBeforeChunking) {
      pending_.append(reinterpret_cast<const char*>(data.data()), data.size());
      return {data.size(), {}};
    }
    commit(/*final=*/false);
  }
  return send_body(data);
}

// send_body frames data (chunked or raw) after the committed head; HEAD eats it.
IoResult Response::send_body(std::span<const std::byte> data) {
  if (is_head_ || data.empty()) return {data.size(), {}};
  ByteBuffer& out = conn_->out();
  if (chunked_) http1::append_chunk_size(out, data.size());
  if (data.size() >= kBufferBeforeChunking) {
    // Large writes go out directly with the buffered bytes in one writev.
    if (auto ec = conn_->write_out(data, chunked_ ? std::string_view("\r\n") : std::string_view())) {
      err_ = ec;
      return {0, ec};
    }
    return {data.size(), {}};
  }
  out.append({reinterpret_cast<const char*>(data.data()), data.size()});
  if (chunked_) out.append("\r\n");
  if (out.size() >= Http1Conn::kOutputFlushBytes) {
    if (auto ec = conn_->write_out()) {
      err_ = ec;
      return {0, ec};
    }
  }
  return {data.size(), {}};
}

bool Response::has_trailers() const noexcept {
  for (const auto& f : header_) {
    if (f.name == "Trailer" || f.name.starts_with(kTrailerPrefix)) return true;
  }
  return false;
}

// handle_unread_body follows Go's chunkWriter.writeHeader: before answering, read and
// discard a small unread request body so the connection can be reused; if the client
// was never told to continue, or the body is too large, close after the response.
void Response::handle_unread_body() {
  if (full_duplex_ || body_->eof() || body_->broken()) {
    if (body_->broken()) close_after_ = true;
    return;
  }
  if (body_->continue_pending()) {
    close_after_ = true;  // the client waits for 100 Continue: its body never comes
    return;
  }
  if (!body_->drain(BodyReader::kMaxPostHandlerReadBytes)) close_after_ = true;
  body_->close();
}

// commit writes the response head. final: the handler has returned, so the whole body
// is in pending_ and its length is known.
void Response::commit(bool final) {
  committed_ = true;
  handle_unread_body();
  ByteBuffer& out = conn_->out();
  decide_framing(final, out);
  if (!snapshot_.content_type && !snapshot_.transfer_encoding && body_allowed_for_status(status_) &&
      !pending_.empty()) {
    http1::append_header_line(out, "Content-Type", detect_content_type(pending_));
  }
  if (!snapshot_.date) http1::append_header_line(out, "Date", http_date_now());
  const bool close = close_after_ || req_->close() || conn_->closing_after_request() || snapshot_.connection_close;
  if (close) {
    close_after_ = true;
    http1::append_header_line(out, "Connection", "close");
  } else if (!req_->proto_at_least(1, 1)) {
    http1::append_header_line(out, "Connection", "keep-alive");  // HTTP/1.0 keep-alive was asked
  }
  out.append("\r\n");
  if (!pending_.empty()) {
    send_body(std::as_bytes(std::span(pending_.data(), pending_.size())));
    pending_.clear();  // keeps its capacity for the next request
  }
}

// decide_framing picks Content-Length, chunked or close-delimited (RFC 9112 section 6).
void Response::decide_framing(bool final, ByteBuffer& out) {
  if (!body_allowed_for_status(status_)) return;
  if (declared_length_ >= 0) return;  // the handler's Content-Length is already in the head
  const bool trailers = has_trailers();
  if (final && !trailers && (!is_head_ || !pending_.empty())) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, pending_.size());
    http1::append_header_line(out, "Content-Length", std::string_view(digits, static_cast<std::size_t>(end - digits)));
    declared_length_ = static_cast<std::int64_t>(pending_.size());
    return;
  }
  if (is_head_) return;
  if (req_->proto_at_least(1, 1)) {
    chunked_ = true;
    http1::append_header_line(out, "Transfer-Encoding", "chunked");
    return;
  }
  close_after_ = true;  // HTTP/1.0 has no chunking: the body ends when the connection does
}

std::error_code Response::flush() {
  if (hijacked_) return errc::hijacked;
  if (!wrote_header_) write_header(kStatusOK);
  if (!committed_) commit(/*final=*/false);
  if (err_) return err_;
  if (auto ec = conn_->write_out()) err_ = ec;
  return err_;
}

void Response::append_trailers(ByteBuffer& out) {
  trailers_.clear();
  for (auto declared : header_.values("Trailer")) {
    std::size_t pos = 0;
    while (pos <= declared.size()) {
      auto comma = declared.find(',', pos);
      auto name = declared.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
      while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
      while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
      for (auto v : header_.values(name)) {
        if (!name.empty()) trailers_.add(name, v);
      }
      if (comma == std::string_view::npos) break;
      pos = comma + 1;
    }
  }
  for (const auto& f : header_) {
    if (f.name.starts_with(kTrailerPrefix)) trailers_.add(f.name.substr(kTrailerPrefix.size()), f.value);
  }
  http1::append_last_chunk(out, trailers_);
}

void Response::finish() {
  handler_done_ = true;
  if (hijacked_) return;
  if (!wrote_header_) write_header(kStatusOK);
  if (!committed_) commit(/*final=*/true);
  if (chunked_ && !err_) append_trailers(conn_->out());
  if (declared_length_ >= 0 && written_ < declared_length_ && !is_head_ && body_allowed_for_status(status_)) {
    close_after_ = true;  // a short body: the client would wait for bytes that never come
  }
  if (!body_->eof()) handle_unread_body();
  if (err_) close_after_ = true;
}

Result<Hijacked> Response::hijack() {
  if (hijacked_) return errc::hijacked;
  if (wrote_header_ && !committed_) commit(/*final=*/false);
  if (auto ec = conn_->write_out()) return ec;
  hijacked_ = true;
  return conn_->hijack();
}

std::error_code Response::set_read_deadline(TimePoint t) {
  conn_->net().set_read_deadline(t);
  return {};
}

std::error_code Response::set_write_deadline(TimePoint t) {
  conn_->net().set_write_deadline(t);
  return {};
}

std::error_code Response::enable_full_duplex() {
  full_duplex_ = true;
  return {};
}

}  // namespace httpkit::detail
