#include "server/body_reader.hpp"

#include <algorithm>
#include <cstring>

#include "server/http1_conn.hpp"

namespace httpkit::detail {

void BodyReader::start(Http1Conn& conn, const http1::BodyFraming& framing, Header& trailer) noexcept {
  conn_ = &conn;
  trailer_ = &trailer;
  kind_ = framing.kind;
  remaining_ = framing.kind == http1::BodyKind::content_length ? framing.length : 0;
  chunked_.reset();
  err_.clear();
  eof_ = kind_ == http1::BodyKind::none || (kind_ == http1::BodyKind::content_length && remaining_ == 0);
  closed_ = false;
  expect_continue_ = framing.expect_continue && !eof_;
  continue_sent_ = false;
}

IoResult BodyReader::fail(std::error_code ec) noexcept {
  err_ = ec;
  return {0, ec};
}

IoResult BodyReader::read(std::span<std::byte> buf) {
  if (closed_) return {0, errc::closed};
  if (err_) return {0, err_};
  if (eof_) return {0, errc::eof};
  if (buf.empty()) return {};
  if (expect_continue_ && !continue_sent_) {
    continue_sent_ = true;
    if (auto ec = conn_->send_continue()) return fail(ec);
  }
  return kind_ == http1::BodyKind::chunked ? read_chunked(buf) : read_content_length(buf);
}

IoResult BodyReader::read_content_length(std::span<std::byte> buf) {
  ReadBuffer& in = conn_->input();
  const auto want = static_cast<std::size_t>(std::min<std::int64_t>(remaining_, static_cast<std::int64_t>(buf.size())));
  std::size_t n = 0;
  if (!in.empty()) {
    n = std::min(want, in.size());
    std::memcpy(buf.data(), in.view().data(), n);
    in.consume(n);
  } else {
    // Nothing buffered: read straight into the caller's buffer, no copy.
    IoResult r = conn_->read_body_bytes(buf.first(want));
    if (r.err) return fail(r.err == errc::eof ? make_error_code(errc::unexpected_eof) : r.err);
    n = r.n;
  }
  remaining_ -= static_cast<std::int64_t>(n);
  if (remaining_ == 0) eof_ = true;
  return {n, {}};
}

IoResult BodyReader::read_chunked(std::span<std::byte> buf) {
  ReadBuffer& in = conn_->input();
  for (;;) {
    if (!in.empty()) {
      const auto step = chunked_.feed(in.view(), *trailer_, kMaxTrailerBytes);
      if (step.status == http1::ChunkedDecoder::Status::data) {
        // What does not fit in buf stays in the input and is handed back to the decoder.
        const std::size_t n = std::min(step.data.size(), buf.size());
        std::memcpy(buf.data(), step.data.data(), n);
        const std::size_t untaken = step.data.size() - n;
        in.consume(step.consumed - untaken);
        chunked_.unread(untaken);
        return {n, {}};
      }
      in.consume(step.consumed);
      if (step.status == http1::ChunkedDecoder::Status::done) {
        eof_ = true;
        return {0, errc::eof};
      }
      if (step.status == http1::ChunkedDecoder::Status::error) return fail(errc::bad_request);
    }
    if (auto ec = conn_->fill_input()) return fail(ec == errc::eof ? make_error_code(errc::unexpected_eof) : ec);
  }
}

bool BodyReader::drain(std::int64_t limit) {
  // Read up to limit + 1 bytes (Go's CopyN(io.Discard, body, max+1)): a body that still
  // has bytes after limit is too large to drain.
  std::byte scratch[4096];
  while (!eof_ && !err_ && !closed_ && limit >= 0) {
    const auto want = static_cast<std::size_t>(std::min<std::int64_t>(limit + 1, sizeof scratch));
    IoResult r = read(std::span(scratch, want));
    if (r.err) break;
    limit -= static_cast<std::int64_t>(r.n);
  }
  return eof_;
}

}  // namespace httpkit::detail
