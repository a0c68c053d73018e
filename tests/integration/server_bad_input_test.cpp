// Hostile and malformed requests: each gets the right status with Connection: close,
// and none disturbs a healthy connection served at the same time.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "httpkit/httpkit.hpp"
#include "httpkit/test/server.hpp"
#include "support/raw_client.hpp"

using namespace httpkit;
using httpkit::testing::RawClient;

namespace {

struct BadCase {
  const char* name;
  std::string request;
  int status;
};

std::vector<BadCase> bad_cases() {
  const std::string host = "Host: x\r\n";
  return {
      {"CL with TE (smuggling)", "POST / HTTP/1.1\r\n" + host + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
      {"TE with CL (smuggling)", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", 400},
      {"differing Content-Lengths", "POST / HTTP/1.1\r\n" + host + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello", 400},
      {"Content-Length list differing", "POST / HTTP/1.1\r\n" + host + "Content-Length: 5, 6\r\n\r\nhello", 400},
      {"negative Content-Length", "POST / HTTP/1.1\r\n" + host + "Content-Length: -1\r\n\r\n", 400},
      {"plus-signed Content-Length", "POST / HTTP/1.1\r\n" + host + "Content-Length: +5\r\n\r\nhello", 400},
      {"hex Content-Length", "POST / HTTP/1.1\r\n" + host + "Content-Length: 0x5\r\n\r\nhello", 400},
      {"huge Content-Length", "POST / HTTP/1.1\r\n" + host + "Content-Length: 99999999999999999999999\r\n\r\n", 400},
      {"gzip transfer coding", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip\r\n\r\n", 501},
      {"chunked not last", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked, gzip\r\n\r\n", 501},
      {"bare CR in header", "GET / HTTP/1.1\r\n" + host + "X-A: b\rc\r\n\r\n", 400},
      {"bare LF line ending in value", "GET / HTTP/1.1\r\n" + host + "X-A: b\nX-B: c\r\n\r\n", 400},
      {"obs-fold", "GET / HTTP/1.1\r\n" + host + "X-A: b\r\n c\r\n\r\n", 400},
      {"NUL in value", "GET / HTTP/1.1\r\n" + host + std::string("X-A: b\0c\r\n\r\n", 12), 400},
      {"space before colon", "GET / HTTP/1.1\r\n" + host + "X-A : b\r\n\r\n", 400},
      {"empty header name", "GET / HTTP/1.1\r\n" + host + ": b\r\n\r\n", 400},
      {"invalid header name", "GET / HTTP/1.1\r\n" + host + "X(A): b\r\n\r\n", 400},
      {"header without colon", "GET / HTTP/1.1\r\n" + host + "NoColon\r\n\r\n", 400},
      {"missing Host on 1.1", "GET / HTTP/1.1\r\n\r\n", 400},
      {"duplicate Host", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      {"invalid Host", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400},
      {"invalid method token", "G(T / HTTP/1.1\r\n" + host + "\r\n", 400},
      {"lowercase version", "GET / http/1.1\r\n" + host + "\r\n", 400},
      {"HTTP/2.0 on an HTTP/1 connection", "GET / HTTP/2.0\r\n" + host + "\r\n", 505},
      {"HTTP/3.0", "GET / HTTP/3.0\r\n" + host + "\r\n", 505},
      {"garbage version", "GET / FOO/1.1\r\n" + host + "\r\n", 400},
      {"missing version", "GET /\r\n" + host + "\r\n", 400},
      {"two spaces in request line", "GET  / HTTP/1.1\r\n" + host + "\r\n", 400},
      {"relative target", "GET foo HTTP/1.1\r\n" + host + "\r\n", 400},
      {"asterisk for GET", "GET * HTTP/1.1\r\n" + host + "\r\n", 400},
      {"authority form for GET", "GET example.com:80 HTTP/1.1\r\n" + host + "\r\n", 400},
      {"space in target", "GET /a b HTTP/1.1\r\n" + host + "\r\n", 400},
      {"control byte in target", "GET /a\x01 HTTP/1.1\r\n" + host + "\r\n", 400},
      {"bare LF request line", "GET / HTTP/1.1\n" + host + "\r\n", 400},
      {"bad chunk size", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\nxyz\r\n", 400},
      {"chunk size overflow", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", 400},
      {"chunk data without CRLF", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n", 400},
      {"unknown expectation", "POST / HTTP/1.1\r\n" + host + "Content-Length: 1\r\nExpect: 200-ok\r\n\r\nx", 417},
      {"header too large", "GET / HTTP/1.1\r\n" + host + "X-Big: " + std::string(70'000, 'a') + "\r\n\r\n", 431},
      {"request line too large", "GET /" + std::string(70'000, 'a') + " HTTP/1.1\r\n" + host + "\r\n", 431},
      {"too many fields", "GET / HTTP/1.1\r\n" + host + [] {
         std::string s;
         for (int i = 0; i < 5000; ++i) s += "X-F" + std::to_string(i) + ": vvvvvvvvvvvv\r\n";
         return s;
       }() + "\r\n", 431},
  };
}

}  // namespace

TEST_CASE("malformed and hostile requests get the right status, close, and harm nobody") {
  // Bodies echo so that broken chunk framing surfaces as a 400 from the body read.
  test::Server srv(
      [](ResponseWriter& w, Request& r) {
        auto body = read_all(r.body());
        if (!body) return error(w, "bad body", 400);
        w.write("ok");
      },
      [](Server& s) { s.max_header_bytes = 64 << 10; });
  RawClient healthy(srv.port());
  for (const auto& c : bad_cases()) {
    INFO(c.name);
    RawClient bad(srv.port());
    bad.send(c.request);
    auto r = bad.read_response();
    CHECK(r.status == c.status);
    CHECK(r.header("Connection") == "close");
    CHECK(bad.closed_by_peer());
    // The healthy keep-alive connection still works after each attack.
    healthy.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(healthy.read_response().body == "ok");
  }
}

TEST_CASE("a 2 MiB header gets 431 under the default limit") {
  test::Server srv([](ResponseWriter& w, Request&) { w.write("ok"); });
  RawClient c(srv.port());
  c.send("GET / HTTP/1.1\r\nHost: x\r\nX-Huge: " + std::string(2 << 20, 'h') + "\r\n\r\n");
  auto r = c.read_response();
  CHECK(r.status == 431);
}

TEST_CASE("leading empty lines before a request are skipped (RFC 9112 section 2.2)") {
  test::Server srv([](ResponseWriter& w, Request&) { w.write("ok"); });
  RawClient c(srv.port());
  c.send("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(c.read_response().body == "ok");
}

TEST_CASE("input left by a rejected request never reaches another connection") {
  test::Server srv([](ResponseWriter& w, Request&) { w.write("ok"); });
  // Rejected heads leave bytes in their connection's buffer; buffers are pooled per
  // scheduler thread, so enough rounds reuse each of them.
  for (int i = 0; i < 20; ++i) {
    {
      RawClient bad(srv.port());
      bad.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nSECRET");
      CHECK(bad.read_response().status == 400);
    }
    RawClient good(srv.port());
    good.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(good.read_response().body == "ok");
  }
}
