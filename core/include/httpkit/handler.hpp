// Handler and Middleware: how request processing composes (Go's http.Handler).
#pragma once

#include <functional>
#include <initializer_list>
#include <stdexcept>

#include "httpkit/request.hpp"
#include "httpkit/response_writer.hpp"

namespace httpkit {

// Handler answers one request. It may block (reads, sleeps, I/O): it runs on its own
// fiber. It should not use w or r after it returns. ServeMux and middleware are Handlers.
using Handler = std::function<void(ResponseWriter&, Request&)>;

// Middleware wraps a handler in another (func(http.Handler) http.Handler).
using Middleware = std::function<Handler(Handler next)>;

// chain wraps h so that the first middleware listed is the outermost:
// chain(h, {recover, log}) == recover(log(h)).
Handler chain(Handler h, std::initializer_list<Middleware> outer_first);

// AbortHandler, thrown by a handler, aborts the response silently: the server closes
// the connection (or resets the stream) without logging (http.ErrAbortHandler).
struct AbortHandler : std::exception {
  const char* what() const noexcept override { return "httpkit: abort handler"; }
};

// Helpers as Go's.
// error replies with code and message as text/plain, X-Content-Type-Options: nosniff
// (http.Error); it deletes Content-Length so a wrapper's stale length is not sent.
void error(ResponseWriter& w, std::string_view message, int code);
// not_found replies "404 page not found" (http.NotFound).
void not_found(ResponseWriter& w, Request& r);
// redirect replies with a redirect to url, relative to the request path (http.Redirect).
void redirect(ResponseWriter& w, Request& r, std::string_view url, int code);

}  // namespace httpkit
