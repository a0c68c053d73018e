// RFC 9112 request heads the parser must accept, with everything it extracts.
#include <catch2/catch.hpp>

#include "parser_support.hpp"

using httpkit::http1::BodyKind;
using httpkit::http1::ParseStatus;
using parser_test::Parsed;

namespace {

struct GoodCase {
  std::string_view name;
  std::string_view raw;
  std::string_view method, request_uri, path, raw_path, raw_query, host;
  int proto_minor;
  std::int64_t content_length;
  BodyKind body;
  bool keep_alive;
  std::string_view fields;
  std::size_t consumed;  // 0: the whole input
  bool expect_continue = false;
};

const GoodCase kGood[] = {
    {"origin-form", "GET / HTTP/1.1\r\nHost: a.example\r\n\r\n", "GET", "/", "/", "", "", "a.example", 1, 0,
     BodyKind::none, true, "", 0},
    {"leading CRLFs are skipped (9112 2.2)", "\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n", "GET", "/x", "/x", "", "",
     "a", 1, 0, BodyKind::none, true, "", 0},
    {"HTTP/1.0 without Host closes", "GET /x?y=1 HTTP/1.0\r\n\r\n", "GET", "/x?y=1", "/x", "", "y=1", "", 0, 0,
     BodyKind::none, false, "", 0},
    {"HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", "GET", "/", "/", "", "", "", 0, 0,
     BodyKind::none, true, "Connection=Keep-Alive", 0},
    {"absolute-form: authority wins over Host", "GET http://example.com:8080/p%20q?a=b HTTP/1.1\r\nHost: other\r\n\r\n",
     "GET", "http://example.com:8080/p%20q?a=b", "/p q", "", "a=b", "example.com:8080", 1, 0, BodyKind::none, true, "",
     0},
    {"authority-form CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", "CONNECT",
     "example.com:443", "", "", "", "example.com:443", 1, 0, BodyKind::none, true, "", 0},
    {"CONNECT needs no Host", "CONNECT [::1]:443 HTTP/1.1\r\n\r\n", "CONNECT", "[::1]:443", "", "", "", "[::1]:443", 1,
     0, BodyKind::none, true, "", 0},
    {"asterisk-form OPTIONS", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", "OPTIONS", "*", "*", "", "", "a", 1, 0,
     BodyKind::none, true, "", 0},
    {"Content-Length body is not consumed", "POST /f HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", "POST",
     "/f", "/f", "", "", "a", 1, 5, BodyKind::content_length, true, "Content-Length=5", 48},
    {"chunked, case-insensitive", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n", "POST", "/", "/",
     "", "", "a", 1, -1, BodyKind::chunked, true, "", 0},
    {"names canonicalised, OWS trimmed",
     "GET / HTTP/1.1\r\ncontent-type: text/plain\r\nx-FOO-bar:  v w \t\r\nHost: a\r\nX-Empty:\r\n\r\n", "GET", "/",
     "/", "", "", "a", 1, 0, BodyKind::none, true, "Content-Type=text/plain;X-Foo-Bar=v w;X-Empty=", 0},
    {"obs-text in a value", "GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\xe9\r\n\r\n", "GET", "/", "/", "", "", "a", 1, 0,
     BodyKind::none, true, "X-Name=caf\xe9", 0},
    {"Connection: close", "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close\r\n\r\n", "GET", "/", "/", "", "",
     "a", 1, 0, BodyKind::none, false, "Connection=keep-alive, close", 0},
    {"Expect: 100-continue with a body",
     "PUT /u HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-Continue\r\n\r\n", "PUT", "/u", "/u", "", "", "a",
     1, 3, BodyKind::content_length, true, "Content-Length=3;Expect=100-Continue", 0, true},
    {"Expect: 100-continue without a body is ignored", "PUT /u HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n",
     "PUT", "/u", "/u", "", "", "a", 1, 0, BodyKind::none, true, "Expect=100-continue", 0, false},
    {"identical duplicate Content-Length collapses",
     "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\nContent-Length: 7\r\n\r\n", "POST", "/", "/", "", "", "a", 1,
     7, BodyKind::content_length, true, "Content-Length=7", 0},
    {"Content-Length: 0", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 000\r\n\r\n", "POST", "/", "/", "", "", "a", 1,
     0, BodyKind::none, true, "Content-Length=000", 0},
    {"HTTP/1.2 is served as 1.x (Go)", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", "GET", "/", "/", "", "", "a", 2, 0,
     BodyKind::none, true, "", 0},
    {"extension method", "M-SEARCH / HTTP/1.1\r\nHost: a\r\n\r\n", "M-SEARCH", "/", "/", "", "", "a", 1, 0,
     BodyKind::none, true, "", 0},
    {"raw path kept when escaping differs", "GET /a%2Fb/c HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", "GET", "/a%2Fb/c",
     "/a/b/c", "/a%2Fb/c", "", "[::1]:8080", 1, 0, BodyKind::none, true, "", 0},
    {"Host is not kept in the header", "GET / HTTP/1.1\r\nX-A: 1\r\nHost: h\r\nX-B: 2\r\n\r\n", "GET", "/", "/", "", "",
     "h", 1, 0, BodyKind::none, true, "X-A=1;X-B=2", 0},
    {"empty Host is allowed (Go)", "GET / HTTP/1.1\r\nHost:\r\n\r\n", "GET", "/", "/", "", "", "", 1, 0, BodyKind::none,
     true, "", 0},
    {"pipelined: only the first head", "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n", "GET",
     "/1", "/1", "", "", "a", 1, 0, BodyKind::none, true, "", 28},
    {"tab OWS", "GET / HTTP/1.1\r\nHost:\ta\t\r\nX:\t\tv\r\n\r\n", "GET", "/", "/", "", "", "a", 1, 0, BodyKind::none,
     true, "X=v", 0},
    {"tabs and obs-text inside long values (checked a word at a time)",
     "GET / HTTP/1.1\r\nHost: a\r\nX-Long: tab\tinside\tthe\tvalue\r\nX-Text: caf\xe9 cr\xe8me br\xfbl\xe9!\r\n\r\n", "GET",
     "/", "/", "", "", "a", 1, 0, BodyKind::none, true,
     "X-Long=tab\tinside\tthe\tvalue;X-Text=caf\xe9 cr\xe8me br\xfbl\xe9!", 0},
    {"query with escapes", "GET /s?q=a+b&r=%2F HTTP/1.1\r\nHost: a\r\n\r\n", "GET", "/s?q=a+b&r=%2F", "/s", "",
     "q=a+b&r=%2F", "a", 1, 0, BodyKind::none, true, "", 0},
};

}  // namespace

TEST_CASE("parser accepts well-formed heads", "[http1][parser]") {
  for (const GoodCase& c : kGood) {
    INFO(c.name);
    Parsed p(c.raw);
    REQUIRE(p.result.status == ParseStatus::complete);
    CHECK(p.result.consumed == (c.consumed ? c.consumed : c.raw.size()));
    CHECK(p.req.method() == c.method);
    CHECK(p.req.request_uri() == c.request_uri);
    CHECK(p.req.url().path == c.path);
    CHECK(p.req.url().raw_path == c.raw_path);
    CHECK(p.req.url().raw_query == c.raw_query);
    CHECK(p.req.host() == c.host);
    CHECK(p.req.proto_major() == 1);
    CHECK(p.req.proto_minor() == c.proto_minor);
    CHECK(p.req.content_length() == c.content_length);
    CHECK(p.framing.kind == c.body);
    CHECK(p.framing.keep_alive == c.keep_alive);
    CHECK(p.req.close() == !c.keep_alive);
    CHECK(p.framing.expect_continue == c.expect_continue);
    CHECK(parser_test::fields(p.req.header()) == c.fields);
  }
}

TEST_CASE("pipelined heads parse one after another", "[http1][parser]") {
  std::string buf = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: b\r\nContent-Length: 1\r\n\r\nxGET /3 HTTP/1.0\r\n\r\n";
  httpkit::http1::Limits limits;
  std::size_t off = 0;
  std::string paths;
  for (int i = 0; i < 3; ++i) {
    httpkit::Request req;
    httpkit::http1::BodyFraming framing;
    auto r = httpkit::http1::parse_request_head(std::span(buf).subspan(off), limits, req, framing);
    REQUIRE(r.status == ParseStatus::complete);
    paths += req.url().path;
    off += r.consumed + static_cast<std::size_t>(framing.length);
  }
  CHECK(paths == "/1/2/3");
  CHECK(off == buf.size());
}

TEST_CASE("header views point into the canonicalised buffer, common names to static text", "[http1][parser]") {
  Parsed p("GET / HTTP/1.1\r\nhost: a\r\nuser-agent: t\r\nx-trace-ID: 7\r\n\r\n");
  REQUIRE(p.result.status == ParseStatus::complete);
  CHECK(p.buf.find("X-Trace-Id: 7") != std::string::npos);  // rewritten in place
  const auto inside = [&](std::string_view v) {
    return v.data() >= p.buf.data() && v.data() + v.size() <= p.buf.data() + p.buf.size();
  };
  REQUIRE(p.req.header().size() == 2);  // Host is req.host()
  const auto& ua = *p.req.header().begin();
  CHECK(ua.name == "User-Agent");
  CHECK_FALSE(inside(ua.name));  // common: the static canonical text, buffer untouched
  CHECK(p.buf.find("user-agent: t") != std::string::npos);
  CHECK(inside(ua.value));
  const auto& trace = *std::next(p.req.header().begin());
  CHECK(trace.name == "X-Trace-Id");
  CHECK(inside(trace.name));
  CHECK(p.req.header().get("USER-AGENT") == "t");
}

TEST_CASE("a reused Request is refilled cleanly", "[http1][parser]") {
  std::string a = "POST /first?x=1 HTTP/1.1\r\nHost: a\r\nX: 1\r\nContent-Length: 2\r\n\r\n";
  std::string b = "GET /second HTTP/1.1\r\nHost: b\r\n\r\n";
  httpkit::Request req;
  httpkit::http1::BodyFraming framing;
  httpkit::http1::Limits limits;
  REQUIRE(httpkit::http1::parse_request_head(a, limits, req, framing).status == ParseStatus::complete);
  req.reset();
  REQUIRE(httpkit::http1::parse_request_head(b, limits, req, framing).status == ParseStatus::complete);
  CHECK(req.url().path == "/second");
  CHECK(req.url().raw_query.empty());
  CHECK(req.header().empty());
  CHECK(req.content_length() == 0);
  CHECK(framing.kind == BodyKind::none);
}

TEST_CASE("a head just within the limit (plus Go's 4096 slack) is accepted", "[http1][parser]") {
  std::string raw = "GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(4000, 'v') + "\r\n\r\n";
  Parsed p(raw, 100);
  CHECK(p.result.status == ParseStatus::complete);
  std::string exact = "GET / HTTP/1.1\r\nHost: a\r\nX: ";
  exact += std::string(100 + 4096 - exact.size() - 4, 'v') + "\r\n\r\n";
  REQUIRE(exact.size() == 100 + 4096);
  Parsed q(exact, 100);
  CHECK(q.result.status == ParseStatus::complete);
}
