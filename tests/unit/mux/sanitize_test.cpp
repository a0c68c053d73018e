// Request sanitizing: Go's TestCleanPath cases, is_clean against clean_path, and
// stripHostPort over net.SplitHostPort's cases.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sanitize.hpp"
#include "text.hpp"

using namespace httpkit::mux_detail;

TEST_CASE("clean_path as Go's cleanPath", "[mux][sanitize]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "/"},          {"//", "/"},          {"/x", "/x"},       {"//x", "/x"},
      {"x//", "/x/"},     {"a//b/////c", "/a/b/c"}, {"/foo/../bar/./..//baz", "/baz"},
      {"/../../foo.txt", "/foo.txt"}, {"/a/b/..", "/a"}, {"/a/b/../", "/a/"}, {"/.", "/"},
      {"/a/./", "/a/"},   {"/..", "/"},         {"/a/.b/..c", "/a/.b/..c"},
  };
  for (const auto& [in, want] : cases) {
    INFO(in);
    CHECK(clean_path(in) == want);
  }
}

TEST_CASE("is_clean agrees with clean_path", "[mux][sanitize]") {
  const std::vector<std::string> inputs = {"",     "/",     "//",    "/a",    "/a/",   "/a//",  "/./",
                                           "/a/.", "/a/..", "/..a", "/a.b/", "a",     "/a/b/c", "/a/./b",
                                           "/.a/", "/a/b/../", "///"};
  for (const auto& in : inputs) {
    INFO(in);
    CHECK(is_clean(in) == (clean_path(in) == in));
  }
}

TEST_CASE("strip_host_port as Go's stripHostPort", "[mux][sanitize]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"example.com", "example.com"}, {"example.com:8080", "example.com"}, {"[::1]:80", "::1"},
      {"[::1]", "[::1]"},            // missing port: unchanged
      {"a:b:c", "a:b:c"},            // too many colons: unchanged
      {"host:", "host"},             {":80", ""}, {"[a]b:80", "[a]b:80"}, {"a]:80", "a]:80"},
  };
  for (const auto& [in, want] : cases) {
    INFO(in);
    CHECK(strip_host_port(in) == want);
  }
}

TEST_CASE("go_quote and path_unescape", "[mux][sanitize]") {
  CHECK(go_quote("a\"b\\c\n\x01") == "\"a\\\"b\\\\c\\n\\x01\"");
  CHECK(path_unescape("%61%2Fb") == "a/b");
  CHECK(path_unescape("%zz") == "%zz");
  CHECK(path_unescape("%4") == "%4");
  CHECK(path_unescape("a+b") == "a+b");
}
