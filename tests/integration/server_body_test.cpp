// Request bodies: Content-Length, chunked with trailers, 100-continue, draining.
#include <catch2/catch.hpp>

#include <atomic>
#include <string>

#include "httpkit/httpkit.hpp"
#include "httpkit/test/server.hpp"
#include "support/echo_handler.hpp"
#include "support/raw_client.hpp"

using namespace httpkit;
using httpkit::testing::RawClient;

namespace {

constexpr auto echo = &testing::echo_handler;

}  // namespace

TEST_CASE("a Content-Length body is read exactly, and the connection is reused") {
  test::Server srv(echo);
  RawClient c(srv.port());
  c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello worldGET / HTTP/1.1\r\nHost: x\r\n\r\n");
  auto r = c.read_response();
  CHECK(r.body == "hello world");
  CHECK(r.header("X-Length") == "11");
  CHECK(c.read_response().body.empty());  // the pipelined GET after the body
}

TEST_CASE("a large Content-Length body streams through small reads") {
  const std::string big(1 << 20, 'b');
  test::Server srv(echo);
  RawClient c(srv.port());
  c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(big.size()) + "\r\n\r\n");
  c.send(big);
  CHECK(c.read_response().body == big);
}

TEST_CASE("a chunked body with extensions and trailers") {
  test::Server srv(echo);
  RawClient c(srv.port());
  c.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
         "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 42\r\n\r\n");
  auto r = c.read_response();
  CHECK(r.body == "hello world");
  CHECK(r.header("X-Length") == "-1");
  CHECK(r.header("X-Trailer-Sum") == "42");
}

TEST_CASE("a chunked body arriving byte by byte") {
  test::Server srv(echo);
  RawClient c(srv.port());
  c.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
  const std::string body = "3\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n";
  for (char ch : body) c.send(std::string_view(&ch, 1));
  CHECK(c.read_response().body == "abc0123456789abcdef");
}

TEST_CASE("a broken chunked body fails the read and closes the connection") {
  test::Server srv(echo);
  RawClient c(srv.port());
  c.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n");
  auto r = c.read_response();
  CHECK(r.status == 400);
  CHECK(c.closed_by_peer());
}

TEST_CASE("Expect: 100-continue is answered only when the handler reads") {
  test::Server srv([](ResponseWriter& w, Request& r) {
    if (r.url().path == "/reject") {
      error(w, "no thanks", 403);
      return;
    }
    echo(w, r);
  });
  SECTION("reading sends 100 Continue first") {
    RawClient c(srv.port());
    c.send("POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
    auto cont = c.read_response();
    CHECK(cont.status == 100);
    c.send("data");
    CHECK(c.read_response().body == "data");
  }
  SECTION("a handler that does not read gets no 100 and the connection closes") {
    RawClient c(srv.port());
    c.send("POST /reject HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
    auto r = c.read_response();
    CHECK(r.status == 403);
    CHECK(r.header("Connection") == "close");
  }
}

TEST_CASE("an unread body up to 256 KiB is drained to keep the connection") {
  test::Server srv([](ResponseWriter& w, Request&) { w.write("ignored your body"); });
  SECTION("small body: keep-alive") {
    RawClient c(srv.port());
    c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'q'));
    auto r = c.read_response();
    CHECK_FALSE(r.header("Connection"));
    c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(c.read_response().status == 200);
  }
  SECTION("body over 256 KiB: Connection: close") {
    RawClient c(srv.port());
    c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + std::string(300'000, 'q'));
    auto r = c.read_response();
    CHECK(r.header("Connection") == "close");
  }
}

TEST_CASE("a body the client never finishes ends with unexpected EOF") {
  Event done;
  std::error_code err;
  test::Server srv([&](ResponseWriter&, Request& r) {
    err = read_all(r.body()).error();
    done.set();
  });
  RawClient c(srv.port());
  c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly a little");
  c.shutdown_write();
  REQUIRE(done.wait_for(std::chrono::seconds(5)));
  CHECK(err == errc::unexpected_eof);
}
