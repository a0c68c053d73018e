// The proof of the unwrap chain: flush, set_write_deadline, hijack and
// enable_full_duplex reach the connection through the whole default chain, and an SSE
// handler behind it delivers each event to curl --no-buffer as it is flushed.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <thread>

#include "httpkit/event.hpp"
#include "httpkit/middleware.hpp"
#include "httpkit/test/server.hpp"
#include "support.hpp"
#include "support/raw_client.hpp"

using namespace httpkit;
using namespace httpkit::middleware;
using httpkit::testing::RawClient;

namespace {

Handler full_chain(Handler h, Metrics& m, const std::string& log_path) {
  AccessLogOptions o;
  o.logger = async_file_logger("chain-test", log_path);
  return chain(std::move(h), {recover(), request_id(), access_log(o), m.middleware(), labels(), compress(),
                              timeout(std::chrono::seconds(10), "")});
}

}  // namespace

TEST_CASE("capabilities reach the connection through the full default chain", "[chain]") {
  Metrics metrics;
  Event flushed_seen;
  std::atomic<bool> deadline_ok{false}, duplex_ok{false}, saw_flush_before_end{false};
  std::atomic<bool> late_read_ok{false};
  Handler h = [&](ResponseWriter& w, Request& r) {
    ResponseController rc(w);
    if (r.url().path == "/stream") {
      deadline_ok = !rc.set_write_deadline(Clock::now() + std::chrono::seconds(5));
      duplex_ok = !rc.enable_full_duplex();
      w.header().set("Content-Type", "text/plain");
      w.write("first;");
      if (rc.flush()) return;
      saw_flush_before_end = flushed_seen.wait_for(std::chrono::seconds(5));  // the client has it already
      // Full duplex: the body is still readable after the response began.
      auto body = read_all(r.body());
      late_read_ok = body.has_value() && *body == "payload";
      w.write("second");
    } else if (r.url().path == "/hijack") {
      auto hj = rc.hijack();
      if (!hj) return;
      hj->conn->write(std::string_view("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked"));
      hj->conn->close();
    }
  };
  const std::string log = mwtest::temp_path("chain.log");
  test::Server srv(full_chain(h, metrics, log));

  SECTION("flush, write deadline and full duplex") {
    RawClient c(srv.port());
    c.send("POST /stream HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\n");
    c.wait_for("first;");  // arrives before the handler continues: flush went through
    flushed_seen.set();
    c.send("payload");
    const auto& all = c.wait_for("second");
    CHECK(all.find("Transfer-Encoding: chunked") != std::string::npos);
    CHECK(all.find("X-Request-Id: ") != std::string::npos);
    CHECK(saw_flush_before_end);
    CHECK(deadline_ok);
    CHECK(duplex_ok);
    CHECK(late_read_ok);
  }
  SECTION("write deadline in the past makes the connection's writes fail") {
    std::atomic<int> err{0};
    test::Server srv2(full_chain(
        [&](ResponseWriter& w, Request&) {
          ResponseController rc(w);
          if (rc.set_write_deadline(Clock::now() - std::chrono::seconds(1))) return;
          w.write(std::string(64 << 10, 'x'));
          err = rc.flush() == errc::timeout ? 1 : 2;
        },
        metrics, log));
    RawClient c(srv2.port());
    c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(c.closed_by_peer());
    CHECK(err == 1);
  }
  SECTION("hijack") {
    RawClient c(srv.port());
    c.send("GET /hijack HTTP/1.1\r\nHost: x\r\n\r\n");
    auto res = c.read_response();
    CHECK(res.status == 200);
    CHECK(res.body == "hijacked");
    CHECK(c.closed_by_peer());
  }
}

TEST_CASE("SSE through the full chain: curl --no-buffer gets each event as it is flushed", "[chain][sse]") {
  Metrics metrics;
  Event next_event;
  std::atomic<int> delivered_before_next{0};
  Handler sse = [&](ResponseWriter& w, Request&) {
    w.header().set("Content-Type", "text/event-stream");
    w.header().set("Cache-Control", "no-cache");
    ResponseController rc(w);
    for (int i = 1; i <= 3; ++i) {
      next_event.reset();  // before the event leaves: the client's answer must not be lost
      w.write("data: event " + std::to_string(i) + "\n\n");
      if (rc.flush()) return;
      if (next_event.wait_for(std::chrono::seconds(5))) ++delivered_before_next;  // curl printed it
    }
  };
  test::Server srv(full_chain(sse, metrics, mwtest::temp_path("sse.log")));
  for (const char* extra : {"", "--compressed "}) {
    delivered_before_next = 0;
    const std::string cmd = std::string("curl -sS --no-buffer --max-time 30 ") + extra + srv.url() + "/events";
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::string got;
    char line[256];
    int events = 0;
    while (std::fgets(line, sizeof line, p)) {
      got += line;
      if (std::string(line).starts_with("data: event ")) {
        ++events;
        next_event.set();  // only now may the handler write the next one
      }
    }
    ::pclose(p);
    CHECK(events == 3);
    CHECK(delivered_before_next == 3);
    CHECK(got.find("data: event 3") != std::string::npos);
  }
}
