// metrics: counts by route pattern, and the exposition passes promtool check metrics.
#include <catch2/catch.hpp>

#include <fstream>

#include "httpkit/middleware/metrics.hpp"
#include "httpkit/serve_mux.hpp"
#include "httpkit/test/server.hpp"
#include "support.hpp"

using namespace httpkit;
using namespace httpkit::middleware;

TEST_CASE("metrics by route pattern pass promtool check metrics", "[metrics]") {
  Metrics m;
  ServeMux mux;
  mux.handle("GET /items/{id}", [](ResponseWriter& w, Request&) { w.write(std::string(300, 'x')); });
  mux.handle("POST /items", [](ResponseWriter& w, Request&) { w.write_header(201); });
  mux.handle("GET /metrics", m.handler());
  test::Server srv(chain(mux, {m.middleware()}), [&](Server& s) { s.conn_state = m.conn_state_hook(); });
  for (int i = 0; i < 3; ++i) mwtest::curl(srv.url() + "/items/" + std::to_string(i));
  mwtest::curl("-X POST " + srv.url() + "/items");
  mwtest::curl(srv.url() + "/nothing/here");
  const std::string text = mwtest::curl(srv.url() + "/metrics");

  CHECK(text.find("httpkit_http_requests_total{method=\"GET\",route=\"GET /items/{id}\",code=\"200\"} 3\n") != std::string::npos);
  CHECK(text.find("httpkit_http_requests_total{method=\"POST\",route=\"POST /items\",code=\"201\"} 1\n") != std::string::npos);
  CHECK(text.find("httpkit_http_requests_total{method=\"GET\",route=\"unmatched\",code=\"404\"} 1\n") != std::string::npos);
  CHECK(text.find("/items/1") == std::string::npos);  // never the raw path
  CHECK(text.find("httpkit_http_response_size_bytes_bucket{route=\"GET /items/{id}\",le=\"256\"} 0\n") != std::string::npos);
  CHECK(text.find("httpkit_http_response_size_bytes_bucket{route=\"GET /items/{id}\",le=\"1024\"} 3\n") != std::string::npos);
  CHECK(text.find("httpkit_http_request_duration_seconds_count{route=\"GET /items/{id}\"} 3\n") != std::string::npos);
  CHECK(text.find("httpkit_http_requests_in_flight 1\n") != std::string::npos);  // the scrape itself
  CHECK(text.find("httpkit_http_connections{state=\"active\"} 1\n") != std::string::npos);
  CHECK(text.find("httpkit_fibers ") != std::string::npos);
  CHECK(text.find("httpkit_scheduler_stalls_total ") != std::string::npos);

  const std::string promtool = HTTPKIT_PROMTOOL;
  if (promtool.empty()) FAIL("promtool not found: install Debian's prometheus package (scripts/install-deps.sh)");
  const std::string file = mwtest::temp_path("metrics.txt");
  std::ofstream(file) << text;
  int status = -1;
  const std::string out = mwtest::sh(promtool + " check metrics < " + file, &status);
  INFO(out);
  CHECK(status == 0);
}
