// Tables from Go's net/http/pattern_test.go, run against our parser and comparisons.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "pattern.hpp"

using namespace httpkit::mux_detail;

namespace {

Segment lit(std::string s) { return {std::move(s), false, false}; }
Segment wild(std::string s) { return {std::move(s), true, false}; }
Segment multi(std::string s) { return {std::move(s), true, true}; }

std::unique_ptr<Pattern> must_parse(std::string_view s) {
  ParseError err;
  auto p = parse_pattern(s, err);
  INFO("pattern " << s << ": " << err.message());
  REQUIRE(p);
  return p;
}

}  // namespace

TEST_CASE("parse_pattern: valid patterns", "[mux][pattern]") {
  struct Case {
    std::string in, method, host;
    std::vector<Segment> segs;
  };
  const std::vector<Case> cases = {
      {"/", "", "", {multi("")}},
      {"/a", "", "", {lit("a")}},
      {"/a/", "", "", {lit("a"), multi("")}},
      {"/path/to/something", "", "", {lit("path"), lit("to"), lit("something")}},
      {"/{w1}/lit/{w2}", "", "", {wild("w1"), lit("lit"), wild("w2")}},
      {"/{w1}/lit/{w2}/", "", "", {wild("w1"), lit("lit"), wild("w2"), multi("")}},
      {"example.com/", "", "example.com", {multi("")}},
      {"GET /", "GET", "", {multi("")}},
      {"POST example.com/foo/{w}", "POST", "example.com", {lit("foo"), wild("w")}},
      {"/{$}", "", "", {lit("/")}},
      {"DELETE example.com/a/{foo12}/{$}", "DELETE", "example.com", {lit("a"), wild("foo12"), lit("/")}},
      {"/foo/{$}", "", "", {lit("foo"), lit("/")}},
      {"/{a}/foo/{rest...}", "", "", {wild("a"), lit("foo"), multi("rest")}},
      {"//", "", "", {lit(""), multi("")}},
      {"/foo///./../bar", "", "", {lit("foo"), lit(""), lit(""), lit("."), lit(".."), lit("bar")}},
      {"a.com/foo//", "", "a.com", {lit("foo"), lit(""), multi("")}},
      {"/%61%62/%7b/%", "", "", {lit("ab"), lit("{"), lit("%")}},
      // One or more spaces or tabs between method and path (Go 1.23).
      {"GET\t  /", "GET", "", {multi("")}},
      {"POST \t  example.com/foo/{w}", "POST", "example.com", {lit("foo"), wild("w")}},
      {"DELETE    \texample.com/a/{foo12}/{$}", "DELETE", "example.com", {lit("a"), wild("foo12"), lit("/")}},
      // Trailing white space is trimmed (strings.TrimSpace in current Go).
      {"GET /a ", "GET", "", {lit("a")}},
  };
  for (const auto& c : cases) {
    auto p = must_parse(c.in);
    INFO(c.in);
    CHECK(p->str == c.in);
    CHECK(p->method == c.method);
    CHECK(p->host == c.host);
    CHECK(p->segments == c.segs);
  }
}

TEST_CASE("parse_pattern: errors with Go's reason and offset", "[mux][pattern]") {
  struct Case {
    std::string in, want;  // want: the whole message
  };
  const std::vector<Case> cases = {
      {"", "empty pattern"},
      {"A=B /", "at offset 0: invalid method \"A=B\""},
      {" ", "at offset 1: host/path missing /"},
      {"/{w}x", "at offset 1: bad wildcard segment (must end with '}')"},
      {"/x{w}", "at offset 1: bad wildcard segment (must start with '{')"},
      {"/{wx", "at offset 1: bad wildcard segment (must end with '}')"},
      {"/a/{/}/c", "at offset 3: bad wildcard segment (must end with '}')"},
      {"/a/{%61}/c", "at offset 3: bad wildcard name \"%61\""},  // names aren't unescaped
      {"/{a$}", "at offset 1: bad wildcard name \"a$\""},
      {"/{}", "at offset 1: empty wildcard"},
      {"POST a.com/x/{}/y", "at offset 13: empty wildcard"},
      {"/{...}", "at offset 1: empty wildcard"},
      {"/{$...}", "at offset 1: bad wildcard name \"$\""},
      {"/{$}/", "at offset 1: {$} not at end"},
      {"/{$}/x", "at offset 1: {$} not at end"},
      {"/abc/{$}/x", "at offset 5: {$} not at end"},
      {"/{a...}/", "at offset 1: {...} wildcard not at end"},
      {"/{a...}/x", "at offset 1: {...} wildcard not at end"},
      {"{a}/b", "at offset 0: host contains '{' (missing initial '/'?)"},
      {"a.com{x}/b", "at offset 5: host contains '{' (missing initial '/'?)"},
      {"/a/{x}/b/{x...}", "at offset 9: duplicate wildcard name \"x\""},
      {"GET //", "at offset 4: non-CONNECT pattern with unclean path can never match"},
      {"GET /a/../b", "at offset 4: non-CONNECT pattern with unclean path can never match"},
      {"/{1a}", "at offset 1: bad wildcard name \"1a\""},
      {"/a b", "at offset 0: invalid method \"/a\""},
      {"example.com", "at offset 0: host/path missing /"},
  };
  for (const auto& c : cases) {
    ParseError err;
    auto p = parse_pattern(c.in, err);
    INFO(c.in);
    CHECK_FALSE(p);
    CHECK(err.message() == c.want);
  }
  SECTION("CONNECT keeps an unclean path") { CHECK(must_parse("CONNECT //a/../b")->segments.size() == 4); }
  SECTION("wildcard names may use digits after the first letter and _") { must_parse("/{_a1}/{B_2...}"); }
}

TEST_CASE("compare_methods", "[mux][pattern]") {
  using R = Relationship;
  struct Case {
    std::string p1, p2;
    R want;
  };
  const std::vector<Case> cases = {
      {"/", "/", R::equivalent},          {"GET /", "GET /", R::equivalent},
      {"HEAD /", "HEAD /", R::equivalent}, {"POST /", "POST /", R::equivalent},
      {"GET /", "POST /", R::disjoint},    {"GET /", "/", R::more_specific},
      {"HEAD /", "/", R::more_specific},   {"GET /", "HEAD /", R::more_general},
  };
  for (const auto& c : cases) {
    auto a = must_parse(c.p1), b = must_parse(c.p2);
    INFO(c.p1 << " vs " << c.p2);
    CHECK(to_string(compare_methods(*a, *b)) == to_string(c.want));
    CHECK(to_string(compare_methods(*b, *a)) == to_string(inverse(c.want)));
  }
}
