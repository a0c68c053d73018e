// labels: label each request's fiber for the CPU profiler (Go's pprof.Do in middleware).
//
// Place it anywhere in a chain, also around a whole ServeMux:
//   server.handler = chain(mux, {recover(), request_id(), access_log(...), metrics.middleware(), labels()});
// It labels the fiber with the method at once and, when the mux inside routes the request,
// with the route pattern too: it installs itself as the request's RouteObserver, which
// Request::set_pattern calls (docs/decisions/0024). Cheap enough to leave on: the label
// sets are cached per thread by (method, pattern) and labelling a fiber is a pointer swap.
#pragma once

#include "httpkit/handler.hpp"

namespace httpkit::middleware {

// labels sets the fiber labels {method: r.method(), route: r.pattern()} while next runs
// (route is left out while the pattern is empty) and restores the previous labels after.
// When a ServeMux inside next routes the request, the labels gain route=<pattern> and the
// fiber's stall-report site (runtime::set_fiber_site) becomes "METHOD path-pattern", e.g.
// "GET /users/{id}"; a 404 or 405 keeps the method label only. Fibers the handler starts
// with go() inherit the labels. Samples of /debug/pprof/profile carry them as tags:
// `go tool pprof -tags` shows route=GET /burn.
Middleware labels();

}  // namespace httpkit::middleware
