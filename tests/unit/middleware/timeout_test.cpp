// timeout: Go's TimeoutHandler — 503 for slow handlers, buffered answers for fast ones,
// later writes fail with handler_timeout.
#include <catch2/catch.hpp>

#include <atomic>

#include "httpkit/event.hpp"
#include "httpkit/middleware/timeout.hpp"
#include "httpkit/response_controller.hpp"
#include "httpkit/runtime.hpp"
#include "httpkit/test/server.hpp"
#include "support/raw_client.hpp"

using namespace httpkit;
using namespace httpkit::middleware;
using httpkit::testing::RawClient;

TEST_CASE("timeout: a slow handler gets 503 in time; its later writes fail", "[timeout]") {
  std::atomic<int> late_write{0};
  std::atomic<bool> ctx_done{false};
  Event handler_finished;
  Handler slow = [&](ResponseWriter& w, Request& r) {
    w.header().set("X-Handler", "1");
    w.write("never sent");
    r.context().wait_until(Clock::now() + std::chrono::seconds(5));
    ctx_done = r.context().err() == errc::deadline_exceeded;
    sleep_for(std::chrono::milliseconds(200));  // keeps working after the 503 went out
    late_write = w.write("late").err == errc::handler_timeout ? 1 : 2;
    handler_finished.set();
  };
  test::Server srv(timeout(std::chrono::milliseconds(200), "too slow")(slow));
  RawClient c(srv.port());
  const auto start = Clock::now();
  c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  auto res = c.read_response();
  const auto took = Clock::now() - start;
  CHECK(res.status == 503);
  CHECK(res.body == "too slow");
  CHECK_FALSE(res.header("X-Handler").has_value());
  CHECK(took < std::chrono::milliseconds(380));  // before the handler returned
  CHECK(handler_finished.wait_for(std::chrono::seconds(5)));
  CHECK(ctx_done);
  CHECK(late_write == 1);
  CHECK(c.closed_by_peer());
}

TEST_CASE("timeout: a fast handler's buffered response goes out whole", "[timeout]") {
  test::Server srv(timeout(std::chrono::seconds(5), "")([](ResponseWriter& w, Request&) {
    w.header().set("X-Handler", "1");
    w.write_header(202);
    w.write("fast");
  }));
  RawClient c(srv.port());
  c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  auto res = c.read_response();
  CHECK(res.status == 202);
  CHECK(res.body == "fast");
  CHECK(res.header("X-Handler") == "1");
  CHECK(res.header("Content-Length") == "4");
}

TEST_CASE("timeout: after a flush a timeout aborts the response", "[timeout]") {
  test::Server srv(timeout(std::chrono::milliseconds(100), "")([](ResponseWriter& w, Request& r) {
    w.write("streamed;");
    ResponseController(w).flush();
    r.context().wait();
    w.write("after");
  }));
  RawClient c(srv.port());
  c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string all = c.read_all();
  CHECK(all.find("streamed;") != std::string::npos);
  CHECK(all.find("503") == std::string::npos);
  CHECK(all.find("after") == std::string::npos);
  CHECK(all.find("\r\n0\r\n\r\n") == std::string::npos);  // truncated, not complete
}
