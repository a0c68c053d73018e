// The App's life cycle in a real process: probes, flags that exit, and the SIGTERM drain.
#include <catch2/catch.hpp>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <future>

#include "app/app_process.hpp"
#include "support/raw_client.hpp"

namespace {

using namespace std::chrono_literals;
using httpkit::testing::ChildApp;
using httpkit::testing::free_port;
using httpkit::testing::http_get;
using httpkit::testing::wait_for_status;

std::string addr(int port) { return "127.0.0.1:" + std::to_string(port); }

}  // namespace

TEST_CASE("the app serves its routes and both probes") {
  const int port = free_port();
  ChildApp app({"--addr", addr(port), "--debug-addr", ""});
  REQUIRE(wait_for_status(port, "/readyz", 200, 10s));
  CHECK(http_get(port, "/healthz").body == "ok\n");
  CHECK(http_get(port, "/fast").body == "fast");
  CHECK(http_get(port, "/nope").status == 404);
  CHECK(app.stop() == 0);
}

TEST_CASE("the debug listener answers the probes on its own port") {
  const int port = free_port(), debug = free_port();
  ChildApp app({"--addr", addr(port)}, {"APP_DEBUG_ADDR=" + addr(debug)});
  REQUIRE(wait_for_status(debug, "/readyz", 200, 10s));
  CHECK(http_get(debug, "/fast").status == 404);  // application routes stay off the debug port
  app.signal(SIGINT);
  CHECK(app.wait(10s) == 0);
}

TEST_CASE("SIGTERM: readiness off, pre-stop delay, in-flight request completes, exit 0") {
  const int port = free_port();
  ChildApp app({"--addr", addr(port), "--debug-addr", ""}, {"APP_SERVER_PRE_STOP_DELAY=600ms"});
  REQUIRE(wait_for_status(port, "/readyz", 200, 10s));
  auto slow = std::async(std::launch::async, [port] { return http_get(port, "/slow"); });
  std::this_thread::sleep_for(200ms);  // the slow request is in its handler now
  app.signal(SIGTERM);
  // During the pre-stop delay the server still serves, but says it is not ready.
  CHECK(wait_for_status(port, "/readyz", 503, 500ms));
  CHECK(http_get(port, "/fast").body == "fast");
  const auto r = slow.get();
  CHECK(r.status == 200);
  CHECK(r.body == "slow done");
  CHECK(app.wait(10s) == 0);
  CHECK(app.output().find("draining") != std::string::npos);
}

TEST_CASE("a second SIGTERM during the drain closes at once") {
  const int port = free_port();
  ChildApp app({"--addr", addr(port), "--debug-addr", ""}, {"APP_SERVER_SHUTDOWN_GRACE=30s"});
  REQUIRE(wait_for_status(port, "/readyz", 200, 10s));
  auto slow = std::async(std::launch::async, [port] {
    try {
      return http_get(port, "/slow").status;
    } catch (const std::exception&) {
      return -1;  // the connection was closed under the request: what close() does
    }
  });
  std::this_thread::sleep_for(200ms);
  app.signal(SIGTERM);
  std::this_thread::sleep_for(100ms);
  app.signal(SIGTERM);
  CHECK(app.wait(1s) == 1);  // well before the 1.5 s request could finish
  CHECK(slow.get() == -1);
}

TEST_CASE("check-config reports a bad file with its line and exits 2") {
  const auto path = std::filesystem::temp_directory_path() / "lifecycle_bad.toml";
  std::ofstream(path) << "[server]\naddr = \":8080\"\nidle_timeout = \"forever\"\n";
  ChildApp bad({"--config", path.string(), "--check-config"});
  CHECK(bad.wait(10s) == 2);
  CHECK(bad.output().find(path.string() + ":3: server.idle_timeout: invalid duration \"forever\"") != std::string::npos);

  std::ofstream(path) << "[server]\naddr = \":8080\"\n";
  ChildApp good({"--config", path.string(), "--check-config"});
  CHECK(good.wait(10s) == 0);
  CHECK(good.output() == "configuration ok\n");
  std::filesystem::remove(path);
}

TEST_CASE("the routes flag lists the routes with their source lines") {
  ChildApp app({"--routes"});
  REQUIRE(app.wait(10s) == 0);
  const std::string out = app.output();
  CHECK(out.find("GET /readyz") != std::string::npos);
  CHECK(out.find("app_fixture.cpp:12") != std::string::npos);  // GET /fast
  CHECK(out.find("GET /slow") != std::string::npos);
}

TEST_CASE("an address in use fails start-up with exit 1") {
  const int port = free_port();
  ChildApp first({"--addr", addr(port), "--debug-addr", ""});
  REQUIRE(wait_for_status(port, "/readyz", 200, 10s));
  ChildApp second({"--addr", addr(port), "--debug-addr", ""});
  CHECK(second.wait(10s) == 1);
  CHECK(second.output().find("cannot listen on " + addr(port)) != std::string::npos);
  CHECK(first.stop() == 0);
}
