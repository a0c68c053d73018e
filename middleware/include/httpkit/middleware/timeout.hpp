// timeout: answer 503 when a handler is too slow (Go's http.TimeoutHandler).
//
// Place it innermost, right around the handler (or a route group), inside compress:
// what it buffers is the handler's own output.
//   chain(h, {recover(), request_id(), access_log(o), metrics.middleware(), labels(),
//             compress(), timeout(5s, "too slow")})
#pragma once

#include <string>

#include "httpkit/context.hpp"
#include "httpkit/handler.hpp"

namespace httpkit::middleware {

// timeout runs next with a context that ends after d and buffers what next writes.
// If next finishes in time, the buffered response is sent. Otherwise the client gets
// "503 Service Unavailable" with message as the body (Go's default HTML page when
// message is empty) and "Connection: close"; next's context is done
// (errc::deadline_exceeded), and its later writes fail with errc::handler_timeout.
//
// Unlike Go (golang/go#69777), capabilities stay usable through unwrap():
// - flush sends what is buffered and streams from then on; a timeout after that can no
//   longer send a 503, so the connection is aborted instead;
// - hijack commits what is buffered, hands the connection over and stops the timer;
// - deadlines and full duplex go straight to the connection.
//
// next runs on the request's fiber and the 503 is sent by a watcher fiber on the same
// scheduler, so the 503 goes out when next parks (I/O, sleep, context wait); a handler
// that spins without parking is answered when it returns (docs/decisions/0025).
// The middleware returns only after next returns, so next never outlives the request.
Middleware timeout(Duration d, std::string message);

}  // namespace httpkit::middleware
