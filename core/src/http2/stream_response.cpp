// StreamResponse: the ResponseWriter rules over HTTP/2 (Go's http2responseWriter).
#include <algorithm>
#include <charconv>
#include <cstring>
#include <stdexcept>

#include "http/swar.hpp"
#include "http2/header_block.hpp"
#include "http2/http2_conn.hpp"
#include "http2/stream.hpp"
#include "httpkit/sniff.hpp"
#include "httpkit/status.hpp"
#include "server/date_cache.hpp"

namespace httpkit::detail {
namespace {

constexpr std::string_view kTrailerPrefix = "Trailer:";

bool passed(TimePoint deadline) { return deadline != TimePoint{} && Clock::now() >= deadline; }

std::int64_t parse_content_length(std::string_view v) noexcept {
  std::int64_t n = -1;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  return ec == std::errc{} && end == v.data() + v.size() && n >= 0 ? n : -1;
}

ssize_t read_data_entry(nghttp2_session*, std::int32_t, std::uint8_t* buf, std::size_t length, std::uint32_t* flags,
                        nghttp2_data_source* source, void*) {
  return static_cast<StreamResponse*>(source->ptr)->read_data(buf, length, flags);
}

// for_each_declared_trailer calls fn for each name in a comma-separated "Trailer" list.
template <class F>
void for_each_declared_trailer(std::string_view declared, F fn) {
  std::size_t pos = 0;
  while (pos <= declared.size()) {
    const auto comma = declared.find(',', pos);
    auto name = declared.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    if (!name.empty()) fn(name);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
}

// What write_header does with a field of the handler's header: note it, or leave it
// out of the head (connection-specific fields, RFC 9113 section 8.2.2, and the
// "Trailer:"-prefixed keys that name trailers). Names are told apart by length first,
// as most names match none of them; Header keeps names canonical, so the exact
// comparison decides almost always.
enum class HeadField { plain, trailer, content_type, content_length, date, left_out };

HeadField head_field(std::string_view name) noexcept {
  auto is = [&](std::string_view canonical) { return name == canonical || equal_fold(name, canonical); };
  if (name.starts_with(kTrailerPrefix)) return HeadField::left_out;
  switch (name.size()) {
    case 4: return is("Date") ? HeadField::date : HeadField::plain;
    case 7:
      if (is("Trailer")) return HeadField::trailer;
      return is("Upgrade") ? HeadField::left_out : HeadField::plain;
    case 10: return is("Connection") || is("Keep-Alive") ? HeadField::left_out : HeadField::plain;
    case 12: return is("Content-Type") ? HeadField::content_type : HeadField::plain;
    case 14: return is("Content-Length") ? HeadField::content_length : HeadField::plain;
    case 16: return is("Proxy-Connection") ? HeadField::left_out : HeadField::plain;
    case 17: return is("Transfer-Encoding") ? HeadField::left_out : HeadField::plain;
    default: return HeadField::plain;
  }
}

}  // namespace

void StreamResponse::write_header(int code) {
  Http2Conn& conn = s_.conn();
  if (wrote_header_) {
    conn.log("http: superfluous response.WriteHeader call (" + std::string(s_.request().method()) + " " +
             std::string(s_.request().request_uri()) + ")");
    return;
  }
  if (code < 100 || code > 999) throw std::invalid_argument("invalid WriteHeader code " + std::to_string(code));
  if (code == kStatusSwitchingProtocols) {
    conn.log("http2: 101 Switching Protocols does not exist in HTTP/2 (RFC 9113 section 8.6); ignored");
    return;
  }
  if (code < 200) {
    send_informational(code);
    return;
  }
  wrote_header_ = true;
  status_ = code;
  is_head_ = s_.request().method() == "HEAD";
  snapshot_head();
}

// snapshot_head builds the response head from header_ as it is now: later changes
// only matter for trailers (Go clones the header at WriteHeader). The bytes are
// copied once, into head_, which nghttp2 serializes from without copying them again.
// The first Content-Length declares the body's length; an invalid one is logged and
// deleted, with any others (Go's WriteHeader does the same).
inline void StreamResponse::snapshot_head() {
  // A handler mostly sets the same fields for every response: when header_ holds the
  // fields this stream's last head was made of, that head and what was noted with it
  // serve again, less the fields commit computed. Comparing costs less than building.
  if (head_reusable_ && head_matches()) {
    head_.truncate(head_end_);
    return;
  }
  head_.clear();
  head_.add_status(status_);
  head_source_.clear();
  declared_trailers_.clear();
  has_content_type_ = has_date_ = false;
  declared_length_ = -1;
  bool every_field = true;  // each field of header_ made a pair of head_, in order
  bool length_seen = false;
  std::string_view invalid_length;
  for (const auto& f : header_) {
    switch (head_field(f.name)) {
      case HeadField::trailer:
        if (!declared_trailers_.empty()) declared_trailers_.push_back(',');
        declared_trailers_.append(f.value);
        break;
      case HeadField::content_type: has_content_type_ = true; break;
      case HeadField::date: has_date_ = true; break;
      case HeadField::content_length:
        if (!length_seen && !f.value.empty()) {
          declared_length_ = parse_content_length(f.value);
          if (declared_length_ < 0) invalid_length = f.value;
        }
        length_seen = true;
        if (invalid_length.data()) {
          every_field = false;
          continue;
        }
        break;
      case HeadField::left_out:
        every_field = false;
        continue;
      case HeadField::plain: break;
    }
    head_.add(f.name, f.value);
    head_source_.append(f.name);
    head_source_.append(f.value);
  }
  if (invalid_length.data()) {
    s_.conn().log("http: invalid Content-Length of \"" + std::string(invalid_length) + "\"");
    header_.del("Content-Length");
  }
  head_end_ = head_.mark();
  head_status_ = status_;
  head_reusable_ = every_field;
}

// head_matches: head_ up to head_end_ is what snapshot_head would build now, as the
// status is the same and header_ holds, in order, the fields it was built from, one
// pair each (no field was left out). head_source_ has their bytes; the pairs, their
// lengths.
inline bool StreamResponse::head_matches() const {
  if (status_ != head_status_ || header_.size() + 1 != head_end_.pairs) return false;
  const nghttp2_nv* pair = head_.data() + 1;  // after ":status"
  std::size_t at = 0;
  for (const auto& f : header_) {
    if (f.name.size() != pair->namelen || f.value.size() != pair->valuelen) return false;
    if (!swar::same_bytes(f.name, head_source_.view(at, f.name.size()))) return false;
    at += f.name.size();
    if (!swar::same_bytes(f.value, head_source_.view(at, f.value.size()))) return false;
    at += f.value.size();
    ++pair;
  }
  return true;
}

// send_informational sends a 1xx HEADERS frame now (RFC 9113 section 8.1: any number
// may precede the final response), with the header as it is (103 Early Hints' Link).
void StreamResponse::send_informational(int code) {
  if (s_.closed() || s_.conn().dead()) return;
  HeaderBlock& block = informational_.emplace_back();
  block.add_status(code);
  block.add_fields(header_, [](std::string_view n) { return n.starts_with(kTrailerPrefix); });
  // An empty list: the writer encodes the block into the frame (take_next_head).
  nghttp2_submit_headers(s_.conn().session(), NGHTTP2_FLAG_NONE, s_.id(), nullptr, nullptr, 0, nullptr);
  s_.conn().kick();
}

IoResult StreamResponse::write(std::span<const std::byte> data) {
  if (!wrote_header_) write_header(kStatusOK);
  if (!body_allowed_for_status(status_)) return {0, errc::body_not_allowed};
  if (declared_length_ >= 0 && written_ + static_cast<std::int64_t>(data.size()) > declared_length_) {
    return {0, errc::content_length};
  }
  if (s_.reset() || s_.conn().dead()) return {0, errc::client_disconnected};
  written_ += static_cast<std::int64_t>(data.size());
  if (committed_ && (is_head_ || !has_data_source_)) return {data.size(), {}};  // HEAD: counted, not sent
  if (out_off_ > 0 && out_off_ * 2 >= out_.size()) {  // drop what nghttp2 took
    const std::size_t left = out_.size() - out_off_;
    std::memmove(out_.data(), out_.data() + out_off_, left);
    out_.truncate(left);
    out_off_ = 0;
  }
  out_.append({reinterpret_cast<const char*>(data.data()), data.size()});
  if (!committed_) {
    if (out_.size() <= kBufferBeforeCommit) return {data.size(), {}};
    commit(/*final=*/false);
  }
  resume();
  if (auto ec = wait_drained(kMaxBuffered)) return {0, ec};
  return {data.size(), {}};
}

// commit submits the response HEADERS. final: the handler has returned, so out_ holds
// the whole body and content-length can be given (Go's writeChunk on handlerDone).
void StreamResponse::commit(bool final) {
  committed_ = true;
  bool declared = false;
  if (!declared_trailers_.empty()) {
    for_each_declared_trailer(declared_trailers_, [&](std::string_view) { declared = true; });
  }
  const bool body_allowed = body_allowed_for_status(status_);
  // Declared trailers aside, only "Trailer:"-prefixed keys make any (collect_trailers).
  const bool trailers = declared || std::any_of(header_.begin(), header_.end(), [](const Header::Field& f) {
                          return f.name.starts_with(kTrailerPrefix);
                        });
  no_trailers_ = final && !trailers;  // header_ cannot change any more: read_data need not look again
  if (declared_length_ < 0 && final && !trailers && body_allowed && (!out_.empty() || !is_head_)) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, out_.size());
    head_.add_computed("content-length", std::string_view(digits, static_cast<std::size_t>(end - digits)));
  }
  if (!has_content_type_ && body_allowed && !out_.empty()) {
    head_.add_computed("content-type", detect_content_type(out_.view()));
  }
  if (!has_date_) head_.add_computed("date", http_date_now());
  if (is_head_ || !body_allowed) {
    out_ = ByteBuffer();  // not sent: its memory goes
    out_off_ = 0;
  }
  has_data_source_ = body_allowed && !is_head_ && (!final || !out_.empty() || trailers);
  if (s_.closed() || s_.conn().dead()) return;
  nghttp2_data_provider provider{};
  provider.source.ptr = this;
  provider.read_callback = read_data_entry;
  // nghttp2 gets an empty list: the writer encodes head_ into the HEADERS frame
  // (take_next_head, Http2Conn::send_head). head_ is not touched again until this
  // stream object's next response, which comes only after nghttp2 closed the stream:
  // by then the frame was sent, or dropped with its stream.
  final_pending_ = true;
  nghttp2_submit_response(s_.conn().session(), s_.id(), nullptr, 0, has_data_source_ ? &provider : nullptr);
  // The callers resume() next, which kicks the writer.
}

// read_data is called by nghttp2 on the writer fiber for the next DATA frame.
inline ssize_t StreamResponse::read_data(std::uint8_t* buf, std::size_t length, std::uint32_t* flags) {
  const std::size_t avail = out_.size() - out_off_;
  if (avail == 0 && !handler_done_) {
    deferred_ = true;
    return NGHTTP2_ERR_DEFERRED;
  }
  const std::size_t n = std::min(length, avail);
  if (n > 0) std::memcpy(buf, out_.data() + out_off_, n);  // out_ may never have had bytes
  out_off_ += n;
  if (out_off_ == out_.size()) out_.clear(), out_off_ = 0;
  s_.wake();  // a writer waiting for room or a flush
  if (handler_done_ && out_off_ == out_.size()) {
    *flags |= NGHTTP2_DATA_FLAG_EOF;
    if (no_trailers_) return static_cast<ssize_t>(n);
    Header trailers;
    if (collect_trailers(trailers)) {
      // Trailers end the stream instead of the last DATA frame (RFC 9113 section 8.1).
      *flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
      trailers_ = HeaderBlock();
      trailers_.add_fields(trailers, [](std::string_view) { return false; });
      trailers_pending_ = true;
      nghttp2_submit_trailer(s_.conn().session(), s_.id(), nullptr, 0);  // encoded by the writer
    }
  }
  return static_cast<ssize_t>(n);
}

// collect_trailers gathers the fields declared in "Trailer" and the "Trailer:"-prefixed
// keys into out, as the HTTP/1 response does; false: there are none.
bool StreamResponse::collect_trailers(Header& out) const {
  if (!declared_trailers_.empty()) {
    for_each_declared_trailer(declared_trailers_, [&](std::string_view name) {
      for (auto v : header_.values(name)) out.add(name, v);
    });
  }
  for (const auto& f : header_) {
    if (f.name.starts_with(kTrailerPrefix)) out.add(f.name.substr(kTrailerPrefix.size()), f.value);
  }
  return !out.empty();
}

inline void StreamResponse::resume() {
  if (deferred_ && !s_.closed() && !s_.conn().dead()) {
    deferred_ = false;
    nghttp2_session_resume_data(s_.conn().session(), s_.id());
  }
  s_.conn().kick();
}

// wait_drained parks the handler until nghttp2 took all but `below` bytes, the client
// reset the stream, the connection died, or the write deadline passed.
std::error_code StreamResponse::wait_drained(std::size_t below) {
  while (out_.size() - out_off_ > below) {
    if (s_.reset() || s_.conn().dead()) return errc::client_disconnected;
    if (s_.closed()) return errc::closed;
    if (passed(s_.write_deadline)) return errc::timeout;
    s_.wait(s_.write_deadline);
  }
  return {};
}

std::error_code StreamResponse::flush() {
  if (!wrote_header_) write_header(kStatusOK);
  if (!committed_) commit(/*final=*/false);
  resume();
  if (s_.reset() || s_.conn().dead()) return errc::client_disconnected;
  return wait_drained(0);
}

// finish: a handler that threw resets the stream (Go: RST_STREAM INTERNAL_ERROR); one
// that declared more bytes than it wrote too, since the client would wait forever.
void StreamResponse::finish(bool aborted) {
  handler_done_ = true;
  Http2Conn& conn = s_.conn();
  auto short_body = [&] {
    return declared_length_ >= 0 && written_ < declared_length_ && !is_head_ && body_allowed_for_status(status_);
  };
  if (!aborted) {
    if (!wrote_header_) write_header(kStatusOK);
    if (!committed_) commit(/*final=*/true);
  }
  if ((aborted || short_body()) && !s_.closed()) {
    nghttp2_submit_rst_stream(conn.session(), NGHTTP2_FLAG_NONE, s_.id(), NGHTTP2_INTERNAL_ERROR);
  }
  resume();
}

std::error_code StreamResponse::set_read_deadline(TimePoint t) {
  s_.read_deadline = t;
  s_.wake();
  return {};
}

std::error_code StreamResponse::set_write_deadline(TimePoint t) {
  s_.write_deadline = t;
  s_.wake();
  return {};
}

}  // namespace httpkit::detail
