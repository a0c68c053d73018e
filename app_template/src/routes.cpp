#include "routes.hpp"

#include <chrono>
#include <string>

#include <httpkit/httpkit.hpp>
#include <httpkit/middleware.hpp>
#include <httpkit/response_controller.hpp>

namespace {{ident}} {
namespace {

// The largest body POST /echo accepts; bigger ones get 413.
constexpr std::int64_t kMaxEchoBytes = 64 * 1024;
// GET /events sends this many ticks, one a second, then ends the stream.
constexpr int kEventTicks = 10;

void home(httpkit::ResponseWriter& w, httpkit::Request&) {
  w.header().set("Content-Type", "text/html; charset=utf-8");
  w.write(R"(<!doctype html>
<html><head><title>{{name}}</title></head>
<body>
  <h1>Hello from {{name}}</h1>
  <p>Edit <code>src/routes.cpp</code> and save: <code>httpkit dev</code> rebuilds and reloads.</p>
  <ul>
    <li><a href="/hello/world">GET /hello/world</a></li>
    <li><a href="/events">GET /events</a> (server-sent events)</li>
    <li><code>curl -d 'hi' localhost:{{port}}/echo</code></li>
  </ul>
</body></html>
)");
}

void hello(httpkit::ResponseWriter& w, httpkit::Request& r) {
  w.header().set("Content-Type", "text/plain; charset=utf-8");
  w.write("Hello, " + std::string(r.path_value("name")) + "!\n");
}

void echo(httpkit::ResponseWriter& w, httpkit::Request& r) {
  auto body = httpkit::read_all(r.body());
  if (!body) {
    const bool too_large = body.error() == httpkit::errc::body_too_large;
    httpkit::error(w, too_large ? "request body too large" : "cannot read the body", too_large ? 413 : 400);
    return;
  }
  w.header().set("Content-Type", "text/plain; charset=utf-8");
  w.write(*body);
}

// events streams server-sent events until the client leaves or the ticks run out.
void events(httpkit::ResponseWriter& w, httpkit::Request& r) {
  w.header().set("Content-Type", "text/event-stream");
  w.header().set("Cache-Control", "no-cache");
  httpkit::ResponseController rc(w);
  for (int i = 1; i <= kEventTicks; ++i) {
    w.write("data: tick " + std::to_string(i) + "\n\n");
    if (rc.flush()) return;  // the client went away
    if (r.context().wait_until(httpkit::Clock::now() + std::chrono::seconds(1))) return;
  }
}

}  // namespace

void register_routes(httpkit::ServeMux& mux) {
  mux.handle_func("GET /{$}", home);
  mux.handle_func("GET /hello/{name}", hello);
  mux.handle("POST /echo", httpkit::middleware::max_bytes(kMaxEchoBytes)(echo));
  mux.handle_func("GET /events", events);
}

}  // namespace {{ident}}
