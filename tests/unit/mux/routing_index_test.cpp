// Go's routing_index_test.go: every kind of pattern up to a few segments; the
// conflicts the index finds must equal those found by comparing with every pattern.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "routing_index.hpp"

using namespace httpkit::mux_detail;

namespace {

// generate_patterns: methods x hosts x (0..3 middle segments) x final segment,
// with each "{x}" renamed so that names are unique within a pattern.
std::vector<std::string> generate_patterns() {
  const std::vector<std::string> methods = {"", "GET ", "HEAD ", "POST "};
  const std::vector<std::string> hosts = {"", "h1", "h2"};
  const std::vector<std::string> segs = {"/a", "/b", "/{x}"};
  const std::vector<std::string> finals = {"/a", "/b", "/{f}", "/{m...}", "/{$}"};
  std::vector<std::string> middles = {""};
  for (std::size_t n = 1, begin = 0; n <= 3; ++n) {
    std::size_t end = middles.size();
    for (std::size_t i = begin; i < end; ++i) {
      for (const auto& s : segs) middles.push_back(middles[i] + s);
    }
    begin = end;
  }
  std::vector<std::string> out;
  for (const auto& m : methods)
    for (const auto& h : hosts)
      for (const auto& mid : middles)
        for (const auto& f : finals) {
          std::string s = m + h + mid + f, renamed;
          int wc = 0;
          for (std::size_t i = 0; i < s.size();) {
            if (s.compare(i, 3, "{x}") == 0) {
              renamed += "{x" + std::to_string(wc++) + "}";
              i += 3;
            } else {
              renamed += s[i++];
            }
          }
          out.push_back(renamed);
        }
  return out;
}

std::vector<std::string> sorted_unique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

}  // namespace

TEST_CASE("routing index finds exactly the conflicts brute force finds", "[mux][index]") {
  std::vector<std::unique_ptr<Pattern>> pats;
  for (const auto& s : generate_patterns()) {
    ParseError err;
    pats.push_back(parse_pattern(s, err));
    REQUIRE(pats.back());
  }
  REQUIRE(pats.size() == 2400);
  RoutingIndex idx;
  std::size_t total_conflicts = 0;
  for (std::size_t i = 0; i < pats.size(); ++i) {
    const Pattern& p = *pats[i];
    std::vector<std::string> want, got;
    for (std::size_t j = 0; j < i; ++j) {
      if (conflicts_with(p, *pats[j])) want.push_back(pats[j]->str);
    }
    idx.possibly_conflicting(p, [&](const Pattern& q) {
      if (conflicts_with(p, q)) got.push_back(q.str);
      return true;
    });
    want = sorted_unique(want);
    got = sorted_unique(got);
    total_conflicts += want.size();
    INFO(p.str);
    REQUIRE(got == want);
    idx.add_pattern(p);
  }
  CHECK(total_conflicts > 1000);  // the generated set really exercises conflicts
}

TEST_CASE("routing index stops when the callback says so", "[mux][index]") {
  RoutingIndex idx;
  std::vector<std::unique_ptr<Pattern>> pats;
  for (const char* s : {"/a/", "/b/", "/c/{x}"}) {
    ParseError err;
    pats.push_back(parse_pattern(s, err));
    idx.add_pattern(*pats.back());
  }
  ParseError err;
  auto p = parse_pattern("/{y}/{z}", err);
  int calls = 0;
  CHECK_FALSE(idx.possibly_conflicting(*p, [&](const Pattern&) { return ++calls < 2; }));
  CHECK(calls == 2);
}
