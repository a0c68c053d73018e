// Go's timeouts over real sockets: header, idle, read, write; slowloris.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "httpkit/httpkit.hpp"
#include "httpkit/test/server.hpp"
#include "support/raw_client.hpp"

using namespace httpkit;
using namespace std::chrono_literals;
using httpkit::testing::RawClient;

TEST_CASE("a slowloris client is cut by read_header_timeout while 100 others are served") {
  test::Server srv([](ResponseWriter& w, Request&) { w.write("ok"); },
                   [](Server& s) { s.read_header_timeout = 300ms; });
  RawClient slow(srv.port());
  slow.send("GET / HTTP/1.1\r\n");
  const auto start = Clock::now();
  std::thread dribbler([&] {
    try {
      for (int i = 0; i < 40; ++i) {  // one byte every 50 ms: never finishes in time
        slow.send("X");
        std::this_thread::sleep_for(50ms);
      }
    } catch (...) {  // the server cut us off
    }
  });
  std::vector<std::unique_ptr<RawClient>> others;
  for (int i = 0; i < 100; ++i) {
    others.push_back(std::make_unique<RawClient>(srv.port()));
    others.back()->send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  }
  for (auto& c : others) CHECK(c->read_response().body == "ok");
  const std::string rest = slow.read_all();
  const auto took = Clock::now() - start;
  dribbler.join();
  CHECK(rest.find("408 Request Timeout") != std::string::npos);
  CHECK(took >= 250ms);
  CHECK(took < 1500ms);
}

TEST_CASE("a new connection that sends nothing is closed after read_header_timeout") {
  test::Server srv([](ResponseWriter& w, Request&) { w.write("ok"); },
                   [](Server& s) { s.read_header_timeout = 200ms; });
  RawClient c(srv.port());
  const auto start = Clock::now();
  CHECK(c.read_all().empty());  // silent close: no bytes were ever sent
  CHECK(Clock::now() - start >= 150ms);
}

TEST_CASE("idle_timeout closes a keep-alive connection; read_timeout is its fallback") {
  auto check_idle_close = [](const std::function<void(Server&)>& config) {
    test::Server srv([](ResponseWriter& w, Request&) { w.write("ok"); }, config);
    RawClient c(srv.port());
    c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(c.read_response().body == "ok");
    const auto start = Clock::now();
    CHECK(c.closed_by_peer());
    const auto waited = Clock::now() - start;
    CHECK(waited >= 150ms);
    CHECK(waited < 2s);
  };
  check_idle_close([](Server& s) { s.idle_timeout = 200ms; });
  check_idle_close([](Server& s) { s.read_timeout = 200ms; });
}

TEST_CASE("read_timeout bounds reading the body") {
  std::error_code body_err;
  Event done;
  test::Server srv(
      [&](ResponseWriter&, Request& r) {
        body_err = read_all(r.body()).error();
        done.set();
      },
      [](Server& s) { s.read_timeout = 200ms; });
  RawClient c(srv.port());
  c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
  REQUIRE(done.wait_for(5s));
  CHECK(body_err == errc::timeout);
}

TEST_CASE("write_timeout stops a response to a client that does not read") {
  std::error_code write_err;
  Event done;
  test::Server srv(
      [&](ResponseWriter& w, Request&) {
        const std::string chunk(1 << 20, 'w');
        for (int i = 0; i < 256 && !write_err; ++i) write_err = w.write(chunk).err;  // 256 MiB
        done.set();
      },
      [](Server& s) { s.write_timeout = 300ms; });
  RawClient c(srv.port());
  c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");  // and never read
  REQUIRE(done.wait_for(10s));
  CHECK(write_err == errc::timeout);
}

TEST_CASE("ResponseController-style deadlines through DeadlineSetter override the server's") {
  std::error_code err;
  Event done;
  test::Server srv(
      [&](ResponseWriter& w, Request& r) {
        auto* d = dynamic_cast<DeadlineSetter*>(&w);
        REQUIRE(d);
        d->set_read_deadline(Clock::now() + 100ms);
        err = read_all(r.body()).error();
        done.set();
      });
  RawClient c(srv.port());
  c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
  REQUIRE(done.wait_for(5s));
  CHECK(err == errc::timeout);
}
