// Body: a request or response body as a stream of bytes (Go's io.ReadCloser).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "httpkit/error.hpp"

namespace httpkit {

// Body is read in order until read returns errc::eof. A read returns n > 0 bytes, or
// n == 0 with an error; a body that ends early reports errc::unexpected_eof.
// Bodies are read by the one fiber that serves the request; not thread-safe.
class Body {
 public:
  virtual ~Body() = default;
  virtual IoResult read(std::span<std::byte> buf) = 0;
  // close releases the body; later reads fail with errc::closed. The server closes
  // request bodies itself after the handler returns.
  virtual void close() {}
};

// StringBody serves a fixed string (strings.NewReader); used by test::new_request.
class StringBody final : public Body {
 public:
  explicit StringBody(std::string data) : data_(std::move(data)) {}
  IoResult read(std::span<std::byte> buf) override;
  void close() override { closed_ = true; }

 private:
  std::string data_;
  std::size_t pos_ = 0;
  bool closed_ = false;
};

// no_body is an empty body (http.NoBody); reads return errc::eof.
Body& no_body() noexcept;

// read_all reads body to its end (io.ReadAll). On error the bytes read so far are lost,
// as the error says more than a partial body.
Result<std::string> read_all(Body& body);

}  // namespace httpkit
