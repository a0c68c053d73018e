// ConnState, shutdown, close, contexts, handler failures, hijacking.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "httpkit/httpkit.hpp"
#include "httpkit/test/server.hpp"
#include "support/raw_client.hpp"
#include "support/run_in_fiber.hpp"

using namespace httpkit;
using namespace std::chrono_literals;
using httpkit::testing::RawClient;

namespace {

// StateLog records ConnState transitions per connection (by remote address).
struct StateLog {
  std::mutex mu;
  std::map<std::string, std::vector<ConnState>> by_conn;
  void operator()(const Conn& c, ConnState s) {
    std::lock_guard lock(mu);
    by_conn[c.remote_addr()].push_back(s);
  }
  std::vector<ConnState> only() {
    std::lock_guard lock(mu);
    REQUIRE(by_conn.size() == 1);
    return by_conn.begin()->second;
  }
};

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = 5000ms) {
  const auto end = Clock::now() + limit;
  while (Clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return pred();
}

}  // namespace

TEST_CASE("ConnState goes New, Active, Idle, Active, Idle, Closed as Go's") {
  StateLog log;
  {
    test::Server srv([](ResponseWriter& w, Request&) { w.write("ok"); },
                     [&](Server& s) { s.conn_state = std::ref(log); });
    RawClient c(srv.port());
    c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    c.read_response();
    c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    c.read_response();
    c.close();
    REQUIRE(eventually([&] { return log.only().back() == ConnState::Closed; }));
  }
  using S = ConnState;
  CHECK(log.only() == std::vector<S>{S::New, S::Active, S::Idle, S::Active, S::Idle, S::Closed});
}

TEST_CASE("shutdown drains a slow handler while refusing new connections") {
  Event in_handler, release;
  test::Server srv([&](ResponseWriter& w, Request&) {
    in_handler.set();
    release.wait_for(10s);
    w.write("finished");
  });
  RawClient slow(srv.port());
  slow.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(in_handler.wait_for(5s));
  RawClient idle(srv.port());  // an idle keep-alive connection: closed by shutdown
  idle.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");

  std::error_code shutdown_err{make_error_code(errc::bad_request)};
  std::thread stopper([&] { shutdown_err = srv.server().shutdown(); });
  REQUIRE(eventually([&] { return !srv.server().serving(); }));
  // New connections are refused once the listener is closed.
  CHECK_THROWS(RawClient(srv.port()).read_response());
  release.set();
  auto r = slow.read_response();
  CHECK(r.body == "finished");
  CHECK(r.header("Connection") == "close");  // no keep-alive during shutdown
  stopper.join();
  CHECK_FALSE(shutdown_err);
}

TEST_CASE("shutdown returns the context's error when handlers outlast it") {
  Event in_handler, release;
  test::Server srv([&](ResponseWriter& w, Request&) {
    in_handler.set();
    release.wait_for(10s);
    w.write("late");
  });
  RawClient c(srv.port());
  c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(in_handler.wait_for(5s));
  auto [ctx, cancel] = with_timeout(Context::background(), 50ms);
  CHECK(srv.server().shutdown(ctx) == errc::deadline_exceeded);
  release.set();
}

TEST_CASE("shutdown and close are safe before serving and twice; serve then fails") {
  Server s;
  CHECK_FALSE(s.shutdown());
  CHECK_FALSE(s.shutdown());
  CHECK_FALSE(s.close());
  auto l = Listener::listen("127.0.0.1:0");
  REQUIRE(l);
  CHECK(s.serve(std::move(*l)) == errc::server_closed);
  CHECK(s.listen_and_serve() == errc::server_closed);
}

TEST_CASE("close cuts active connections and cancels their request contexts") {
  Event in_handler;
  std::error_code ctx_err;
  Event handler_done;
  test::Server srv([&](ResponseWriter&, Request& r) {
    in_handler.set();
    r.context().wait_until(Clock::now() + 10s);
    ctx_err = r.context().err();
    handler_done.set();
  });
  RawClient c(srv.port());
  c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(in_handler.wait_for(5s));
  srv.server().close();
  REQUIRE(handler_done.wait_for(5s));
  CHECK(ctx_err == errc::client_disconnected);
  CHECK(c.closed_by_peer());
}

TEST_CASE("the request context is cancelled when the client disconnects") {
  Event in_handler, handler_done;
  std::error_code ctx_err;
  test::Server srv([&](ResponseWriter&, Request& r) {
    in_handler.set();
    r.context().wait_until(Clock::now() + 10s);
    ctx_err = r.context().err();
    handler_done.set();
  });
  {
    RawClient c(srv.port());
    c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    REQUIRE(in_handler.wait_for(5s));
  }  // the client goes away
  REQUIRE(handler_done.wait_for(5s));
  CHECK(ctx_err == errc::client_disconnected);
}

TEST_CASE("base_context and conn_context values reach the request; it ends after the handler") {
  static const int key = 0;
  Context seen;
  test::Server srv(
      [&](ResponseWriter& w, Request& r) {
        seen = r.context();
        w.write(*r.context().value_as<std::string>(&key));
      },
      [](Server& s) {
        s.base_context = [](const Listener&) { return with_value(Context::background(), &key, std::string("base")); };
        s.conn_context = [](Context ctx, const Conn& c) {
          return with_value(ctx, &key, std::string("conn ") + (c.remote_addr().empty() ? "?" : "ok"));
        };
      });
  CHECK(testing::http_get(srv.port(), "/").body == "conn ok");
  CHECK(seen.err() == errc::canceled);
}

TEST_CASE("a throwing handler is logged with the request line and its connection closed") {
  std::vector<std::string> logs;
  std::mutex mu;
  test::Server srv(
      [](ResponseWriter& w, Request& r) {
        if (r.url().path == "/abort") throw AbortHandler();
        if (r.url().path == "/late") w.write("partial");
        throw std::runtime_error("kaboom");
      },
      [&](Server& s) {
        s.error_log = [&](std::string_view m) {
          std::lock_guard lock(mu);
          logs.emplace_back(m);
        };
      });
  for (const char* path : {"/boom", "/late", "/abort"}) {
    INFO(path);
    RawClient c(srv.port());
    c.send("GET " + std::string(path) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(c.read_all().empty());  // aborted: nothing of the response is sent
  }
  std::lock_guard lock(mu);
  REQUIRE(logs.size() == 2);  // AbortHandler is silent
  CHECK(logs[0].find("kaboom") != std::string::npos);
  CHECK(logs[0].find("GET /boom") != std::string::npos);
  CHECK(logs[0].find("127.0.0.1:") != std::string::npos);
}

TEST_CASE("hijack hands over the connection with its buffered bytes") {
  StateLog log;
  test::Server srv(
      [](ResponseWriter& w, Request&) {
        auto h = dynamic_cast<Hijacker*>(&w)->hijack();
        REQUIRE(h);
        h->conn->write("HIJACKED " + h->buffered);
        std::byte buf[16];
        auto n = h->conn->read(buf);
        h->conn->write(std::string_view(reinterpret_cast<char*>(buf), n.n));
      },
      [&](Server& s) { s.conn_state = std::ref(log); });
  RawClient c(srv.port());
  c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\nextra");
  c.wait_for("HIJACKED extra");
  c.send("ping");
  c.wait_for("ping");
  using S = ConnState;
  REQUIRE(eventually([&] { return log.only().back() == S::Hijacked; }));
  CHECK(log.only() == std::vector<S>{S::New, S::Active, S::Hijacked});
}

TEST_CASE("thousands of concurrent requests each get their answer") {
  test::Server srv([](ResponseWriter& w, Request& r) {
    sleep_for(1ms);  // park: other connections proceed meanwhile
    w.write(r.url().path);
  });
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 500; ++i) {
    clients.push_back(std::make_unique<RawClient>(srv.port()));
    clients.back()->send("GET /" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n");
  }
  for (int i = 0; i < 500; ++i) CHECK(clients[i]->read_response().body == "/" + std::to_string(i));
}
