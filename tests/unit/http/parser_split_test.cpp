// Incremental input: every prefix of a head must give need_more (never a wrong
// complete or a different error), and the resumable HeadScan must not change results.
#include <catch2/catch.hpp>

#include <string>

#include "parser_support.hpp"

using httpkit::http1::HeadScan;
using httpkit::http1::ParseStatus;
using parser_test::Parsed;

namespace {

const std::string_view kHeads[] = {
    "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
    "\r\n\r\nPOST /upload?x=1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 10\r\nX-Long: "
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
    "PUT http://h:1/p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n",
    "OPTIONS * HTTP/1.0\r\n\r\n",
};

// Heads that are invalid only once complete, and those invalid early.
const std::string_view kBadHeads[] = {
    "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
    "GET / HTTP/2.0\r\nHost: a\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: a\nX: 1\r\n\r\n",
    "G@T / HTTP/1.1\r\nHost: a\r\n\r\n",
};

}  // namespace

TEST_CASE("every prefix of a good head needs more", "[http1][parser]") {
  for (std::string_view head : kHeads) {
    INFO(head);
    Parsed whole(head);
    REQUIRE(whole.result.status == ParseStatus::complete);
    for (std::size_t cut = 0; cut < head.size(); ++cut) {
      INFO("cut at " << cut);
      Parsed p(head.substr(0, cut));
      REQUIRE(p.result.status == ParseStatus::need_more);
      CHECK(p.result.consumed == 0);
    }
  }
}

TEST_CASE("a head fed byte by byte with HeadScan parses the same", "[http1][parser]") {
  for (std::string_view head : kHeads) {
    INFO(head);
    Parsed whole(head);
    std::string buf;
    HeadScan scan;
    httpkit::http1::Limits limits;
    httpkit::Request req;
    httpkit::http1::BodyFraming framing;
    httpkit::http1::HeadResult r;
    for (char c : head) {
      buf.push_back(c);
      r = httpkit::http1::parse_request_head(buf, limits, req, framing, &scan);
      if (r.status != ParseStatus::need_more) break;
    }
    REQUIRE(r.status == ParseStatus::complete);
    CHECK(buf.size() == head.size());
    CHECK(r.consumed == whole.result.consumed);
    CHECK(req.request_uri() == whole.req.request_uri());
    CHECK(parser_test::fields(req.header()) == parser_test::fields(whole.req.header()));
    CHECK(framing.kind == whole.framing.kind);
    CHECK(framing.expect_continue == whole.framing.expect_continue);
  }
}

TEST_CASE("prefixes of bad heads need more or fail the same way", "[http1][parser]") {
  for (std::string_view head : kBadHeads) {
    INFO(head);
    Parsed whole(head);
    REQUIRE(whole.result.status == ParseStatus::error);
    for (std::size_t cut = 0; cut <= head.size(); ++cut) {
      INFO("cut at " << cut);
      Parsed p(head.substr(0, cut));
      if (p.result.status == ParseStatus::need_more) continue;
      REQUIRE(p.result.status == ParseStatus::error);
      CHECK(p.result.error_status == whole.result.error_status);
    }
  }
}
