// Requests once per mode (HTTP/1.1, h2c, h2): fields, bodies, trailers, contexts,
// deadlines, failing handlers, hijacking, graceful shutdown.
#include <atomic>
#include <string>
#include <thread>

#include "httpkit/httpkit.hpp"
#include "httpkit/response_controller.hpp"
#include "integration/modes.hpp"
#include "support/echo_handler.hpp"

using namespace httpkit;
using namespace std::chrono_literals;
using httpkit::testing::ClientRequest;
using httpkit::testing::eventually;
using httpkit::testing::ModeClient;

namespace {

constexpr auto echo = &testing::echo_handler;

}  // namespace

TEST_CASE("modes: the request's fields are Go's") {
  HTTPKIT_EACH_MODE(mode);
  std::string seen;
  bool tls_seen = false;
  test::Server srv(mode, [&](ResponseWriter& w, Request& r) {
    seen = std::string(r.method()) + " " + std::string(r.url().path) + " " + std::string(r.url().raw_query) + " " +
           std::string(r.host()) + " " + std::string(r.header().get("X-Custom-Thing")) + " " +
           std::to_string(r.content_length()) + " " + std::string(r.request_uri());
    tls_seen = r.tls() != nullptr;
    CHECK_FALSE(r.header().has("Host"));  // Host is r.host(), as in Go
    CHECK_FALSE(r.remote_addr().empty());
    w.write("ok");
  });
  ModeClient c(mode, srv.port());
  c.round_trip({"GET", "/a%20b/c?x=1&y=2", {{"X-Custom-Thing", "v"}}});
  CHECK(seen == "GET /a b/c x=1&y=2 localhost v 0 /a%20b/c?x=1&y=2");
  CHECK(tls_seen == test::is_tls(mode));
}

TEST_CASE("modes: a request body is read exactly and the connection reused") {
  HTTPKIT_EACH_MODE(mode);
  test::Server srv(mode, echo);
  ModeClient c(mode, srv.port());
  auto r = c.round_trip({"POST", "/", {}, std::string("hello world")});
  CHECK(r.body == "hello world");
  CHECK(r.header("x-length") == "11");
  CHECK(c.get("/").status == 200);
}

TEST_CASE("modes: a 3 MiB upload passes flow control windows intact") {
  HTTPKIT_EACH_MODE(mode);
  std::string big(3 << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 % 251);
  test::Server srv(mode, echo);
  ModeClient c(mode, srv.port());
  auto r = c.round_trip({"POST", "/", {}, big});
  CHECK(r.status == 200);
  CHECK(r.body.size() == big.size());
  CHECK(r.body == big);
}

TEST_CASE("modes: request trailers reach the handler after the body") {
  HTTPKIT_EACH_MODE(mode);
  test::Server srv(mode, echo);
  ModeClient c(mode, srv.port());
  auto r = c.round_trip({"POST", "/", {{"Trailer", "X-Sum"}}, std::string("abc"), {{"X-Sum", "42"}}});
  CHECK(r.body == "abc");
  CHECK(r.header("x-length") == "-1");
  CHECK(r.header("x-trailer-sum") == "42");
}

TEST_CASE("modes: a body that arrives in pieces is read as it comes") {
  HTTPKIT_EACH_MODE(mode);
  test::Server srv(mode, echo);
  ModeClient c(mode, srv.port());
  const auto id = c.send_head({"POST", "/"}, 9);
  for (std::string_view part : {"abc", "def", "ghi"}) {
    std::this_thread::sleep_for(20ms);
    c.send_body(id, std::string(part), part == "ghi");
  }
  CHECK(c.finish(id).body == "abcdefghi");
}

TEST_CASE("modes: a read deadline from ResponseController stops a stalled body read") {
  HTTPKIT_EACH_MODE(mode);
  std::error_code err;
  test::Server srv(mode, [&](ResponseWriter& w, Request& r) {
    ResponseController(w).set_read_deadline(Clock::now() + 100ms);
    err = read_all(r.body()).error();
    w.write("done");
  });
  ModeClient c(mode, srv.port());
  const auto id = c.send_head({"POST", "/"}, 100);
  c.send_body(id, "only a little", false);
  auto r = c.finish(id);
  CHECK(err == errc::timeout);
  CHECK(r.body == "done");
}

TEST_CASE("modes: the request context ends when the client goes away") {
  HTTPKIT_EACH_MODE(mode);
  Event started, ended;
  std::error_code why;
  test::Server srv(mode, [&](ResponseWriter&, Request& r) {
    started.set();
    r.context().wait_until(Clock::now() + 5s);
    why = r.context().err();
    ended.set();
  });
  {
    ModeClient c(mode, srv.port());
    c.send_head({"GET", "/"}, 0);
    REQUIRE(started.wait_for(5s));
  }  // the client closes its connection
  REQUIRE(ended.wait_for(5s));
  CHECK(why == errc::client_disconnected);
}

TEST_CASE("modes: the request context ends when the handler returns") {
  HTTPKIT_EACH_MODE(mode);
  Context kept;
  test::Server srv(mode, [&](ResponseWriter& w, Request& r) {
    kept = r.context();
    CHECK_FALSE(kept.done());
    w.write("x");
  });
  ModeClient c(mode, srv.port());
  c.get("/");
  CHECK(eventually([&] { return kept.done(); }));
}

TEST_CASE("modes: a handler that throws ends only its own exchange") {
  HTTPKIT_EACH_MODE(mode);
  test::Server srv(
      mode,
      [](ResponseWriter& w, Request& r) {
        if (r.url().path == "/throw") throw std::runtime_error("boom");
        w.write("fine");
      },
      [](Server& s) { s.error_log = [](std::string_view) {}; });
  ModeClient c(mode, srv.port());
  if (test::is_h2(mode)) {
    auto bad = c.get("/throw");
    CHECK(bad.reset);                     // RST_STREAM INTERNAL_ERROR, as Go
    CHECK(c.get("/ok").body == "fine");   // same connection, next stream
  } else {
    c.h1()->send("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(c.h1()->closed_by_peer());       // HTTP/1: the connection closes
    ModeClient again(mode, srv.port());
    CHECK(again.get("/ok").body == "fine");
  }
}

TEST_CASE("modes: hijack is HTTP/1 only") {
  HTTPKIT_EACH_MODE(mode);
  std::error_code err;
  test::Server srv(mode, [&](ResponseWriter& w, Request&) {
    auto h = ResponseController(w).hijack();
    err = h.error();
    if (h) {
      h->conn->write("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked");
      return;
    }
    w.write("not hijacked");
  });
  ModeClient c(mode, srv.port());
  auto r = c.get("/");
  if (test::is_h2(mode)) {
    CHECK(err == errc::not_supported);
    CHECK(r.body == "not hijacked");
  } else {
    CHECK_FALSE(err);
    CHECK(r.body == "hijacked");
  }
}

TEST_CASE("modes: shutdown lets the request in flight finish, then returns") {
  HTTPKIT_EACH_MODE(mode);
  Event in_handler, release;
  test::Server srv(mode, [&](ResponseWriter& w, Request&) {
    in_handler.set();
    release.wait_for(5s);
    w.write("finished");
  });
  ModeClient c(mode, srv.port());
  const auto id = c.send_head({"GET", "/"}, 0);
  REQUIRE(in_handler.wait_for(5s));
  std::error_code shutdown_result = make_error_code(errc::timeout);
  std::atomic<bool> returned{false};
  std::thread stopper([&] {
    shutdown_result = srv.server().shutdown();
    returned = true;
  });
  std::this_thread::sleep_for(100ms);
  CHECK_FALSE(returned.load());  // a request is still in flight
  release.set();
  auto r = c.finish(id);
  CHECK(r.body == "finished");
  stopper.join();
  CHECK_FALSE(shutdown_result);
  if (auto* h2 = c.h2()) {
    CHECK(h2->goaway());                      // RFC 9113 section 6.8
    CHECK(h2->goaway_last_stream() == id);    // the last stream it will process
    CHECK(h2->goaway_error() == 0);
  }
}
