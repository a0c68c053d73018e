// max_bytes: bound the request body (Go's http.MaxBytesReader and MaxBytesHandler).
//
// Place it inside recover and the logging middleware (so a 413 is logged) and outside
// anything that reads the body (idempotency, the handler):
//   chain(h, {recover(), request_id(), access_log(o), max_bytes(1 << 20), idempotency()})
#pragma once

#include <cstdint>
#include <memory>

#include "httpkit/body.hpp"
#include "httpkit/handler.hpp"

namespace httpkit::middleware {

// MaxBytesReader reads at most limit bytes of body; the read that would go past the
// limit fails with errc::body_too_large (Go's *MaxBytesError; limit() is its Limit).
// It also tells the server to close the connection after the response, so that a client
// cannot keep uploading into it (Go's requestTooLarge): "Connection: close" is set if the
// header is not committed yet. Lives as long as the request.
class MaxBytesReader final : public Body {
 public:
  MaxBytesReader(ResponseWriter& w, Body& body, std::int64_t limit) noexcept : w_(w), body_(body), limit_(limit) {}
  IoResult read(std::span<std::byte> buf) override;
  void close() override { body_.close(); }

  std::int64_t limit() const noexcept { return limit_; }
  // hit reports whether a read went past the limit.
  bool hit() const noexcept { return hit_; }

 private:
  ResponseWriter& w_;
  Body& body_;
  std::int64_t limit_;
  std::int64_t read_ = 0;
  bool hit_ = false;
};

// max_bytes_reader returns a MaxBytesReader over body (Go's http.MaxBytesReader).
std::shared_ptr<MaxBytesReader> max_bytes_reader(ResponseWriter& w, Body& body, std::int64_t n);

// max_bytes runs next with r.body() limited to n bytes (Go's MaxBytesHandler). When the
// limit was hit and next let the error escape — it threw a std::system_error carrying
// errc::body_too_large, or returned without writing anything — the client gets
// "413 Request Entity Too Large" and the connection closes.
Middleware max_bytes(std::int64_t n);

// max_bytes_handler is max_bytes(n)(h), Go's spelling.
Handler max_bytes_handler(Handler h, std::int64_t n);

}  // namespace httpkit::middleware
