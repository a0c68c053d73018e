// BodyReader: the request body of an HTTP/1.1 request, read off the connection.
#pragma once

#include <cstdint>

#include "http1/parser.hpp"
#include "httpkit/body.hpp"

namespace httpkit::detail {

class Http1Conn;

// BodyReader serves a Content-Length or chunked body from the connection's buffer and
// socket. The first read answers "Expect: 100-continue" (Go sends 100 Continue only when
// the handler reads, so a handler that rejects the upload never invites it). Errors are
// sticky: once framing breaks, the connection cannot be reused.
class BodyReader final : public Body {
 public:
  // kMaxPostHandlerReadBytes: after the handler, an unread body up to this size is
  // read and discarded to keep the connection; a larger one closes it (Go's
  // maxPostHandlerReadBytes, 256 KiB).
  static constexpr std::int64_t kMaxPostHandlerReadBytes = 256 << 10;
  // kMaxTrailerBytes bounds the trailer section of a chunked body.
  static constexpr std::size_t kMaxTrailerBytes = 64 << 10;

  void start(Http1Conn& conn, const http1::BodyFraming& framing, Header& trailer) noexcept;
  IoResult read(std::span<std::byte> buf) override;
  // close makes later reads fail (Go's "http: invalid Read on closed Body").
  void close() override { closed_ = true; }

  bool eof() const noexcept { return eof_; }
  bool broken() const noexcept { return static_cast<bool>(err_); }
  bool continue_pending() const noexcept { return expect_continue_ && !continue_sent_; }
  // drain reads and discards up to limit bytes; true when the body reached its end.
  bool drain(std::int64_t limit);

 private:
  IoResult read_content_length(std::span<std::byte> buf);
  IoResult read_chunked(std::span<std::byte> buf);
  IoResult fail(std::error_code ec) noexcept;

  Http1Conn* conn_ = nullptr;
  Header* trailer_ = nullptr;
  http1::BodyKind kind_ = http1::BodyKind::none;
  std::int64_t remaining_ = 0;
  http1::ChunkedDecoder chunked_;
  std::error_code err_;
  bool eof_ = true;
  bool closed_ = false;
  bool expect_continue_ = false;
  bool continue_sent_ = false;
};

}  // namespace httpkit::detail
