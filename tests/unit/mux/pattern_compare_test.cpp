// Go's pattern_test.go tables for comparePaths, conflictsWith, describeConflict,
// commonPath and differencePath.
#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <vector>

#include "pattern.hpp"

using namespace httpkit::mux_detail;
using R = Relationship;

namespace {

std::unique_ptr<Pattern> must_parse(std::string_view s) {
  ParseError err;
  auto p = parse_pattern(s, err);
  INFO("pattern " << s << ": " << err.message());
  REQUIRE(p);
  return p;
}

struct RelCase {
  const char* p1;
  const char* p2;
  R want;
};

// A non-final segment is a literal or a single wildcard; a final one is also
// empty (trailing slash), dollar, or multi. Trailing slash and multi are the same.
const std::vector<RelCase> kComparePaths = {
    // A literal is more specific than anything it overlaps, except itself.
    {"/a", "/a", R::equivalent}, {"/a", "/b", R::disjoint}, {"/a", "/", R::more_specific},
    {"/a", "/{$}", R::disjoint}, {"/a", "/{x}", R::more_specific}, {"/a", "/{x...}", R::more_specific},
    // Adding a segment doesn't change that.
    {"/b/a", "/b/a", R::equivalent}, {"/b/a", "/b/b", R::disjoint}, {"/b/a", "/b/", R::more_specific},
    {"/b/a", "/b/{$}", R::disjoint}, {"/b/a", "/b/{x}", R::more_specific}, {"/b/a", "/b/{x...}", R::more_specific},
    {"/{z}/a", "/{z}/a", R::equivalent}, {"/{z}/a", "/{z}/b", R::disjoint}, {"/{z}/a", "/{z}/", R::more_specific},
    {"/{z}/a", "/{z}/{$}", R::disjoint}, {"/{z}/a", "/{z}/{x}", R::more_specific},
    {"/{z}/a", "/{z}/{x...}", R::more_specific},
    // Single wildcard on left.
    {"/{z}", "/a", R::more_general}, {"/{z}", "/a/b", R::disjoint}, {"/{z}", "/{$}", R::disjoint},
    {"/{z}", "/{x}", R::equivalent}, {"/{z}", "/", R::more_specific}, {"/{z}", "/{x...}", R::more_specific},
    {"/b/{z}", "/b/a", R::more_general}, {"/b/{z}", "/b/a/b", R::disjoint}, {"/b/{z}", "/b/{$}", R::disjoint},
    {"/b/{z}", "/b/{x}", R::equivalent}, {"/b/{z}", "/b/", R::more_specific},
    {"/b/{z}", "/b/{x...}", R::more_specific},
    // Trailing slash on left.
    {"/", "/a", R::more_general}, {"/", "/a/b", R::more_general}, {"/", "/{$}", R::more_general},
    {"/", "/{x}", R::more_general}, {"/", "/", R::equivalent}, {"/", "/{x...}", R::equivalent},
    {"/b/", "/b/a", R::more_general}, {"/b/", "/b/a/b", R::more_general}, {"/b/", "/b/{$}", R::more_general},
    {"/b/", "/b/{x}", R::more_general}, {"/b/", "/b/", R::equivalent}, {"/b/", "/b/{x...}", R::equivalent},
    {"/{z}/", "/{z}/a", R::more_general}, {"/{z}/", "/{z}/a/b", R::more_general},
    {"/{z}/", "/{z}/{$}", R::more_general}, {"/{z}/", "/{z}/{x}", R::more_general},
    {"/{z}/", "/{z}/", R::equivalent}, {"/{z}/", "/a/", R::more_general},
    {"/{z}/", "/{z}/{x...}", R::equivalent}, {"/{z}/", "/a/{x...}", R::more_general},
    {"/a/{z}/", "/{z}/a/", R::overlaps}, {"/a/{z}/b/", "/{x}/c/{y...}", R::overlaps},
    // Multi wildcard on left.
    {"/{m...}", "/a", R::more_general}, {"/{m...}", "/a/b", R::more_general},
    {"/{m...}", "/{$}", R::more_general}, {"/{m...}", "/{x}", R::more_general},
    {"/{m...}", "/", R::equivalent}, {"/{m...}", "/{x...}", R::equivalent},
    {"/b/{m...}", "/b/a", R::more_general}, {"/b/{m...}", "/b/a/b", R::more_general},
    {"/b/{m...}", "/b/{$}", R::more_general}, {"/b/{m...}", "/b/{x}", R::more_general},
    {"/b/{m...}", "/b/", R::equivalent}, {"/b/{m...}", "/b/{x...}", R::equivalent},
    {"/b/{m...}", "/a/{x...}", R::disjoint},
    {"/{z}/{m...}", "/{z}/a", R::more_general}, {"/{z}/{m...}", "/{z}/a/b", R::more_general},
    {"/{z}/{m...}", "/{z}/{$}", R::more_general}, {"/{z}/{m...}", "/{z}/{x}", R::more_general},
    {"/{z}/{m...}", "/{w}/", R::equivalent}, {"/{z}/{m...}", "/a/", R::more_general},
    {"/{z}/{m...}", "/{z}/{x...}", R::equivalent}, {"/{z}/{m...}", "/a/{x...}", R::more_general},
    {"/a/{m...}", "/a/b/{y...}", R::more_general}, {"/a/{m...}", "/a/{x}/{y...}", R::more_general},
    {"/a/{z}/{m...}", "/a/b/{y...}", R::more_general}, {"/a/{z}/{m...}", "/{z}/a/", R::overlaps},
    {"/a/{z}/{m...}", "/{z}/b/{y...}", R::overlaps}, {"/a/{z}/b/{m...}", "/{x}/c/{y...}", R::overlaps},
    {"/a/{z}/a/{m...}", "/{x}/b", R::disjoint},
    // Dollar on left.
    {"/{$}", "/a", R::disjoint}, {"/{$}", "/a/b", R::disjoint}, {"/{$}", "/{$}", R::equivalent},
    {"/{$}", "/{x}", R::disjoint}, {"/{$}", "/", R::more_specific}, {"/{$}", "/{x...}", R::more_specific},
    {"/b/{$}", "/b", R::disjoint}, {"/b/{$}", "/b/a", R::disjoint}, {"/b/{$}", "/b/a/b", R::disjoint},
    {"/b/{$}", "/b/{$}", R::equivalent}, {"/b/{$}", "/b/{x}", R::disjoint}, {"/b/{$}", "/b/", R::more_specific},
    {"/b/{$}", "/b/{x...}", R::more_specific}, {"/b/{$}", "/b/c/{x...}", R::disjoint},
    {"/b/{x}/a/{$}", "/{x}/c/{y...}", R::overlaps}, {"/{x}/b/{$}", "/a/{x}/{y}", R::disjoint},
    {"/{x}/b/{$}", "/a/{x}/c", R::disjoint},
    {"/{z}/{$}", "/{z}/a", R::disjoint}, {"/{z}/{$}", "/{z}/a/b", R::disjoint},
    {"/{z}/{$}", "/{z}/{$}", R::equivalent}, {"/{z}/{$}", "/{z}/{x}", R::disjoint},
    {"/{z}/{$}", "/{z}/", R::more_specific}, {"/{z}/{$}", "/a/", R::overlaps},
    {"/{z}/{$}", "/a/{x...}", R::overlaps}, {"/{z}/{$}", "/{z}/{x...}", R::more_specific},
    {"/a/{z}/{$}", "/{z}/a/", R::overlaps},
};

}  // namespace

TEST_CASE("compare_paths: Go's table, both directions", "[mux][pattern]") {
  for (const auto& c : kComparePaths) {
    auto a = must_parse(c.p1), b = must_parse(c.p2);
    INFO(c.p1 << " vs " << c.p2);
    CHECK(to_string(compare_paths(*a, *a)) == "equivalent");
    CHECK(to_string(compare_paths(*a, *b)) == to_string(c.want));
    CHECK(to_string(compare_paths(*b, *a)) == to_string(inverse(c.want)));
  }
}

TEST_CASE("conflicts_with is symmetric and follows precedence", "[mux][pattern]") {
  struct Case {
    const char* p1;
    const char* p2;
    bool want;
  };
  const std::vector<Case> cases = {
      {"/a", "/a", true}, {"/a", "/ab", false}, {"/a/b/cd", "/a/b/cd", true}, {"/a/b/cd", "/a/b/c", false},
      {"/a/b/c", "/a/c/c", false}, {"/{x}", "/{y}", true}, {"/{x}", "/a", false},
      {"/{x}/{y}", "/{x}/a", false}, {"/{x}/{y}", "/{x}/a/b", false}, {"/{x}", "/a/{y}", false},
      {"/{x}/{y}", "/{x}/a/", false}, {"/{x}", "/a/{y...}", false}, {"/{x}/a/{y}", "/{x}/a/{y...}", false},
      {"/{x}/{y}", "/{x}/a/{$}", false}, {"/{x}/{y}/{$}", "/{x}/a/{$}", false}, {"/a/{x}", "/{x}/b", true},
      {"/", "GET /", false}, {"/", "GET /foo", false}, {"GET /", "GET /foo", false}, {"GET /", "/foo", true},
      {"GET /foo", "HEAD /", true},
      // A host wins over no host; different hosts never conflict.
      {"example.com/a/{x}", "/{x}/b", false}, {"a.com/a", "b.com/a", false}, {"a.com/{x}", "a.com/{y}", true},
  };
  for (const auto& c : cases) {
    auto a = must_parse(c.p1), b = must_parse(c.p2);
    INFO(c.p1 << " vs " << c.p2);
    CHECK(conflicts_with(*a, *b) == c.want);
    CHECK(conflicts_with(*b, *a) == c.want);
  }
}

TEST_CASE("describe_conflict explains the conflict", "[mux][pattern]") {
  struct Case {
    const char* p1;
    const char* p2;
    const char* want;
  };
  const std::vector<Case> cases = {
      {"/a/{x}", "/a/{y}", "/a/{x} matches the same requests as /a/{y}"},
      {"/", "/{m...}", "/ matches the same requests as /{m...}"},
      {"/a/{x}", "/{y}/b",
       "/a/{x} and /{y}/b both match some paths, like \"/a/b\".\n"
       "But neither is more specific than the other.\n"
       "/a/{x} matches \"/a/x\", but /{y}/b doesn't.\n"
       "/{y}/b matches \"/y/b\", but /a/{x} doesn't."},
      {"/a", "GET /{x}", "/a matches more methods than GET /{x}, but has a more specific path pattern"},
      {"GET /a", "HEAD /", "GET /a matches more methods than HEAD /, but has a more specific path pattern"},
      {"POST /", "/a", "POST / matches fewer methods than /a, but has a more general path pattern"},
  };
  for (const auto& c : cases) {
    auto a = must_parse(c.p1), b = must_parse(c.p2);
    INFO(c.p1 << " vs " << c.p2);
    CHECK(describe_conflict(*a, *b) == c.want);
  }
}

TEST_CASE("common_path: a path both overlapping patterns match", "[mux][pattern]") {
  const std::vector<std::array<const char*, 3>> cases = {
      {"/a/{x}", "/{x}/a", "/a/a"},
      {"/a/{z}/", "/{z}/a/", "/a/a/"},
      {"/a/{z}/{m...}", "/{z}/a/", "/a/a/"},
      {"/{z}/{$}", "/a/", "/a/"},
      {"/{z}/{$}", "/a/{x...}", "/a/"},
      {"/a/{z}/{$}", "/{z}/a/", "/a/a/"},
      {"/a/{x}/b/{y...}", "/{x}/c/{y...}", "/a/c/b/"},
      {"/a/{x}/b/", "/{x}/c/{y...}", "/a/c/b/"},
      {"/a/{x}/b/{$}", "/{x}/c/{y...}", "/a/c/b/"},
      {"/a/{z}/{x...}", "/{z}/b/{y...}", "/a/b/"},
  };
  for (const auto& c : cases) {
    auto a = must_parse(c[0]), b = must_parse(c[1]);
    INFO(c[0] << " vs " << c[1]);
    REQUIRE(to_string(compare_paths(*a, *b)) == "overlaps");
    CHECK(common_path(*a, *b) == c[2]);
  }
}

TEST_CASE("difference_path: a path only the first pattern matches", "[mux][pattern]") {
  const std::vector<std::array<const char*, 3>> cases = {
      {"/a/{x}", "/{x}/a", "/a/x"},
      {"/{x}/a", "/a/{x}", "/x/a"},
      {"/a/{z}/", "/{z}/a/", "/a/z/"},
      {"/{z}/a/", "/a/{z}/", "/z/a/"},
      {"/{a}/a/", "/a/{z}/", "/ax/a/"},
      {"/a/{z}/{x...}", "/{z}/b/{y...}", "/a/z/"},
      {"/{z}/b/{y...}", "/a/{z}/{x...}", "/z/b/"},
      {"/a/b/", "/a/b/c", "/a/b/"},
      {"/a/b/{x...}", "/a/b/c", "/a/b/"},
      {"/a/b/{x...}", "/a/b/c/d", "/a/b/"},
      {"/a/b/{x...}", "/a/b/c/d/", "/a/b/"},
      {"/a/{z}/{m...}", "/{z}/a/", "/a/z/"},
      {"/{z}/a/", "/a/{z}/{m...}", "/z/a/"},
      {"/{z}/{$}", "/a/", "/z/"},
      {"/a/", "/{z}/{$}", "/a/x"},
      {"/{z}/{$}", "/a/{x...}", "/z/"},
      {"/a/{foo...}", "/{z}/{$}", "/a/foo"},
      {"/a/{z}/{$}", "/{z}/a/", "/a/z/"},
      {"/{z}/a/", "/a/{z}/{$}", "/z/a/x"},
      {"/a/{x}/b/{y...}", "/{x}/c/{y...}", "/a/x/b/"},
      {"/{x}/c/{y...}", "/a/{x}/b/{y...}", "/x/c/"},
      {"/a/{c}/b/", "/{x}/c/{y...}", "/a/cx/b/"},
      {"/{x}/c/{y...}", "/a/{c}/b/", "/x/c/"},
      {"/a/{x}/b/{$}", "/{x}/c/{y...}", "/a/x/b/"},
      {"/{x}/c/{y...}", "/a/{x}/b/{$}", "/x/c/"},
  };
  for (const auto& c : cases) {
    auto a = must_parse(c[0]), b = must_parse(c[1]);
    INFO(c[0] << " vs " << c[1]);
    auto rel = compare_paths(*a, *b);
    REQUIRE((rel == R::overlaps || rel == R::more_general));
    CHECK(difference_path(*a, *b) == c[2]);
  }
}
