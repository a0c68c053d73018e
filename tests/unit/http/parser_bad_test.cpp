// Request heads the parser must refuse, each with the exact status it must answer.
// Smuggling vectors (RFC 9112 section 11.2) first, then syntax, then limits.
#include <catch2/catch.hpp>

#include <string>

#include "parser_support.hpp"

using httpkit::http1::ParseStatus;
using parser_test::Parsed;

namespace {

struct BadCase {
  std::string_view name;
  std::string raw;
  int status;
  std::size_t max_header_bytes = std::size_t{1} << 20;
};

std::string req_with(std::string_view fields) { return "POST / HTTP/1.1\r\nHost: a\r\n" + std::string(fields) + "\r\n"; }

const BadCase kBad[] = {
    // Body framing and smuggling (sections 6.1-6.3).
    {"CL then TE", req_with("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"), 400},
    {"TE then CL", req_with("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"), 400},
    {"differing duplicate CL", req_with("Content-Length: 5\r\nContent-Length: 6\r\n"), 400},
    {"CL list in one field", req_with("Content-Length: 5, 5\r\n"), 400},
    {"CL with plus sign", req_with("Content-Length: +5\r\n"), 400},
    {"CL negative", req_with("Content-Length: -1\r\n"), 400},
    {"CL with garbage", req_with("Content-Length: 5a\r\n"), 400},
    {"CL hex", req_with("Content-Length: 0x10\r\n"), 400},
    {"CL empty", req_with("Content-Length:\r\n"), 400},
    {"CL overflows int64", req_with("Content-Length: 9223372036854775808\r\n"), 400},
    {"CL with inner space", req_with("Content-Length: 1 0\r\n"), 400},
    {"TE gzip", req_with("Transfer-Encoding: gzip\r\n"), 501},
    {"TE gzip, chunked", req_with("Transfer-Encoding: gzip, chunked\r\n"), 501},
    {"TE chunked, chunked", req_with("Transfer-Encoding: chunked, chunked\r\n"), 501},
    {"TE twice", req_with("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"), 501},
    {"TE identity", req_with("Transfer-Encoding: identity\r\n"), 501},
    {"TE chunked with junk", req_with("Transfer-Encoding: chunkedx\r\n"), 501},
    {"TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
    // Line endings (section 2.2).
    {"bare LF everywhere", "GET / HTTP/1.1\nHost: a\n\n", 400},
    {"bare LF after a field", "GET / HTTP/1.1\r\nHost: a\n\r\n", 400},
    {"bare LF as the blank line", "GET / HTTP/1.1\r\nHost: a\r\n\n", 400},
    {"bare CR in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", 400},
    {"bare CR in the request line", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", 400},
    {"CR CR LF", "GET / HTTP/1.1\r\r\nHost: a\r\n\r\n", 400},
    // Field syntax (section 5).
    {"obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", 400},
    {"whitespace before the first field", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400},
    {"NUL in a value", std::string("GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", 35), 400},
    {"DEL in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\x7f\r\n\r\n", 400},
    // Values of eight bytes and more are checked a word at a time: a bad byte in the
    // first word, in a later one, and in the tail after the last whole word.
    {"DEL in a long value", "GET / HTTP/1.1\r\nHost: a\r\nX: abcdef\x7fhijklmnop\r\n\r\n", 400},
    {"NUL late in a long value", std::string("GET / HTTP/1.1\r\nHost: a\r\nX: abcdefghijklmno\0q\r\n\r\n", 49), 400},
    {"control byte in a long value", "GET / HTTP/1.1\r\nHost: a\r\nX: tab\tthen\x01ctl\r\n\r\n", 400},
    {"bare CR in a long value", "GET / HTTP/1.1\r\nHost: a\r\nX: abcdefgh\rjk\r\n\r\n", 400},
    {"space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400},
    {"tab before colon", "GET / HTTP/1.1\r\nHost: a\r\nX\t: 1\r\n\r\n", 400},
    {"empty field name", "GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n", 400},
    {"non-token in name", "GET / HTTP/1.1\r\nHost: a\r\nX(y): v\r\n\r\n", 400},
    {"missing colon", "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400},
    {"non-ASCII name", "GET / HTTP/1.1\r\nHost: a\r\nN\xc3\xa4me: v\r\n\r\n", 400},
    // Request line (section 3).
    {"invalid method token", "G(ET / HTTP/1.1\r\nHost: a\r\n\r\n", 400},
    {"tab after method", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400},
    {"empty method", " / HTTP/1.1\r\nHost: a\r\n\r\n", 400},
    {"double space", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400},
    {"trailing space", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400},
    {"no version (HTTP/0.9 style)", "GET /\r\n\r\n", 400},
    {"space in target", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400},
    {"control byte in target", "GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n", 400},
    {"HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505},
    {"HTTP/0.9", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505},
    {"HTTP/3.0", "GET / HTTP/3.0\r\nHost: a\r\n\r\n", 505},
    {"h2c preface to HTTP/1", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505},
    {"version garbage", "GET / HTTP/1.1x\r\nHost: a\r\n\r\n", 400},
    {"version without minor", "GET / HTTP/1\r\nHost: a\r\n\r\n", 400},
    {"lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n", 400},
    {"two-digit minor", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400},
    {"not HTTP", "GET / FTP/1.1\r\nHost: a\r\n\r\n", 400},
    // Targets (section 3.2).
    {"relative target", "GET foo HTTP/1.1\r\nHost: a\r\n\r\n", 400},
    {"asterisk-form for GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400},
    {"opaque absolute-form", "GET http:foo HTTP/1.1\r\nHost: a\r\n\r\n", 400},
    {"bad escape in target", "GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n", 400},
    {"CONNECT without port", "CONNECT example.com HTTP/1.1\r\nHost: example.com\r\n\r\n", 400},
    {"CONNECT with a path", "CONNECT example.com:443/x HTTP/1.1\r\n\r\n", 400},
    // Host (section 3.2 and RFC 9110 section 7.2).
    {"missing Host on HTTP/1.1", "GET / HTTP/1.1\r\nX: 1\r\n\r\n", 400},
    {"missing Host with absolute-form", "GET http://a/ HTTP/1.1\r\n\r\n", 400},
    {"duplicate Host", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
    {"duplicate identical Host", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400},
    {"Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400},
    {"Host with a slash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400},
    // Expect (RFC 9110 section 10.1.1; Go's conn.serve).
    {"unknown expectation", "GET / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n", 417},
    // Limits: Go answers 431 for any head over MaxHeaderBytes + 4096 (decision 0003).
    {"complete head over the limit",
     "GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(5000, 'v') + "\r\n\r\n", 431, 100},
    {"incomplete head over the limit", "GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(5000, 'v'), 431, 100},
    {"long request-target", "GET /" + std::string(8000, 'u') + " HTTP/1.1\r\nHost: a\r\n\r\n", 431, 1024},
};

}  // namespace

TEST_CASE("parser rejects malformed heads with the right status", "[http1][parser]") {
  for (const BadCase& c : kBad) {
    INFO(c.name);
    Parsed p(c.raw, c.max_header_bytes);
    REQUIRE(p.result.status == ParseStatus::error);
    CHECK(p.result.error_status == c.status);
    CHECK_FALSE(p.result.error_message.empty());
    CHECK(p.result.consumed == 0);
  }
  CHECK(std::size(kBad) > 60);
}

TEST_CASE("garbage is refused before its first line ends", "[http1][parser]") {
  // A TLS ClientHello sent to a plain-text port: no need to wait for a line end.
  Parsed tls(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11));
  REQUIRE(tls.result.status == ParseStatus::error);
  CHECK(tls.result.error_status == 400);
  Parsed partial("GE");
  CHECK(partial.result.status == ParseStatus::need_more);
  Parsed half_crlf("\r");
  CHECK(half_crlf.result.status == ParseStatus::need_more);
}

TEST_CASE("leading CRLFs count against the limit", "[http1][parser]") {
  std::string crlfs;
  for (int i = 0; i < 3000; ++i) crlfs += "\r\n";
  Parsed p(crlfs, 100);
  REQUIRE(p.result.status == ParseStatus::error);
  CHECK(p.result.error_status == 431);
  Parsed q(crlfs.substr(0, 200), 100);
  CHECK(q.result.status == ParseStatus::need_more);
}
