// request_deadline: server.handler_timeout as a deadline on every request's context.
#pragma once

#include "httpkit/context.hpp"
#include "httpkit/handler.hpp"

namespace httpkit::app_detail {

// request_deadline gives each request a context that ends after limit, so handlers
// that wait on r.context() (fiber sleeps, client calls, run_blocking) give up in time.
// Unlike Go's TimeoutHandler it does not answer 503 for the handler: a handler that
// ignores its context still runs to completion.
Middleware request_deadline(Duration limit);

}  // namespace httpkit::app_detail
