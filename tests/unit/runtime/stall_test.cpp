#include <catch2/catch.hpp>

#include <memory>
#include <mutex>
#include <sstream>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "httpkit/runtime.hpp"
#include "support/run_in_fiber.hpp"

using namespace httpkit;
using namespace std::chrono_literals;
using httpkit::testing::run_in_fiber;

namespace {

// busy keeps the thread without parking, as a handler doing blocking work would.
void busy(std::chrono::milliseconds d) {
  const auto end = Clock::now() + d;
  while (Clock::now() < end) {
  }
}

}  // namespace

TEST_CASE("a fiber holding its thread over 100 ms is reported once per site") {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("stall-test", sink));
  const auto stalls_before = runtime::stats().stalls;
  run_in_fiber([] {
    for (int i = 0; i < 2; ++i) {
      runtime::set_fiber_site("GET /stall-test/{id}");
      busy(150ms);
      yield();  // end the stall: it is measured when the fiber gives the thread back
    }
    runtime::set_fiber_site("GET /fine");
    for (int i = 0; i < 5; ++i) {
      busy(10ms);
      yield();
    }
  });
  spdlog::set_default_logger(previous);
  const std::string log = out.str();
  CHECK(runtime::stats().stalls - stalls_before == 2);
  const auto first = log.find("GET /stall-test/{id}");
  REQUIRE(first != std::string::npos);
  CHECK(log.find("GET /stall-test/{id}", first + 1) == std::string::npos);  // once per site
  CHECK(log.find("GET /fine") == std::string::npos);
}
