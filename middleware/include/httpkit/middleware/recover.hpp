// recover: turn a handler's exception into a clean 500 (Go's net/http recovers panics
// per connection; this is the middleware form most Go services add).
//
// Place it outermost, so that it also catches what the other middleware throw:
//   chain(h, {recover(), request_id(), access_log(...), metrics.middleware(), labels()})
#pragma once

#include <exception>
#include <functional>
#include <memory>

#include <spdlog/logger.h>

#include "httpkit/handler.hpp"

namespace httpkit::middleware {

// RecoverOptions: on_error is called for every exception recovered (not for
// AbortHandler), on the request's fiber, before the reply: hand it to an error tracker.
// logger receives one error line per exception (default: spdlog's default logger).
struct RecoverOptions {
  std::function<void(std::exception_ptr, const Request&)> on_error;
  std::shared_ptr<spdlog::logger> logger;
};

// recover runs next; if it throws, the exception is logged with the method, the route
// pattern and the request id, on_error is called, and then:
// - nothing was written yet: the client gets "500 Internal Server Error";
// - the response had started: AbortHandler is thrown, so the server closes the
//   connection and the client sees a truncated response rather than a wrong one.
// AbortHandler itself passes through untouched (Go's ErrAbortHandler).
Middleware recover(RecoverOptions options = {});

}  // namespace httpkit::middleware
