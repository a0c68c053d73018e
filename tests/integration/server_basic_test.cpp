// The ResponseWriter contract over real sockets: framing, sniffing, trailers, 1xx,
// keep-alive, pipelining, HEAD.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>

#include "httpkit/httpkit.hpp"
#include "httpkit/test/server.hpp"
#include "support/raw_client.hpp"
#include "support/shell.hpp"

using namespace httpkit;
using httpkit::testing::RawClient;

namespace {

std::string run_curl(const std::string& args) { return httpkit::testing::run_command("curl -sS --max-time 10 " + args); }

}  // namespace

TEST_CASE("curl gets a small response with Content-Length and a sniffed type") {
  test::Server srv([](ResponseWriter& w, Request& r) {
    w.write("<html><body>hi " + std::string(r.url().path) + "</body></html>");
  });
  const std::string out = run_curl("-i " + srv.url() + "/page");
  CHECK(out.find("HTTP/1.1 200 OK") == 0);
  CHECK(out.find("Content-Type: text/html; charset=utf-8\r\n") != std::string::npos);
  CHECK(out.find("Content-Length: 34\r\n") != std::string::npos);
  CHECK(out.find("Date: ") != std::string::npos);
  CHECK(out.find("<html><body>hi /page</body></html>") != std::string::npos);
}

TEST_CASE("a large body is chunked and arrives intact") {
  const std::string big(100'000, 'x');
  test::Server srv([&](ResponseWriter& w, Request&) {
    for (std::size_t i = 0; i < big.size(); i += 1000) w.write(std::string_view(big).substr(i, 1000));
  });
  RawClient c(srv.port());
  c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  auto r = c.read_response();
  CHECK(r.status == 200);
  CHECK(r.chunked);
  CHECK_FALSE(r.header("Content-Length"));
  CHECK(r.body == big);
  // Keep-alive: the same connection serves a second request.
  c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(c.read_response().body == big);
}

TEST_CASE("a declared Content-Length is honoured and overrunning writes fail") {
  std::error_code overrun;
  test::Server srv([&](ResponseWriter& w, Request&) {
    w.header().set("Content-Length", "5");
    w.write("hello");
    overrun = w.write("!").err;
  });
  auto r = testing::http_get(srv.port(), "/");
  CHECK(r.body == "hello");
  CHECK(r.header("Content-Length") == "5");
  CHECK(overrun == errc::content_length);
}

TEST_CASE("a short body closes the connection") {
  test::Server srv([](ResponseWriter& w, Request&) {
    w.header().set("Content-Length", "10");
    w.write("short");
  });
  RawClient c(srv.port());
  c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string all = c.read_all();  // the server closes after 5 of 10 bytes
  CHECK(all.find("Content-Length: 10") != std::string::npos);
  CHECK(all.substr(all.size() - 5) == "short");
}

TEST_CASE("HEAD gets the headers GET would, and no body") {
  test::Server srv([](ResponseWriter& w, Request&) { w.write("twelve bytes"); });
  RawClient c(srv.port());
  c.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
  auto r = c.read_response(/*head_only=*/true);
  CHECK(r.status == 200);
  CHECK(r.header("Content-Length") == "12");
  c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");  // no stray body bytes before this answer
  CHECK(c.read_response().body == "twelve bytes");
}

TEST_CASE("a second write_header is logged and ignored") {
  std::vector<std::string> logs;
  std::mutex mu;
  test::Server srv(
      [](ResponseWriter& w, Request&) {
        w.write_header(201);
        w.write_header(500);
        w.write("x");
      },
      [&](Server& s) {
        s.error_log = [&](std::string_view m) {
          std::lock_guard lock(mu);
          logs.emplace_back(m);
        };
      });
  CHECK(testing::http_get(srv.port(), "/").status == 201);
  std::lock_guard lock(mu);
  REQUIRE(logs.size() == 1);
  CHECK(logs[0].find("superfluous response.WriteHeader call") != std::string::npos);
}

TEST_CASE("header changes after the commit are ignored, except trailers") {
  test::Server srv([](ResponseWriter& w, Request&) {
    w.header().set("Trailer", "X-Checksum");
    w.header().set("X-Early", "1");
    w.write("body");
    w.header().set("X-Late", "ignored");
    w.header().set("X-Checksum", "abc");
    w.header().set("Trailer:X-Extra", "def");
  });
  RawClient c(srv.port());
  c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  auto r = c.read_response();
  CHECK(r.chunked);  // declared trailers force chunking
  CHECK(r.header("X-Early") == "1");
  CHECK_FALSE(r.header("X-Late"));
  CHECK(r.body == "body");
  REQUIRE(r.trailers.size() == 2);
  CHECK(r.trailers[0] == std::pair<std::string, std::string>{"X-Checksum", "abc"});
  CHECK(r.trailers[1] == std::pair<std::string, std::string>{"X-Extra", "def"});
}

TEST_CASE("write_header with 1xx sends informational responses before the final one") {
  test::Server srv([](ResponseWriter& w, Request&) {
    w.header().set("Link", "</style.css>; rel=preload");
    w.write_header(103);
    w.header().del("Link");
    w.write_header(200);
    w.write("done");
  });
  RawClient c(srv.port());
  c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  auto early = c.read_response();
  CHECK(early.status == 103);
  CHECK(early.header("Link") == "</style.css>; rel=preload");
  auto final = c.read_response();
  CHECK(final.status == 200);
  CHECK_FALSE(final.header("Link"));
  CHECK(final.body == "done");
}

TEST_CASE("204 and 304 carry no body and writes fail") {
  std::error_code err;
  test::Server srv([&](ResponseWriter& w, Request&) {
    w.write_header(204);
    err = w.write("nope").err;
  });
  RawClient c(srv.port());
  c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(c.read_response().status == 204);
  CHECK(c.read_response().status == 204);  // framing intact: the second answer follows
  CHECK(err == errc::body_not_allowed);
}

TEST_CASE("pipelined requests are answered in order, batched into few writes") {
  std::atomic<int> served{0};
  test::Server srv([&](ResponseWriter& w, Request& r) {
    served++;
    w.write(r.url().path);
  });
  RawClient c(srv.port());
  std::string burst;
  for (int i = 0; i < 16; ++i) burst += "GET /" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  c.send(burst);
  for (int i = 0; i < 16; ++i) CHECK(c.read_response().body == "/" + std::to_string(i));
  CHECK(served == 16);
}

TEST_CASE("pipelined requests that exactly fill the read buffer do not strand the rest") {
  // 64-byte requests: the first read (4 KiB, ReadBuffer::kInitialSize) ends on a request
  // boundary with as much again waiting in the socket, so the buffer is empty but the
  // socket is not (Conn::drained is false): the server reads on instead of going idle.
  test::Server srv([](ResponseWriter& w, Request& r) { w.write(r.url().path); });
  RawClient c(srv.port());
  auto request = [](int i) {
    std::string path = "/" + std::to_string(i);
    std::string head = "GET " + path + " HTTP/1.1\r\nHost: x\r\nX-Pad: ";
    return head + std::string(64 - head.size() - 4, 'p') + "\r\n\r\n";
  };
  std::string burst;
  constexpr int kRequests = 2 * 4096 / 64;
  for (int i = 0; i < kRequests; ++i) burst += request(i);
  REQUIRE(burst.size() == 2 * 4096);
  c.send(burst);
  for (int i = 0; i < kRequests; ++i) REQUIRE(c.read_response().body == "/" + std::to_string(i));
}

TEST_CASE("Connection: close from the client or the handler closes after the response") {
  test::Server srv([](ResponseWriter& w, Request& r) {
    if (r.url().path == "/bye") w.header().set("Connection", "close");
    w.write("ok");
  });
  {
    RawClient c(srv.port());
    c.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    auto r = c.read_response();
    CHECK(r.header("Connection") == "close");
    CHECK(c.closed_by_peer());
  }
  {
    RawClient c(srv.port());
    c.send("GET /bye HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(c.read_response().header("Connection") == "close");
    CHECK(c.closed_by_peer());
  }
}

TEST_CASE("HTTP/1.0: keep-alive only when asked; close-delimited bodies otherwise") {
  test::Server srv([](ResponseWriter& w, Request& r) {
    if (r.url().path == "/stream") w.write(std::string(10'000, 'z'));  // too big to know the length
    else w.write("ten bytes!");
  });
  {
    RawClient c(srv.port());
    c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    auto r = c.read_response();
    CHECK(r.header("Connection") == "keep-alive");
    CHECK(r.body == "ten bytes!");
    c.send("GET / HTTP/1.0\r\n\r\n");
    CHECK(c.read_response().body == "ten bytes!");
    CHECK(c.closed_by_peer());
  }
  {
    RawClient c(srv.port());
    c.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    auto r = c.read_response();  // no length, no chunking: read until close
    CHECK_FALSE(r.header("Content-Length"));
    CHECK(r.body == std::string(10'000, 'z'));
  }
}

TEST_CASE("flush sends the head and the data written so far") {
  Event release;
  std::atomic<bool> flush_failed{false};  // checked here: Catch2 asserts only on this thread
  test::Server srv([&](ResponseWriter& w, Request&) {
    w.write("first");
    if (dynamic_cast<Flusher*>(&w)->flush()) flush_failed = true;
    release.wait_for(std::chrono::seconds(5));
    w.write("second");
  });
  RawClient c(srv.port());
  c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  // The chunk "first" arrives while the handler still waits.
  const std::string& got = c.wait_for("first");
  CHECK(got.find("Transfer-Encoding: chunked") != std::string::npos);
  CHECK(got.find("second") == std::string::npos);
  release.set();
  CHECK(c.read_response().body == "firstsecond");
  CHECK_FALSE(flush_failed);
}

TEST_CASE("OPTIONS * is answered by the server itself") {
  test::Server srv([](ResponseWriter& w, Request&) { w.write_header(500); });
  RawClient c(srv.port());
  c.send("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
  auto r = c.read_response();
  CHECK(r.status == 200);
  CHECK(r.header("Content-Length") == "0");
}
