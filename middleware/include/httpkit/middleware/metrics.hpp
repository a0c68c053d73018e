// metrics: Prometheus metrics for requests, connections and the runtime.
//
// Place the middleware inside access_log and outside labels; mount handler() where
// operators scrape ("/metrics", ideally not on the public port); give
// conn_state_hook() to Server::conn_state:
//   Metrics m;  server.conn_state = m.conn_state_hook();
//   mux.handle("GET /metrics", m.handler());
//   server.handler = chain(mux, {recover(), request_id(), access_log(o), m.middleware(), labels()});
#pragma once

#include <functional>
#include <memory>

#include "httpkit/conn.hpp"
#include "httpkit/handler.hpp"
#include "httpkit/server.hpp"

namespace httpkit::middleware {

namespace detail {
struct MetricsState;
}

// Metrics collects, and serves in the Prometheus text format (version 0.0.4):
//   httpkit_http_requests_total{method,route,code}        counter
//   httpkit_http_request_duration_seconds{route}          histogram
//   httpkit_http_response_size_bytes{route}               histogram (body bytes)
//   httpkit_http_requests_in_flight                       gauge
//   httpkit_http_connections{state}                       gauge (from conn_state)
//   httpkit_fibers                                        gauge
//   httpkit_scheduler_stalls_total                        counter
// route is the ServeMux pattern, never the raw path, so series stay few; requests no
// pattern matched (404s, or no mux) have route="unmatched". Methods outside RFC 9110's
// eight are counted as method="OTHER". Copies share one set of metrics; all members are
// thread-safe.
class Metrics {
 public:
  Metrics();
  Middleware middleware();
  Handler handler();
  // conn_state_hook is for Server::conn_state, which calls it on the connection's
  // fiber: each connection's state is tracked on its own thread, without a lock.
  std::function<void(const Conn&, ConnState)> conn_state_hook();

 private:
  std::shared_ptr<detail::MetricsState> state_;
};

}  // namespace httpkit::middleware
