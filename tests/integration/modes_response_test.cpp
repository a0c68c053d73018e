// The ResponseWriter contract, once per mode (HTTP/1.1, h2c, h2): framing, sniffing,
// declared lengths, trailers, 1xx, HEAD, bodiless statuses, superfluous headers.
#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "httpkit/httpkit.hpp"
#include "httpkit/response_controller.hpp"
#include "integration/modes.hpp"

using namespace httpkit;
using httpkit::testing::ClientRequest;
using httpkit::testing::ModeClient;

TEST_CASE("modes: a small response gets Content-Length, a sniffed type and the protocol") {
  HTTPKIT_EACH_MODE(mode);
  test::Server srv(mode, [](ResponseWriter& w, Request& r) {
    w.write("<html><body>" + std::string(r.proto()) + " " + std::string(r.url().path) + "</body></html>");
  });
  ModeClient c(mode, srv.port());
  auto r = c.get("/page");
  const std::string proto = test::is_h2(mode) ? "HTTP/2.0" : "HTTP/1.1";
  CHECK(r.status == 200);
  CHECK(r.body == "<html><body>" + proto + " /page</body></html>");
  CHECK(r.header("content-length") == std::to_string(r.body.size()));
  CHECK(r.header("content-type") == "text/html; charset=utf-8");
  CHECK(r.header("date"));
  CHECK(c.get("/again").body.find("/again") != std::string::npos);  // the connection is reused
}

TEST_CASE("modes: a large body streams in pieces without a length and arrives intact") {
  HTTPKIT_EACH_MODE(mode);
  std::string big(300'000, 'x');
  for (std::size_t i = 0; i < big.size(); i += 997) big[i] = static_cast<char>('a' + i % 26);
  test::Server srv(mode, [&](ResponseWriter& w, Request&) {
    for (std::size_t i = 0; i < big.size(); i += 1000) w.write(std::string_view(big).substr(i, 1000));
  });
  ModeClient c(mode, srv.port());
  auto r = c.get("/");
  CHECK(r.status == 200);
  CHECK_FALSE(r.header("content-length"));
  CHECK(r.body == big);
}

TEST_CASE("modes: a declared Content-Length is honoured and an overrunning write fails") {
  HTTPKIT_EACH_MODE(mode);
  std::error_code overrun;
  test::Server srv(mode, [&](ResponseWriter& w, Request&) {
    w.header().set("Content-Length", "5");
    w.write("hello");
    overrun = w.write("!").err;
  });
  ModeClient c(mode, srv.port());
  auto r = c.get("/");
  CHECK(r.body == "hello");
  CHECK(r.header("content-length") == "5");
  CHECK(overrun == errc::content_length);
}

TEST_CASE("modes: trailers declared in Trailer and with the Trailer: prefix are sent") {
  HTTPKIT_EACH_MODE(mode);
  test::Server srv(mode, [](ResponseWriter& w, Request&) {
    w.header().set("Trailer", "X-Checksum");
    w.write("body");
    w.header().set("X-Checksum", "abc");
    w.header().set("Trailer:X-Late", "late");
  });
  ModeClient c(mode, srv.port());
  auto r = c.get("/");
  CHECK(r.body == "body");
  std::map<std::string, std::string> trailers(r.trailers.begin(), r.trailers.end());
  CHECK(trailers["x-checksum"] == "abc");
  CHECK(trailers["x-late"] == "late");
}

TEST_CASE("modes: 103 Early Hints precede the final response") {
  HTTPKIT_EACH_MODE(mode);
  test::Server srv(mode, [](ResponseWriter& w, Request&) {
    w.header().set("Link", "</style.css>; rel=preload");
    w.write_header(103);
    w.header().set("Content-Type", "text/plain");
    w.write("final");
  });
  ModeClient c(mode, srv.port());
  auto r = c.get("/");
  CHECK(r.informational == std::vector<int>{103});
  CHECK(r.status == 200);
  CHECK(r.body == "final");
  CHECK(r.header("link") == "</style.css>; rel=preload");
}

TEST_CASE("modes: HEAD gets the length of the body it does not get") {
  HTTPKIT_EACH_MODE(mode);
  test::Server srv(mode, [](ResponseWriter& w, Request&) { w.write("twelve bytes"); });
  ModeClient c(mode, srv.port());
  auto r = c.round_trip({"HEAD", "/"});
  CHECK(r.status == 200);
  CHECK(r.body.empty());
  CHECK(r.header("content-length") == "12");
  CHECK(c.get("/").body == "twelve bytes");  // and the connection is still in sync
}

TEST_CASE("modes: 204 and 304 refuse a body") {
  HTTPKIT_EACH_MODE(mode);
  std::error_code err;
  test::Server srv(mode, [&](ResponseWriter& w, Request&) {
    w.write_header(204);
    err = w.write("nope").err;
  });
  ModeClient c(mode, srv.port());
  auto r = c.get("/");
  CHECK(r.status == 204);
  CHECK(r.body.empty());
  CHECK(err == errc::body_not_allowed);
}

TEST_CASE("modes: a superfluous write_header is logged and ignored") {
  HTTPKIT_EACH_MODE(mode);
  std::mutex mu;
  std::vector<std::string> logs;
  test::Server srv(
      mode,
      [](ResponseWriter& w, Request&) {
        w.write_header(201);
        w.write_header(500);
        w.write("made");
      },
      [&](Server& s) {
        s.error_log = [&](std::string_view m) {
          std::lock_guard lock(mu);
          logs.emplace_back(m);
        };
      });
  ModeClient c(mode, srv.port());
  auto r = c.get("/");
  CHECK(r.status == 201);
  CHECK(r.body == "made");
  std::lock_guard lock(mu);
  REQUIRE(logs.size() == 1);
  CHECK(logs[0].find("superfluous") != std::string::npos);
}

TEST_CASE("modes: headers set after write_header do not change the response") {
  HTTPKIT_EACH_MODE(mode);
  test::Server srv(mode, [](ResponseWriter& w, Request&) {
    w.header().set("X-Before", "1");
    w.write_header(200);
    w.header().set("X-After", "1");
    // Nor are they consulted: the response is framed and typed by what write_header saw
    // (Go decides by its clone of the header, decision 0051).
    w.header().set("Content-Type", "application/x-late");
    w.header().set("Date", "late");
    w.write("x");
  });
  ModeClient c(mode, srv.port());
  auto r = c.get("/");
  CHECK(r.header("x-before") == "1");
  CHECK_FALSE(r.header("x-after"));
  CHECK(r.header("content-type") == "text/plain; charset=utf-8");  // sniffed
  REQUIRE(r.header("date"));
  CHECK(r.header("date") != "late");
}

TEST_CASE("modes: a flushed response reaches the client while the handler still runs") {
  HTTPKIT_EACH_MODE(mode);
  Event client_saw_it;
  test::Server srv(mode, [&](ResponseWriter& w, Request&) {
    w.write("first part|");
    ResponseController(w).flush();
    client_saw_it.wait_for(std::chrono::seconds(5));
    w.write(client_saw_it.is_set() ? "second part" : "timed out");
  });
  ModeClient c(mode, srv.port());
  const auto id = c.send_head({"GET", "/"}, 0);
  if (auto* h2 = c.h2()) {
    REQUIRE(h2->pump_until([&] { return h2->response(id).body.find('|') != std::string::npos; }));
  } else {
    c.h1()->wait_for("first part|");
  }
  client_saw_it.set();
  auto r = c.finish(id);
  CHECK(r.body == "first part|second part");
}
