// The static-route shortcut (mux/src/static_routes.hpp) must answer exactly as the
// routing tree would, or not at all: a differential test over generated pattern
// sets, and the cases where it must step aside, through the public ServeMux.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "httpkit/serve_mux.hpp"
#include "httpkit/test/request.hpp"
#include "httpkit/test/response_recorder.hpp"
#include "routing_tree.hpp"
#include "static_routes.hpp"

using namespace httpkit::mux_detail;

namespace {

// Patterns and paths over a small alphabet, so literals, wildcards, {$}, subtrees
// and methods collide often.
std::vector<std::string> generated_paths() {
  const std::vector<std::string> segs = {"a", "b", "ab", "{x}", "{r...}", "{$}", ""};
  std::vector<std::string> out = {"/"};
  std::vector<std::string> level = {""};
  for (int depth = 0; depth < 3; ++depth) {
    std::vector<std::string> next;
    for (const auto& prefix : level) {
      for (const auto& s : segs) {
        std::string p = prefix + "/" + s;
        out.push_back(p);
        if (s != "{r...}" && s != "{$}" && !s.empty()) next.push_back(p);
      }
    }
    level = std::move(next);
  }
  return out;
}

// request_paths: every literal spelling the patterns could take, plus escaped,
// unclean and trailing-slash variants that the shortcut must leave to the tree.
std::vector<std::string> request_paths() {
  std::vector<std::string> out = {"/", "//", "/./a", "/a/../b", "/%61", "/a/%62", "/a%2Fb"};
  for (const std::string a : {"a", "b", "ab", "c"}) {
    out.push_back("/" + a);
    out.push_back("/" + a + "/");
    for (const std::string b : {"a", "b", "ab", "c"}) {
      out.push_back("/" + a + "/" + b);
      out.push_back("/" + a + "/" + b + "/");
      out.push_back("/" + a + "/" + b + "/a");
    }
  }
  return out;
}

struct Routes {
  RoutingNode tree;
  StaticRoutes statics;
  std::vector<std::unique_ptr<Route>> routes;

  // add registers s unless it is invalid or conflicts, as ServeMux::try_handle does.
  void add(const std::string& s) {
    ParseError err;
    auto r = std::make_unique<Route>();
    r->pattern = parse_pattern(s, err);
    if (!r->pattern) return;
    for (const auto& other : routes) {
      if (conflicts_with(*r->pattern, *other->pattern)) return;
    }
    tree.add_route(*r);
    statics.add(*r);
    routes.push_back(std::move(r));
  }
};

}  // namespace

TEST_CASE("StaticRoutes answers as the routing tree does, or not at all", "[mux][static]") {
  const std::vector<std::string> methods = {"GET ", "POST ", "HEAD ", ""};
  const std::vector<std::string> paths = generated_paths();
  // Several registration orders give different surviving pattern sets.
  for (std::size_t seed = 0; seed < 5; ++seed) {
    Routes rs;
    for (std::size_t i = 0; i < paths.size() * methods.size(); ++i) {
      const std::size_t k = (i * (2 * seed + 7)) % (paths.size() * methods.size());
      rs.add(methods[k % methods.size()] + paths[k / methods.size()]);
    }
    std::size_t hits = 0;
    for (const std::string method : {"GET", "POST", "HEAD", "PUT"}) {
      for (const std::string& p : request_paths()) {
        const Route* fast = rs.statics.find(method, p);
        if (!fast) continue;
        ++hits;
        RequestPath path(p);
        Matches m;
        const Route* slow = rs.tree.match("", method, path, m);
        INFO(method << " " << p << " -> " << fast->pattern->str);
        REQUIRE(slow == fast);
        CHECK(m.size() == 0);
      }
    }
    CHECK(hits > 10);  // the shortcut was exercised
  }
}

TEST_CASE("StaticRoutes steps aside for host patterns, escapes and other methods", "[mux][static]") {
  Routes rs;
  rs.add("GET /a/b");
  rs.add("GET /a/{$}");
  rs.add("/c");
  rs.add("GET /d%2Fe");
  rs.add("CONNECT /f//g");  // only CONNECT patterns may be unclean
  CHECK(rs.statics.find("GET", "/a/b") == rs.routes[0].get());
  CHECK(rs.statics.find("GET", "/a/") == rs.routes[1].get());
  CHECK(rs.statics.find("HEAD", "/a/b") == nullptr);  // the tree serves HEAD with GET
  CHECK(rs.statics.find("GET", "/c") == nullptr);     // method-less patterns come last
  CHECK(rs.statics.find("GET", "/d/e") == nullptr);   // an escaped slash is no literal path
  CHECK(rs.statics.find("GET", "/a/b/") == nullptr);
  CHECK(rs.statics.find("CONNECT", "/f//g") == nullptr);  // no clean request path spells it
  rs.add("example.com/a/b");
  CHECK(rs.statics.find("GET", "/a/b") == nullptr);  // host patterns are tried first
}

TEST_CASE("StaticRoutes grows and keeps every route", "[mux][static]") {
  Routes rs;
  for (int i = 0; i < 3000; ++i) rs.add("GET /svc" + std::to_string(i % 50) + "/res" + std::to_string(i / 50));
  REQUIRE(rs.routes.size() == 3000);
  for (const auto& r : rs.routes) {
    const std::string path = r->pattern->str.substr(4);
    REQUIRE(rs.statics.find("GET", path) == r.get());
  }
  CHECK(rs.statics.find("GET", "/svc0/res60") == nullptr);
}

TEST_CASE("ServeMux: literal routes through the shortcut keep the mux's answers", "[mux][static]") {
  using httpkit::Request;
  using httpkit::ResponseWriter;
  auto named = [](std::string name) {
    return [name](ResponseWriter& w, Request&) {
      w.header().set("Result", name);
      w.write_header(200);
    };
  };
  auto serve = [](const httpkit::ServeMux& mux, const std::string& method, const std::string& target,
                  const std::string& host = "example.com") {
    Request r = httpkit::test::new_request(method, target);
    r.set_host(host);
    httpkit::test::ResponseRecorder w;
    mux(w, r);
    return std::to_string(w.code()) + " " + std::string(w.result_header().get("Result")) + " " +
           std::string(r.pattern());
  };
  httpkit::ServeMux mux;
  mux.handle("GET /user/repos", named("repos"));
  mux.handle("/user/{name}", named("user"));
  CHECK(serve(mux, "GET", "/user/repos") == "200 repos GET /user/repos");
  CHECK(serve(mux, "HEAD", "/user/repos") == "200 repos GET /user/repos");
  CHECK(serve(mux, "POST", "/user/repos") == "200 user /user/{name}");
  CHECK(serve(mux, "GET", "/user/rep%6Fs") == "200 repos GET /user/repos");
  CHECK(serve(mux, "GET", "/user/./repos") == "307  GET /user/repos");
  // A host pattern registered after lookups took the shortcut wins for its host.
  mux.handle("api.example.com/user/repos", named("api"));
  CHECK(serve(mux, "GET", "/user/repos", "api.example.com") == "200 api api.example.com/user/repos");
  CHECK(serve(mux, "GET", "/user/repos") == "200 repos GET /user/repos");
}
