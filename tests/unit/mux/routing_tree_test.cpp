// Go's routing_tree_test.go: segment splitting, a golden dump of the tree, matching
// with backtracking, HEAD/GET, hosts, {$} and "..." values, and matching methods.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "routing_tree.hpp"

using namespace httpkit::mux_detail;

namespace {

// Tree owns routes built from patterns, as the mux does.
struct Tree {
  RoutingNode root;
  std::vector<std::unique_ptr<Route>> routes;

  explicit Tree(std::initializer_list<const char*> patterns) {
    for (const char* s : patterns) {
      ParseError err;
      auto r = std::make_unique<Route>();
      r->pattern = parse_pattern(s, err);
      REQUIRE(r->pattern);
      root.add_route(*r);
      routes.push_back(std::move(r));
    }
  }
};

struct MatchCase {
  std::string method, host, path;
  std::string want_pattern;  // "" for no match
  std::vector<std::string> want_matches;
};

void check_matches(const Tree& t, const std::vector<MatchCase>& cases) {
  for (const auto& c : cases) {
    INFO(c.method << " " << c.host << " " << c.path);
    RequestPath path(c.path);
    Matches m;
    const Route* r = t.root.match(c.host, c.method, path, m);
    CHECK((r ? r->pattern->str : std::string()) == c.want_pattern);
    std::vector<std::string> got;
    if (r) {
      for (std::size_t i = 0; i < m.size(); ++i) got.emplace_back(m[i]);
    }
    CHECK(got == c.want_matches);
  }
}

}  // namespace

TEST_CASE("RequestPath splits and unescapes segments as Go's firstSegment", "[mux][tree]") {
  struct Case {
    std::string in;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {"/a/b/c", {"a", "b", "c"}},
      {"/a/b/", {"a", "b", "/"}},
      {"/", {"/"}},
      {"/a/%62/c", {"a", "b", "c"}},
      {"/a%2Fb%2fc", {"a/b/c"}},
      {"//", {"", "/"}},
      {"/a/%zz/c", {"a", "%zz", "c"}},  // a bad escape is kept as is
      {"", {}},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    RequestPath p(c.in);
    std::vector<std::string> got;
    for (std::size_t i = 0; i < p.size(); ++i) got.emplace_back(p[i].value);
    CHECK(got == c.want);
  }
  SECTION("long and escaped paths spill to the heap intact") {
    std::string in, want_last;
    for (int i = 0; i < 40; ++i) in += "/s" + std::to_string(i) + "%41";
    RequestPath p(in);
    REQUIRE(p.size() == 40);
    CHECK(p[39].value == "s39A");
    CHECK(p.rest_value(38) == "s38A/s39A");
  }
}

TEST_CASE("routing tree: golden dump", "[mux][tree]") {
  Tree t{"/a", "/a/b", "/a/{x}", "/g/h/i", "/g/{x}/j", "/a/b/{x...}", "/a/b/{y}", "/a/b/{$}"};
  const std::string want =
      "\"\":\n"
      "    \"\":\n"
      "        \"a\":\n"
      "            \"/a\"\n"
      "            \"\":\n"
      "                \"/a/{x}\"\n"
      "            \"b\":\n"
      "                \"/a/b\"\n"
      "                \"\":\n"
      "                    \"/a/b/{y}\"\n"
      "                \"/\":\n"
      "                    \"/a/b/{$}\"\n"
      "                MULTI:\n"
      "                    \"/a/b/{x...}\"\n"
      "        \"g\":\n"
      "            \"\":\n"
      "                \"j\":\n"
      "                    \"/g/{x}/j\"\n"
      "            \"h\":\n"
      "                \"i\":\n"
      "                    \"/g/h/i\"\n";
  CHECK(t.root.dump() == want);
}

TEST_CASE("routing tree: hosts and methods in the dump", "[mux][tree]") {
  Tree t{"GET a.com/x", "POST /x", "/x/{$}"};
  CHECK(t.root.dump() ==
        "\"\":\n"
        "    \"\":\n"
        "        \"x\":\n"
        "            \"/\":\n"
        "                \"/x/{$}\"\n"
        "    \"POST\":\n"
        "        \"x\":\n"
        "            \"POST /x\"\n"
        "\"a.com\":\n"
        "    \"GET\":\n"
        "        \"x\":\n"
        "            \"GET a.com/x\"\n");
}

TEST_CASE("routing tree: match", "[mux][tree]") {
  Tree t1{"/a", "/a/b", "/a/{x}", "/g/h/i", "/g/{x}/j", "/a/b/{x...}", "/a/b/{y}", "/a/b/{$}"};
  check_matches(t1, {
                        {"GET", "", "/a", "/a", {}},
                        {"Get", "", "/b", "", {}},
                        {"Get", "", "/a/b", "/a/b", {}},
                        {"Get", "", "/a/c", "/a/{x}", {"c"}},
                        {"Get", "", "/a/b/", "/a/b/{$}", {}},
                        {"Get", "", "/a/b/c", "/a/b/{y}", {"c"}},
                        {"Get", "", "/a/b/c/d", "/a/b/{x...}", {"c/d"}},
                        {"Get", "", "/g/h/i", "/g/h/i", {}},
                        {"Get", "", "/g/h/j", "/g/{x}/j", {"h"}},  // backtracks from /g/h
                    });

  Tree t2{"/item/",          "POST /item/{user}",        "GET /item/{user}", "/item/{user}",
          "/item/{user}/{id}", "/item/{user}/new",         "/item/{$}",        "POST alt.com/item/{user}",
          "GET /headwins",   "HEAD /headwins",           "/path/{p...}"};
  check_matches(t2, {
                        {"GET", "", "/item/jba", "GET /item/{user}", {"jba"}},
                        {"POST", "", "/item/jba", "POST /item/{user}", {"jba"}},
                        {"HEAD", "", "/item/jba", "GET /item/{user}", {"jba"}},
                        {"get", "", "/item/jba", "/item/{user}", {"jba"}},  // methods are case-sensitive
                        {"POST", "", "/item/jba/17", "/item/{user}/{id}", {"jba", "17"}},
                        {"GET", "", "/item/jba/new", "/item/{user}/new", {"jba"}},
                        {"GET", "", "/item/", "/item/{$}", {}},
                        {"GET", "", "/item/jba/17/line2", "/item/", {}},
                        {"POST", "alt.com", "/item/jba", "POST alt.com/item/{user}", {"jba"}},
                        {"GET", "alt.com", "/item/jba", "GET /item/{user}", {"jba"}},
                        {"GET", "", "/item", "", {}},
                        {"GET", "", "/headwins", "GET /headwins", {}},
                        {"HEAD", "", "/headwins", "HEAD /headwins", {}},  // HEAD is more specific than GET
                        {"GET", "", "/path/to/file", "/path/{p...}", {"to/file"}},
                        {"GET", "", "/path/*", "/path/{p...}", {"*"}},
                        {"GET", "", "/path/a%2Fb/c%20d", "/path/{p...}", {"a/b/c d"}},
                    });

  SECTION("{$} matches only the trailing slash") {
    check_matches(Tree{"/a/b/{$}"}, {{"GET", "", "/a/b", "", {}},
                                     {"GET", "", "/a/b/", "/a/b/{$}", {}},
                                     {"GET", "", "/a/b/c", "", {}},
                                     {"GET", "", "/a/b/c/d", "", {}}});
  }
  SECTION("a single wildcard does not match a trailing slash") {
    check_matches(Tree{"/a/b/{w}"}, {{"GET", "", "/a/b", "", {}},
                                     {"GET", "", "/a/b/", "", {}},
                                     {"GET", "", "/a/b/c", "/a/b/{w}", {"c"}},
                                     {"GET", "", "/a/b/c/d", "", {}}});
  }
  SECTION("a multi wildcard matches the empty rest too") {
    check_matches(Tree{"/a/b/{w...}"}, {{"GET", "", "/a/b", "", {}},
                                        {"GET", "", "/a/b/", "/a/b/{w...}", {""}},
                                        {"GET", "", "/a/b/c", "/a/b/{w...}", {"c"}},
                                        {"GET", "", "/a/b/c/d", "/a/b/{w...}", {"c/d"}}});
  }
  SECTION("all three together") {
    check_matches(Tree{"/a/b/{$}", "/a/b/{w}", "/a/b/{w2...}"},
                  {{"GET", "", "/a/b", "", {}},
                   {"GET", "", "/a/b/", "/a/b/{$}", {}},
                   {"GET", "", "/a/b/c", "/a/b/{w}", {"c"}},
                   {"GET", "", "/a/b/c/d", "/a/b/{w2...}", {"c/d"}}});
  }
  SECTION("an empty segment binds a wildcard with its (empty) value (go.dev/issue/81222)") {
    check_matches(Tree{"CONNECT /a/{x}/b", "CONNECT /a//c"},
                  {{"CONNECT", "", "/a//b", "CONNECT /a/{x}/b", {""}}, {"CONNECT", "", "/a//c", "CONNECT /a//c", {}}});
  }
}

TEST_CASE("routing tree: matching_methods", "[mux][tree]") {
  Tree host_tree{"GET a.com/", "PUT b.com/", "POST /foo/{x}"};
  struct Case {
    const Tree* tree;
    std::string host, path, want;
  };
  Tree post{"POST /"}, get{"GET /"}, any{"/"};
  const std::vector<Case> cases = {
      {&post, "", "/foo", "POST"},
      {&get, "", "/foo", "GET,HEAD"},
      {&host_tree, "", "/foo", ""},
      {&host_tree, "", "/foo/bar", "POST"},
      {&host_tree, "a.com", "/foo/bar", "GET,HEAD,POST"},
      {&host_tree, "b.com", "/bar", "PUT"},
      // Only called when nothing matched; a method-less pattern is not listed.
      {&any, "", "/", ""},
  };
  for (const auto& c : cases) {
    INFO(c.host << " " << c.path);
    std::set<std::string> got;
    RequestPath p(c.path);
    c.tree->root.matching_methods(c.host, p, got);
    std::string joined;
    for (const auto& m : got) joined += (joined.empty() ? "" : ",") + m;
    CHECK(joined == c.want);
  }
}

TEST_CASE("routing tree: many literal children (hash table mapping)", "[mux][tree]") {
  RoutingNode root;
  std::vector<std::unique_ptr<Route>> routes;
  for (int i = 0; i < 300; ++i) {
    ParseError err;
    auto r = std::make_unique<Route>();
    r->pattern = parse_pattern("/k" + std::to_string(i) + "/{id}", err);
    root.add_route(*r);
    routes.push_back(std::move(r));
  }
  for (int i = 0; i < 300; ++i) {
    std::string path = "/k" + std::to_string(i) + "/7";
    RequestPath p(path);
    Matches m;
    const Route* r = root.match("", "GET", p, m);
    REQUIRE(r);
    CHECK(r->pattern->str == "/k" + std::to_string(i) + "/{id}");
    CHECK(m[0] == "7");
  }
  RequestPath miss("/k300/7");
  Matches m;
  CHECK(root.match("", "GET", miss, m) == nullptr);
}
