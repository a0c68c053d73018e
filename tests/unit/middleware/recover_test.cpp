// recover: a throw before the first write is a clean 500; after it, an aborted
// connection; AbortHandler passes untouched.
#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "httpkit/middleware/recover.hpp"
#include "httpkit/middleware/request_id.hpp"
#include "httpkit/response_controller.hpp"
#include "httpkit/test/server.hpp"
#include "support/raw_client.hpp"

using namespace httpkit;
using namespace httpkit::middleware;
using httpkit::testing::RawClient;

TEST_CASE("recover: before and after the first write, and AbortHandler", "[recover]") {
  std::ostringstream logged;
  auto logger = std::make_shared<spdlog::logger>("recover-test", std::make_shared<spdlog::sinks::ostream_sink_mt>(logged));
  std::atomic<int> hooked{0};
  RecoverOptions o;
  o.logger = logger;
  o.on_error = [&](std::exception_ptr e, const Request& r) {
    try {
      std::rethrow_exception(e);
    } catch (const std::runtime_error& ex) {
      if (std::string(ex.what()) == "boom" && r.method() == "GET") ++hooked;
    }
  };
  Handler h = chain(
      [](ResponseWriter& w, Request& r) {
        if (r.url().path == "/before") throw std::runtime_error("boom");
        if (r.url().path == "/abort") throw AbortHandler{};
        w.write("partial");
        ResponseController(w).flush();
        throw std::runtime_error("boom");
      },
      {recover(o), request_id()});
  test::Server srv(h);

  SECTION("before the first write: 500, logged with the request id, hook called") {
    RawClient c(srv.port());
    c.send("GET /before HTTP/1.1\r\nHost: x\r\nX-Request-Id: req-42\r\n\r\n");
    auto res = c.read_response();
    CHECK(res.status == 500);
    CHECK(res.body == "Internal Server Error\n");
    CHECK(hooked == 1);
    logger->flush();
    CHECK(logged.str().find("boom") != std::string::npos);
    CHECK(logged.str().find("request_id=req-42") != std::string::npos);
    CHECK(logged.str().find("method=GET") != std::string::npos);
    c.send("GET /before HTTP/1.1\r\nHost: x\r\n\r\n");  // the connection is still usable
    CHECK(c.read_response().status == 500);
  }
  SECTION("after the first write: the connection is aborted") {
    RawClient c(srv.port());
    c.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string all = c.read_all();
    CHECK(all.find("HTTP/1.1 200 OK") == 0);
    CHECK(all.find("partial") != std::string::npos);
    CHECK(all.find("0\r\n\r\n") == std::string::npos);  // never a complete chunked body
    CHECK(hooked == 1);
  }
  SECTION("AbortHandler is not recovered") {
    RawClient c(srv.port());
    c.send("GET /abort HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(c.read_all().empty());
    CHECK(hooked == 0);
    logger->flush();
    CHECK(logged.str().empty());
  }
}
