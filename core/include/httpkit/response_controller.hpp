// ResponseController: reach a ResponseWriter's optional capabilities through
// middleware wrappers (Go's http.ResponseController, net/http/responsecontroller.go).
#pragma once

#include "httpkit/conn.hpp"  // Result<Hijacked> owns a Conn
#include "httpkit/context.hpp"
#include "httpkit/error.hpp"
#include "httpkit/response_writer.hpp"

namespace httpkit {

// ResponseController finds a capability by walking w, w.unwrap(), ... and using the
// first writer that implements it (dynamic_cast); when none does, the call returns
// errc::not_supported. A middleware that must see a capability used (a compressing
// writer that flushes its encoder first) implements it itself and forwards with its
// own ResponseController over unwrap(). Like w, not for use after the handler returns.
class ResponseController {
 public:
  explicit ResponseController(ResponseWriter& w) noexcept : w_(&w) {}

  // flush sends buffered data to the client now.
  std::error_code flush();
  // hijack takes the connection over (HTTP/1 only): the Conn and any bytes the server
  // had read past the request; the server forgets the connection (ConnState Hijacked).
  Result<Hijacked> hijack();
  // set_read_deadline and set_write_deadline override the server's timeouts for this
  // request; a zero TimePoint clears the deadline. A deadline in the past makes
  // blocked and later reads (writes) fail with errc::timeout.
  std::error_code set_read_deadline(TimePoint t);
  std::error_code set_write_deadline(TimePoint t);
  // enable_full_duplex lets the handler read the request body after it started writing.
  std::error_code enable_full_duplex();

 private:
  template <class Capability>
  Capability* find() const noexcept;

  ResponseWriter* w_;
};

}  // namespace httpkit
