// RFC 9113 sections 4-8 and RFC 7541 MUSTs as the application sees them: malformed
// requests are reset with PROTOCOL_ERROR (section 8.1.1) and leave the connection
// serving; connection errors end it with GOAWAY (section 5.4.1). nghttp2 enforces the
// frame and stream-state rules, we enforce the messaging rules (request_head.cpp,
// decision 0048); the tests do not care which. Each malformed case below breaks one
// rule only, so that it fails if that one check is missing.
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

// with adds fields to a valid GET.
Fields with(Fields extra, std::string path = "/") {
  Fields f = get_fields(std::move(path));
  f.insert(f.end(), extra.begin(), extra.end());
  return f;
}

// request_fields: a request for "/" with this method and ":authority".
Fields request_fields(std::string method, std::string authority) {
  return {{":method", std::move(method)}, {":scheme", "http"}, {":path", "/"}, {":authority", std::move(authority)}};
}

// post_fields: a valid POST whose body follows, with extra fields.
Fields post_fields(Fields extra = {}) {
  Fields f = with(std::move(extra));
  f[0].second = "POST";
  return f;
}

// header_block is a HEADERS frame of literal fields on stream 1 (trailers, here).
std::string header_block(const Fields& fields, std::uint8_t flags) {
  std::string block;
  for (const auto& [k, v] : fields) block += hpack_literal(k, v);
  return frame(kHeaders, kEndHeaders | flags, 1, block);
}

// body_then_trailers: DATA "body" on stream 1, then a trailer section.
std::string body_then_trailers(const Fields& trailers, std::uint8_t flags = kEndStream) {
  return frame(kData, 0, 1, "body") + header_block(trailers, flags);
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
      {"neither :authority nor Host (8.3.1, as nghttp2)", {{":method", "GET"}, {":scheme", "http"}, {":path", "/"}}},
      {"empty :path", {{":method", "GET"}, {":scheme", "http"}, {":path", ""}, {":authority", "x"}}},
      {"empty :method", request_fields("", "x")},
      {"empty :authority", request_fields("GET", "")},
      // Field names (8.2.1): lowercase tokens.
      {"uppercase field name (8.2.1)", with({{"X-Upper", "1"}})},
      {"uppercase within the first eight bytes of a long name (8.2.1)", with({{"x-lonG-name", "1"}})},
      {"empty field name (8.2.1)", with({{"", "1"}})},
      {"space in a field name (8.2.1)", with({{"x y", "1"}})},
      {"non-token byte in a field name (8.2.1)", with({{"x@", "1"}})},
      {"non-token byte within the first eight bytes of a long name (8.2.1)", with({{"x(abcdefghi", "1"}})},
      {"non-token byte past eight bytes of a name (8.2.1)", with({{"x-abcdefg(", "1"}})},
      {"non-ASCII byte in a field name (8.2.1)", with({{"x-caf\xc3\xa9", "1"}})},
      // Field values (8.2.1): no NUL, CR, LF (nor other controls), no surrounding blanks.
      {"field value with CR LF (8.2.1)", with({{"x-bad", "a\r\nb"}})},
      {"field value with NUL (8.2.1)", with({{"x-bad", std::string("a\0b", 3)}})},
      {"field value with LF past eight bytes (8.2.1)", with({{"x-bad", "abcdefghij\nk"}})},
      {"field value with a control byte (8.2.1)", with({{"x-bad", "a\x01b"}})},
      {"field value with DEL (8.2.1)", with({{"x-bad", "a\x7f"}})},
      {"field value with leading space (8.2.1)", with({{"x-bad", " a"}})},
      {"field value with trailing tab (8.2.1)", with({{"x-bad", "a\t"}})},
      {"field value with trailing space past eight bytes (8.2.1)", with({{"x-bad", "abcdefghijk "}})},
      {"cookie with CR (8.2.1)", with({{"cookie", "a=1\r"}})},
      // Connection-specific fields (8.2.2).
      {"connection field (8.2.2)", with({{"connection", "keep-alive"}})},
      {"keep-alive field (8.2.2)", with({{"keep-alive", "timeout=5"}})},
      {"proxy-connection field (8.2.2)", with({{"proxy-connection", "keep-alive"}})},
      {"transfer-encoding field (8.2.2)", with({{"transfer-encoding", "chunked"}})},
      {"upgrade field (8.2.2)", with({{"upgrade", "websocket"}})},
      {"TE other than trailers (8.2.2)", with({{"te", "gzip"}})},
      {"TE with trailers and more (8.2.2)", with({{"te", "trailers, gzip"}})},
      // Pseudo-fields (8.3).
      {"pseudo-field after a regular one (8.3)",
       {{":method", "GET"}, {":authority", "x"}, {"x-a", "1"}, {":scheme", "http"}, {":path", "/"}}},
      {"pseudo-field after a cookie (8.3)",
       {{":method", "GET"}, {":authority", "x"}, {"cookie", "a=1"}, {":scheme", "http"}, {":path", "/"}}},
      {"pseudo-field after Host (8.3)", {{":method", "GET"}, {"host", "x"}, {":scheme", "http"}, {":path", "/"}}},
      {"unknown pseudo-field (8.3)", with({{":foo", "bar"}})},
      {"response pseudo-field in a request (8.3)", with({{":status", "200"}})},
      {":protocol without SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 4)",
       {{":method", "CONNECT"}, {":protocol", "websocket"}, {":scheme", "http"}, {":path", "/"}, {":authority", "x"}}},
      {"repeated :method (8.3.1)", [] { auto f = get_fields(); f.insert(f.begin(), {":method", "POST"}); return f; }()},
      {"repeated :path (8.3.1)", [] { auto f = get_fields(); f.insert(f.begin(), {":path", "/"}); return f; }()},
      {"repeated :authority (8.3.1)", with({{":authority", "localhost"}})},
      {":method not a token (8.3.1)", request_fields("G T", "x")},
      {":method with a non-token byte (8.3.1)", request_fields("GET(", "x")},
      {":scheme not a scheme (8.3.1)", {{":method", "GET"}, {":scheme", "1http"}, {":path", "/"}, {":authority", "x"}}},
      {":authority with a space (8.3.1)", request_fields("GET", "a b")},
      {":authority with a slash (8.3.1)", request_fields("GET", "a/b")},
      {":path with a space (8.3.1)", get_fields("/a b")},
      {":path with a control byte past eight bytes (8.3.1)", get_fields("/abcdefghij\x01")},
      {":path not in origin-form (8.3.1)", get_fields("relative")},
      {":path * for GET (8.3.1)", get_fields("*")},
      // Host: r.Host, held to the rules of :authority.
      {"Host naming another authority than :authority (8.3.1)", with({{"host", "evil.example"}})},
      {"Host with a space (8.3.1)", {{":method", "GET"}, {":scheme", "http"}, {":path", "/"}, {"host", "a b"}}},
      {"two Host fields (8.3.1)",
       {{":method", "GET"}, {":scheme", "http"}, {":path", "/"}, {"host", "a"}, {"host", "a"}}},
      // content-length (8.1.1; RFC 9110 section 8.6).
      {"content-length not a number (8.1.1)", with({{"content-length", "abc"}})},
      {"content-length negative (8.1.1)", with({{"content-length", "-0"}})},
      {"content-length with trailing junk (8.1.1)", with({{"content-length", "0x"}})},
      {"content-length beyond 63 bits (8.1.1)", with({{"content-length", "99999999999999999999"}})},
      {"two differing content-lengths (8.1.1)", with({{"content-length", "1"}, {"content-length", "0"}})},
      {"content-length above 0 with END_STREAM on HEADERS (8.1.1)", with({{"content-length", "5"}})},
      // CONNECT (8.5).
      {"CONNECT with :path (8.5)", {{":method", "CONNECT"}, {":authority", "x:443"}, {":path", "/"}}},
      {"CONNECT with :scheme (8.5)", {{":method", "CONNECT"}, {":authority", "x:443"}, {":scheme", "http"}}},
      {"CONNECT without :authority (8.5)", {{":method", "CONNECT"}}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    RawH2 conn(srv.port());
    conn.headers(1, c.fields);
    expect_stream_error(conn);
  }
}

// A handler that reads the whole body first: a stream left open waits for it, so a
// missing check shows as no RST_STREAM rather than a race with the response.
void read_then_answer(ResponseWriter& w, Request& r) {
  auto body = read_all(r.body());
  w.write(body.value_or("?") + "|" + std::string(r.trailer().get("X-T")));
}

TEST_CASE("h2 conformance: malformed request bodies and trailers are stream errors (8.1, 8.1.1)") {
  test::Server srv(test::Mode::h2c, read_then_answer);
  struct Case {
    const char* name;
    Fields head;       // sent without END_STREAM
    std::string then;  // frames that follow on stream 1
  };
  const Case cases[] = {
      {"DATA beyond content-length, before END_STREAM (8.1.1)", post_fields({{"content-length", "3"}}),
       frame(kData, 0, 1, "abcdef")},
      {"DATA beyond content-length over two frames (8.1.1)", post_fields({{"content-length", "5"}}),
       frame(kData, 0, 1, "abc") + frame(kData, 0, 1, "def")},
      {"DATA shorter than content-length at END_STREAM (8.1.1)", post_fields({{"content-length", "10"}}),
       frame(kData, kEndStream, 1, "short")},
      {"trailers that end short of content-length (8.1.1)", post_fields({{"content-length", "10"}}),
       frame(kData, 0, 1, "short") + header_block({{"x-t", "1"}}, kEndStream)},
      {"trailers without END_STREAM (8.1)", post_fields(), body_then_trailers({{"x-t", "1"}}, 0)},
      {"pseudo-field in trailers (8.1)", post_fields(), body_then_trailers({{":path", "/"}})},
      // CONNECT's head lacks ":scheme": in trailers it is not a repeat, only out of place.
      {"pseudo-field in a CONNECT's trailers (8.1)", {{":method", "CONNECT"}, {":authority", "x:443"}},
       frame(kData, 0, 1, "tunnel") + header_block({{":scheme", "http"}}, kEndStream)},
      {"uppercase trailer name (8.2.1)", post_fields(), body_then_trailers({{"X-T", "1"}})},
      {"trailer value with LF (8.2.1)", post_fields(), body_then_trailers({{"x-t", "a\nb"}})},
      {"connection-specific trailer (8.2.2)", post_fields(), body_then_trailers({{"transfer-encoding", "chunked"}})},
      {"trailer content-length the body disagrees with (8.1.1)", post_fields(),
       body_then_trailers({{"content-length", "3"}})},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    RawH2 conn(srv.port());
    conn.headers(1, c.head, kEndHeaders);
    conn.send(c.then);
    expect_stream_error(conn);
  }
}

TEST_CASE("h2 conformance: bodies and trailers that keep the rules reach the handler (8.1, 8.1.1)") {
  test::Server srv(test::Mode::h2c, read_then_answer);
  SECTION("a body as long as its content-length, then trailers") {
    RawH2 c(srv.port());
    c.headers(1, post_fields({{"content-length", "4"}}), kEndHeaders);
    c.send(frame(kData, 0, 1, "bo") + frame(kData, 0, 1, "dy") + header_block({{"x-t", "1"}}, kEndStream));
    RawFrame f = c.next_end(1);
    CHECK(f.type == kData);
    CHECK(f.payload == "body|1");
  }
  SECTION("a repeated content-length with the same value stands for one (RFC 9110 8.6)") {
    RawH2 c(srv.port());
    c.headers(1, post_fields({{"content-length", "4"}, {"content-length", "4"}}), kEndHeaders);
    c.send(frame(kData, kEndStream, 1, "body"));
    RawFrame f = c.next_end(1);
    CHECK(f.type == kData);
    CHECK(f.payload == "body|");
  }
  SECTION("content-length 0 with END_STREAM on HEADERS") {
    RawH2 c(srv.port());
    c.headers(1, with({{"content-length", "0"}}));
    RawFrame f = c.next_end(1);
    CHECK(f.type == kData);
    CHECK(f.payload == "|");
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
  SECTION("any lowercase token is a field name, obs-text and inner blanks are value bytes (8.2.1)") {
    test::Server names(test::Mode::h2c, [](ResponseWriter& w, Request& r) {
      w.write(std::string(r.header().get("x_y.z!#$%&'*+^`|~")) + "|" + std::string(r.header().get("X-Obs")));
    });
    H2Client nc(names.port());
    auto& r = nc.wait(nc.submit("GET", "/", {{"x_y.z!#$%&'*+^`|~", "1"}, {"x-obs", "caf\xc3\xa9 \t x"}}));
    CHECK(r.body == "1|caf\xc3\xa9 \t x");
  }
  SECTION("Host alone names the request's host, and is no header field (8.3.1)") {
    test::Server hosts(test::Mode::h2c, [](ResponseWriter& w, Request& r) {
      w.write(std::string(r.host()) + "|" + std::to_string(r.header().has("Host")));
    });
    RawH2 raw(hosts.port());
    raw.headers(1, {{":method", "GET"}, {":scheme", "http"}, {":path", "/"}, {"host", "example.com:8080"}});
    RawFrame f = raw.next_end(1);
    CHECK(f.type == kData);
    CHECK(f.payload == "example.com:8080|0");
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

// A handler that answers at once, before reading its request: the response ends while
// the request is still open (RFC 9113 section 8.1).
TEST_CASE("h2 conformance: a request that goes on after its early response is still held to 8.1.1") {
  test::Server srv(test::Mode::h2c, [](ResponseWriter& w, Request&) { w.write("early"); });
  RawH2 c(srv.port());
  c.headers(1, post_fields({{"content-length", "4"}}), kEndHeaders);
  RawFrame response = c.next_end(1);
  REQUIRE(response.type == kData);  // the response ended, the request did not
  CHECK(response.payload == "early");

  SECTION("a body longer than content-length is reset with PROTOCOL_ERROR, not ignored") {
    c.send(frame(kData, kEndStream, 1, "too long"));
    RawFrame f = c.next_end(1);
    REQUIRE(f.type == kRstStream);
    CHECK(error_code_of(f) == kProtocolError);
  }
  SECTION("a request that ends in time is not reset at all") {
    c.send(frame(kData, kEndStream, 1, "body") + frame(kPing, 0, 0, "pingpong"));
    RawFrame f = read_until(c.sock, c.buf, [](const RawFrame& r) { return r.type == kPing || r.type == kRstStream; });
    CHECK(f.type == kPing);  // the PING's answer came, and no RST_STREAM before it
  }
}
