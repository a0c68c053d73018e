// RFC 9113 sections 4-8 and RFC 7541 MUSTs as the application sees them: malformed
// requests are reset with PROTOCOL_ERROR (section 8.1.1) and leave the connection
// serving; connection errors end it with GOAWAY (section 5.4.1). Some rules nghttp2
// enforces, some are ours (request_head.cpp); the tests do not care which.
#include <catch2/catch.hpp>

#include <string>

#include "httpkit/httpkit.hpp"
#include "httpkit/test/server.hpp"
#include "integration/http2_raw.hpp"

using namespace httpkit;
using namespace httpkit::testing;

namespace {

void answer(ResponseWriter& w, Request& r) {
  w.header().set("X-Cookie", std::string(r.header().get("Cookie")));
  w.write(std::string(r.method()) + " " + std::string(r.request_uri()));
}

// expect_stream_error: the stream is reset with PROTOCOL_ERROR and stream 3 still works.
void expect_stream_error(RawH2& c) {
  RawFrame f = c.next_end(1);
  REQUIRE(f.type == kRstStream);
  CHECK(error_code_of(f) == kProtocolError);
  c.headers(3, get_fields("/after"));
  RawFrame ok = c.next_end(3);
  CHECK((ok.type == kData || ok.type == kHeaders));
}

}  // namespace

TEST_CASE("h2 conformance: malformed request heads are stream errors (RFC 9113 8.1.1, 8.2, 8.3)") {
  test::Server srv(test::Mode::h2c, answer);
  struct Case {
    const char* name;
    Fields fields;
  };
  const Case cases[] = {
      {"missing :method", {{":scheme", "http"}, {":path", "/"}, {":authority", "x"}}},
      {"missing :path", {{":method", "GET"}, {":scheme", "http"}, {":authority", "x"}}},
      {"missing :scheme", {{":method", "GET"}, {":path", "/"}, {":authority", "x"}}},
      {"empty :path", {{":method", "GET"}, {":scheme", "http"}, {":path", ""}, {":authority", "x"}}},
      {"uppercase field name (8.2.1)", [] { auto f = get_fields(); f.emplace_back("X-Upper", "1"); return f; }()},
      {"connection-specific field (8.2.2)", [] { auto f = get_fields(); f.emplace_back("connection", "keep-alive"); return f; }()},
      {"upgrade field (8.2.2)", [] { auto f = get_fields(); f.emplace_back("upgrade", "websocket"); return f; }()},
      {"TE other than trailers (8.2.2)", [] { auto f = get_fields(); f.emplace_back("te", "gzip"); return f; }()},
      {"pseudo-field after a regular one (8.3)", {{":method", "GET"}, {"x-a", "1"}, {":scheme", "http"}, {":path", "/"}}},
      {"unknown pseudo-field (8.3)", [] { auto f = get_fields(); f.emplace_back(":foo", "bar"); return f; }()},
      {"response pseudo-field in a request (8.3)", [] { auto f = get_fields(); f.emplace_back(":status", "200"); return f; }()},
      {"repeated :method (8.3.1)", [] { auto f = get_fields(); f.insert(f.begin(), {":method", "POST"}); return f; }()},
      {"field value with CR LF (8.2.1)", [] { auto f = get_fields(); f.emplace_back("x-bad", "a\r\nb"); return f; }()},
      {"field value with leading space (8.2.1)", [] { auto f = get_fields(); f.emplace_back("x-bad", " a"); return f; }()},
      {":path not in origin-form (8.3.1)", get_fields("relative")},
      {":path * for GET (8.3.1)", get_fields("*")},
      {"Host naming another authority than :authority (8.3.1)",
       [] { auto f = get_fields(); f.emplace_back("host", "evil.example"); return f; }()},
      {"CONNECT with :path (8.5)", {{":method", "CONNECT"}, {":authority", "x:443"}, {":path", "/"}}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    RawH2 conn(srv.port());
    conn.headers(1, c.fields);
    expect_stream_error(conn);
  }
}

TEST_CASE("h2 conformance: content-length that disagrees with DATA is a stream error (8.1.1)") {
  test::Server srv(test::Mode::h2c, answer);
  RawH2 c(srv.port());
  auto f = get_fields();
  f[0].second = "POST";
  f.emplace_back("content-length", "10");
  c.headers(1, f, kEndHeaders);
  c.send(frame(kData, kEndStream, 1, "short"));
  expect_stream_error(c);
}

TEST_CASE("h2 conformance: a pseudo-field in trailers is a stream error (8.1)") {
  test::Server srv(test::Mode::h2c, [](ResponseWriter& w, Request& r) {
    (void)read_all(r.body());
    w.write("x");
  });
  RawH2 c(srv.port());
  auto f = get_fields();
  f[0].second = "POST";
  c.headers(1, f, kEndHeaders);
  c.send(frame(kData, 0, 1, "body"));
  c.headers(1, {{":path", "/again"}}, kEndHeaders | kEndStream);
  expect_stream_error(c);
}

TEST_CASE("h2 conformance: frames on the wrong stream are connection errors (5.1.1, 6.1)") {
  test::Server srv(test::Mode::h2c, answer);
  SECTION("DATA on stream 0") {
    RawH2 c(srv.port());
    c.send(frame(kData, 0, 0, "x"));
    RawFrame g = c.next_end(0);
    REQUIRE(g.type == kGoaway);
    CHECK(error_code_of(g) == kProtocolError);
  }
  SECTION("a client-initiated even stream id") {
    RawH2 c(srv.port());
    c.headers(2, get_fields());
    RawFrame g = c.next_end(2);
    REQUIRE(g.type == kGoaway);
    CHECK(error_code_of(g) == kProtocolError);
  }
  SECTION("a garbage preface closes the connection") {
    Socket s(srv.port(), std::nullopt, std::chrono::seconds(5));
    s.send("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n");
    std::string buf;
    CHECK(read_until(s, buf, [](const RawFrame&) { return false; }).type == -1);
  }
  // The server still serves other connections.
  RawH2 ok(srv.port());
  ok.headers(1, get_fields());
  CHECK(ok.next_end(1).type == kData);
}

TEST_CASE("h2 conformance: what the application must get right") {
  test::Server srv(test::Mode::h2c, answer);
  H2Client c(srv.port());
  SECTION("OPTIONS * is the server-wide OPTIONS (8.3.1)") {
    auto& r = c.wait(c.submit("OPTIONS", "*"));
    CHECK(r.status == 200);
    CHECK(r.header("content-length") == "0");
  }
  SECTION("cookie crumbs are joined with \"; \" (8.2.3)") {
    auto& r = c.wait(c.submit("GET", "/", {{"cookie", "a=1"}, {"cookie", "b=2"}}));
    CHECK(r.header("x-cookie") == "a=1; b=2");
  }
  SECTION("TE: trailers is allowed (8.2.2)") {
    CHECK(c.wait(c.submit("GET", "/", {{"te", "trailers"}})).status == 200);
  }
  SECTION("a response carries no connection-specific fields (8.2.2)") {
    test::Server hop(test::Mode::h2c, [](ResponseWriter& w, Request&) {
      w.header().set("Connection", "close");
      w.header().set("Keep-Alive", "timeout=5");
      w.header().set("Transfer-Encoding", "chunked");
      w.header().set("Upgrade", "foo");
      w.write("clean");
    });
    H2Client hc(hop.port());
    auto& r = hc.get("/");
    CHECK(r.body == "clean");  // nghttp2's client would have reset a response carrying them
    for (const char* name : {"connection", "keep-alive", "transfer-encoding", "upgrade"}) CHECK_FALSE(r.header(name));
  }
  SECTION("field names reach the handler canonicalised, values intact (8.2)") {
    test::Server names(test::Mode::h2c, [](ResponseWriter& w, Request& r) {
      w.write(std::string(r.header().get("X-Mixed-Name")) + "|" + std::to_string(r.header().has("x-mixed-name")));
    });
    H2Client nc(names.port());
    CHECK(nc.wait(nc.submit("GET", "/", {{"x-mixed-name", "v a\tl"}})).body == "v a\tl|1");
  }
  SECTION("a 1xx after the final response is impossible, more than one before is fine (8.1)") {
    test::Server hints(test::Mode::h2c, [](ResponseWriter& w, Request&) {
      w.write_header(103);
      w.write_header(103);
      w.write_header(200);
      w.write_header(103);  // superfluous after the final status
    });
    H2Client hc(hints.port());
    auto& r = hc.get("/");
    CHECK(r.informational == std::vector<int>{103, 103});
    CHECK(r.status == 200);
  }
}

TEST_CASE("h2 conformance: HPACK dynamic table size above our setting is a connection error (RFC 7541 4.2, 6.3)") {
  test::Server srv(test::Mode::h2c, answer);
  RawH2 c(srv.port());
  // Dynamic table size update to 8192 (> SETTINGS_HEADER_TABLE_SIZE 4096): 001xxxxx.
  std::string block = "\x3f\xe1\x3f";  // 31 + 8161 = 8192, RFC 7541 5.1 integer
  for (const auto& [k, v] : get_fields()) block += hpack_literal(k, v);
  c.send(frame(kHeaders, kEndHeaders | kEndStream, 1, block));
  RawFrame g = c.next_end(1);
  REQUIRE(g.type == kGoaway);
  CHECK(error_code_of(g) == 9);  // COMPRESSION_ERROR
}
