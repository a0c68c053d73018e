// ServeMux: Go's HTTP request multiplexer (net/http.ServeMux, Go 1.22+ patterns,
// with the behaviour of the current Go release), plus route groups with middleware.
#pragma once

#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "httpkit/handler.hpp"
#include "httpkit/request.hpp"
#include "httpkit/response_writer.hpp"

namespace httpkit {

namespace mux_detail {
struct MuxState;
}

// RouteError is why a registration failed: Go's registerErr error, as a value.
// message is what Go's panic says, e.g.
//   parsing "/{x": at offset 1: bad wildcard segment (must end with '}')
//   pattern "/a" (registered at main.cpp:12) conflicts with pattern "/a"
//   (registered at main.cpp:11):\n/a matches the same requests as /a
// (see docs/decisions/0010-mux-try-handle-error-type.md for why not std::error_code).
struct RouteError {
  enum class Kind {
    invalid_pattern,  // empty or syntactically invalid pattern
    nil_handler,      // an empty Handler
    conflict,         // overlaps a registered pattern with neither more specific
  };
  Kind kind;
  std::string message;
};

// RouteInfo describes one registered route for listings (`--routes`).
struct RouteInfo {
  std::string pattern;         // as registered, group prefix included
  std::source_location where;  // the handle() call that registered it
};

class RouteGroup;

// ServeMux matches each request against registered patterns and calls the handler
// of the most specific one (Go's ServeMux; its documentation applies). Patterns:
//
//   [METHOD ][HOST]/[PATH]     e.g. "GET example.com/b/{bucket}/o/{name...}"
//
// - METHOD (followed by spaces or tabs) matches exactly, except that GET also
//   matches HEAD; no method matches every method.
// - HOST matches the request's host without its port; no host matches every host.
// - PATH segments are literals (matched after unescaping, so "/a%2Fb" is one
//   segment), "{name}" (one segment), "{name...}" (the rest, last only) or "{$}"
//   (the end, after a slash). A trailing "/" matches the whole subtree.
// - Precedence: a pattern with a host beats every pattern without one; otherwise
//   the more specific pattern (matching a strict subset of requests) wins. Two
//   patterns that overlap with neither more specific conflict: registering the
//   second fails, naming both, both registration sites and a path both match.
//
// Requests: the path is cleaned first (not for CONNECT) and an unclean path gets a
// 307 redirect to the clean one; "/tree" gets a 307 redirect to "/tree/" when only
// the subtree is registered (query kept, escaping kept); no match with another
// method gives 405 with Allow; no match at all gives "404 page not found"; the
// request target "*" gives 400. A matched handler sees r.pattern() and
// r.path_value(name).
//
// A ServeMux is a Handler, so muxes nest. Copies share one set of routes, as Go's
// *ServeMux pointers do. Registration and serving may run concurrently from any
// threads; routes cannot be removed.
class ServeMux {
 public:
  ServeMux();

  // handle registers h for pattern; throws std::invalid_argument with
  // RouteError::message when the pattern is invalid or conflicts (Go panics).
  void handle(std::string_view pattern, Handler h, std::source_location where = std::source_location::current());

  // handle_func is handle for any callable taking (ResponseWriter&, Request&).
  template <class F>
  void handle_func(std::string_view pattern, F&& f, std::source_location where = std::source_location::current()) {
    handle(pattern, Handler(std::forward<F>(f)), where);
  }

  // try_handle is handle without throwing: it returns the error, or nullopt when
  // h was registered:  if (auto err = mux.try_handle(p, h)) log(err->message);
  [[nodiscard]] std::optional<RouteError> try_handle(std::string_view pattern, Handler h,
                                                     std::source_location where = std::source_location::current());

  // handler returns the handler that serving r would run and its pattern (Go's
  // ServeMux.Handler): the route's pattern, the pattern a redirect leads to, or ""
  // for 404 and 405. It does not modify r (no path values are set).
  std::pair<Handler, std::string> handler(const Request& r) const;

  // operator() serves r (Go's ServeHTTP): it sets r's pattern and path values and
  // runs the matched handler, or answers 400/404/405/redirects itself.
  void operator()(ResponseWriter& w, Request& r) const;

  // group returns a RouteGroup registering under prefix ("/api/" or
  // "example.com/api"), each handler wrapped in middleware (first is outermost).
  RouteGroup group(std::string_view prefix, std::vector<Middleware> middleware = {}) const;

  // routes lists the registered patterns in registration order.
  std::vector<RouteInfo> routes() const;

 private:
  friend class RouteGroup;
  std::shared_ptr<mux_detail::MuxState> state_;
};

// RouteGroup registers routes under a path prefix (and optionally a host) with
// middleware around only its own handlers, which Go's ServeMux lacks. A route's
// pattern is "[METHOD ]/path"; "/path" is appended to the prefix, so in
// mux.group("/api/", {auth}) the route "GET /users/{id}" registers
// "GET /api/users/{id}" wrapped by auth, and "/" registers the subtree "/api/".
// Groups are cheap values that refer to their mux.
class RouteGroup {
 public:
  void handle(std::string_view pattern, Handler h, std::source_location where = std::source_location::current());
  template <class F>
  void handle_func(std::string_view pattern, F&& f, std::source_location where = std::source_location::current()) {
    handle(pattern, Handler(std::forward<F>(f)), where);
  }
  [[nodiscard]] std::optional<RouteError> try_handle(std::string_view pattern, Handler h,
                                                     std::source_location where = std::source_location::current());
  // group nests: the prefixes join, the middleware lists concatenate (outer first).
  RouteGroup group(std::string_view prefix, std::vector<Middleware> middleware = {}) const;
  // full_pattern returns the pattern a route registers as, or nullopt with err
  // set when route cannot live in this group.
  std::optional<std::string> full_pattern(std::string_view route, std::string& err) const;

 private:
  friend class ServeMux;
  RouteGroup(ServeMux mux, std::string host, std::string path, std::vector<Middleware> middleware);

  ServeMux mux_;
  std::string host_;  // "" or the group's host
  std::string path_;  // the path prefix without its trailing slash ("" for "/")
  std::vector<Middleware> middleware_;
};

}  // namespace httpkit
