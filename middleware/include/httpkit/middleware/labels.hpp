// labels: label each request's fiber for the CPU profiler (Go's pprof.Do in middleware).
//
// labels reads r.pattern(), which a ServeMux sets when it routes: place it where routing
// has happened, as route-group middleware or around a handler:
//   mux.group("/", {labels()}).handle("GET /burn", burn);
// Around a whole ServeMux the pattern is not known yet and only method is labelled
// (docs/decisions/0024). Cheap enough to leave on: the label sets are cached per thread
// and labelling a fiber is a pointer swap.
#pragma once

#include "httpkit/handler.hpp"

namespace httpkit::middleware {

// labels sets the fiber labels {route: r.pattern(), method: r.method()} while next runs
// (route is left out when empty) and restores the previous labels after. Fibers the
// handler starts with go() inherit them. Samples of /debug/pprof/profile carry them as
// tags: `go tool pprof -tags` shows route=GET /burn.
Middleware labels();

}  // namespace httpkit::middleware
