// ServeMux behaviour, transcribed from Go's serve_test.go, server_test.go and
// request_test.go mux cases, with Go 1.26's 307 redirects.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "httpkit/serve_mux.hpp"
#include "httpkit/test/request.hpp"
#include "httpkit/test/response_recorder.hpp"

using httpkit::Handler;
using httpkit::Request;
using httpkit::ResponseWriter;
using httpkit::ServeMux;
using httpkit::test::new_request;
using httpkit::test::ResponseRecorder;

namespace {

Handler serve_code(int code) {
  return [code](ResponseWriter& w, Request&) { w.write_header(code); };
}

// result_handler answers 200 with header Result: msg (Go's stringHandler).
Handler result_handler(std::string msg) {
  return [msg](ResponseWriter& w, Request&) {
    w.header().set("Result", msg);
    w.write_header(200);
  };
}

// make_request builds the request Go's NewRequest would: the URL as given, even for
// CONNECT (our parser, like a server's, wants an authority-form CONNECT target).
Request make_request(const std::string& method, const std::string& target, const std::string& host = "") {
  Request r = new_request(method == "CONNECT" ? "GET" : method, target);
  r.set_method(method);
  if (!host.empty()) r.set_host(host);
  return r;
}

struct Served {
  int code;
  std::string location, allow, result, body, pattern;
};

Served serve(const ServeMux& mux, Request r) {
  ResponseRecorder w;
  mux(w, r);
  return {w.code(),
          std::string(w.result_header().get("Location")),
          std::string(w.result_header().get("Allow")),
          std::string(w.result_header().get("Result")),
          w.body(),
          std::string(r.pattern())};
}

}  // namespace

TEST_CASE("ServeMux: Go's serveMuxTests through handler() and serving", "[mux]") {
  ServeMux mux;
  mux.handle("/dir/", serve_code(200));
  mux.handle("/search", serve_code(201));
  mux.handle("codesearch.google.com/search", serve_code(202));
  mux.handle("codesearch.google.com/", serve_code(203));
  struct Case {
    std::string method, host, path;
    int code;
    std::string pattern;
  };
  const std::vector<Case> cases = {
      {"GET", "google.com", "/", 404, ""},
      {"GET", "google.com", "/dir", 307, "/dir/"},
      {"GET", "google.com", "/dir/", 200, "/dir/"},
      {"GET", "google.com", "/dir/file", 200, "/dir/"},
      {"GET", "google.com", "/search", 201, "/search"},
      {"GET", "google.com", "/search/", 404, ""},
      {"GET", "google.com", "/search/foo", 404, ""},
      {"GET", "codesearch.google.com", "/search", 202, "codesearch.google.com/search"},
      {"GET", "codesearch.google.com", "/search/", 203, "codesearch.google.com/"},
      {"GET", "codesearch.google.com", "/search/foo", 203, "codesearch.google.com/"},
      {"GET", "codesearch.google.com", "/", 203, "codesearch.google.com/"},
      {"GET", "codesearch.google.com:443", "/", 203, "codesearch.google.com/"},
      {"GET", "images.google.com", "/search", 201, "/search"},
      {"GET", "images.google.com", "/search/", 404, ""},
      {"GET", "images.google.com", "/search/foo", 404, ""},
      {"GET", "google.com", "/../search", 307, "/search"},
      {"GET", "google.com", "/dir/..", 307, ""},
      {"GET", "google.com", "/dir/./file", 307, "/dir/"},
      // The /foo -> /foo/ redirect applies to CONNECT, path cleaning does not.
      {"CONNECT", "google.com", "/dir", 307, "/dir/"},
      {"CONNECT", "google.com", "/../search", 404, ""},
      {"CONNECT", "google.com", "/dir/..", 200, "/dir/"},
      {"CONNECT", "google.com", "/dir/./file", 200, "/dir/"},
  };
  for (const auto& c : cases) {
    INFO(c.method << " " << c.host << " " << c.path);
    Request r = make_request(c.method, c.path, c.host);
    auto [h, pattern] = mux.handler(r);
    CHECK(pattern == c.pattern);
    CHECK(r.pattern().empty());  // handler() does not modify the request
    ResponseRecorder w;
    h(w, r);
    CHECK(w.code() == c.code);
    // Serving decides the same.
    CHECK(serve(mux, make_request(c.method, c.path, c.host)).code == c.code);
  }
}

TEST_CASE("ServeMux: trailing-slash redirects for host patterns (307)", "[mux]") {
  ServeMux mux;
  for (const char* p : {"example.com/pkg/foo/", "example.com/pkg/bar", "example.com/pkg/bar/",
                        "example.com:3000/pkg/connect/", "example.com:9000/", "/pkg/baz/"}) {
    mux.handle(p, result_handler(p));
  }
  struct Case {
    std::string method, url;
    int code;
    std::string location, result;
  };
  const std::vector<Case> cases = {
      {"GET", "http://example.com/", 404, "", ""},
      {"GET", "http://example.com/pkg/foo", 307, "/pkg/foo/", ""},
      {"GET", "http://example.com/pkg/bar", 200, "", "example.com/pkg/bar"},
      {"GET", "http://example.com/pkg/bar/", 200, "", "example.com/pkg/bar/"},
      {"GET", "http://example.com/pkg/baz", 307, "/pkg/baz/", ""},
      {"GET", "http://example.com:3000/pkg/foo", 307, "/pkg/foo/", ""},
      {"CONNECT", "http://example.com/", 404, "", ""},
      {"CONNECT", "http://example.com:3000/", 404, "", ""},
      {"CONNECT", "http://example.com:9000/", 200, "", "example.com:9000/"},
      {"CONNECT", "http://example.com/pkg/foo", 307, "/pkg/foo/", ""},
      {"CONNECT", "http://example.com:3000/pkg/foo", 404, "", ""},
      {"CONNECT", "http://example.com:3000/pkg/baz", 307, "/pkg/baz/", ""},
      {"CONNECT", "http://example.com:3000/pkg/connect", 307, "/pkg/connect/", ""},
  };
  for (const auto& c : cases) {
    INFO(c.method << " " << c.url);
    Served s = serve(mux, make_request(c.method, c.url));
    CHECK(s.code == c.code);
    CHECK(s.location == c.location);
    CHECK(s.result == c.result);
  }
}

TEST_CASE("ServeMux: redirects keep the query and the escaping", "[mux]") {
  ServeMux mux;
  auto echo_query = [](ResponseWriter& w, Request& r) { w.write(r.url().raw_query); };
  mux.handle("/testOne", echo_query);
  mux.handle("/testTwo/", echo_query);
  mux.handle("/testThree", echo_query);
  mux.handle("/testThree/", [](ResponseWriter& w, Request& r) { w.write(r.url().raw_query + ":bar"); });
  mux.handle("/#/", echo_query);
  mux.handle("/a%2Fb/", echo_query);
  mux.handle("/café", echo_query);
  struct Case {
    std::string method, target;
    int code;
    std::string location, body;
  };
  const std::vector<Case> cases = {
      {"GET", "/testOne?this=that", 200, "", "this=that"},
      {"GET", "/testTwo?foo=bar", 307, "/testTwo/?foo=bar", ""},
      {"GET", "/testTwo?a=1&b=2&a=3", 307, "/testTwo/?a=1&b=2&a=3", ""},
      {"GET", "/testTwo?", 307, "/testTwo/", ""},
      {"GET", "/testThree?foo", 200, "", "foo"},
      {"GET", "/testThree/?foo", 200, "", "foo:bar"},
      {"CONNECT", "/testThree?foo", 200, "", "foo"},
      {"CONNECT", "/testThree/?foo", 200, "", "foo:bar"},
      {"GET", "/testOne/foo/..?foo", 307, "/testOne?foo", ""},
      {"CONNECT", "/testOne/foo/..?foo", 404, "", "404 page not found\n"},
      {"GET", "/%23", 307, "/%23/", ""},             // Go's issue 10572
      {"GET", "/a%2Fb", 307, "/a%2Fb/", ""},         // %2F stays escaped (Go drops it)
      {"GET", "/x/../caf%C3%A9?q", 307, "/caf%C3%A9?q", ""},  // not double-escaped (go.dev/issue/79897)
      {"GET", "/caf%C3%A9", 200, "", ""},
      {"POST", "/testTwo", 307, "/testTwo/", ""},    // 307 keeps the method (Go 1.26)
  };
  for (const auto& c : cases) {
    INFO(c.method << " " << c.target);
    Served s = serve(mux, make_request(c.method, c.target));
    CHECK(s.code == c.code);
    CHECK(s.location == c.location);
    if (c.code != 307) CHECK(s.body == c.body);
  }
}

TEST_CASE("ServeMux: redirect bodies and leading slashes (Go's issue 900)", "[mux]") {
  ServeMux mux;
  for (const char* path : {"//foo.txt", "///foo.txt", "/../../foo.txt"}) {
    INFO(path);
    Served s = serve(mux, make_request("GET", path, "test"));
    CHECK(s.code == 307);
    CHECK(s.location == "/foo.txt");
    CHECK(s.body == "<a href=\"/foo.txt\">Temporary Redirect</a>.\n\n");
  }
  SECTION("an absolute target without a path redirects to /") {
    Served s = serve(mux, make_request("GET", "http://example.com"));
    CHECK(s.code == 307);
    CHECK(s.location == "/");
  }
}

TEST_CASE("ServeMux: 404, 405 with Allow, HEAD with GET", "[mux]") {
  ServeMux mux;
  for (const char* p : {"GET /g", "POST /p", "PATCH /p", "PUT /r", "GET /r/"}) mux.handle(p, serve_code(200));
  struct Case {
    std::string method, path;
    int code;
    std::string allow, location;
  };
  const std::vector<Case> cases = {
      {"GET", "/g", 200, "", ""},
      {"HEAD", "/g", 200, "", ""},
      {"POST", "/g", 405, "GET, HEAD", ""},
      {"GET", "/x", 404, "", ""},
      {"GET", "/p", 405, "PATCH, POST", ""},
      {"GET", "/./p", 307, "", "/p"},
      {"GET", "/r/", 200, "", ""},
      {"GET", "/r", 307, "", "/r/"},
      {"HEAD", "/r/", 200, "", ""},
      {"HEAD", "/r", 307, "", "/r/"},
      {"PUT", "/r/", 405, "GET, HEAD", ""},
      {"PUT", "/r", 200, "", ""},
      {"DELETE", "/r", 405, "GET, HEAD, PUT", ""},  // /r and the /r/ it would redirect to
  };
  for (const auto& c : cases) {
    INFO(c.method << " " << c.path);
    Served s = serve(mux, make_request(c.method, c.path));
    CHECK(s.code == c.code);
    CHECK(s.allow == c.allow);
    CHECK(s.location == c.location);
    if (c.code == 404) CHECK(s.body == "404 page not found\n");
    if (c.code == 405) CHECK(s.body == "Method Not Allowed\n");
  }
  SECTION("no trailing-slash redirect or 405 for a path that already has one (Go issues 65624, 67657)") {
    ServeMux m1, m2;
    m1.handle("/{x}/", serve_code(200));
    m2.handle("GET /{x}/", serve_code(200));
    CHECK(serve(m1, make_request("GET", "/")).code == 404);
    CHECK(serve(m2, make_request("GET", "/")).code == 404);
  }
  SECTION("the target * gets 400 and closes") {
    ResponseRecorder w;
    Request r = make_request("OPTIONS", "/");
    r.set_request_uri("*");
    mux(w, r);
    CHECK(w.code() == 400);
    CHECK(w.result_header().get("Connection") == "close");
  }
}

TEST_CASE("ServeMux: path values and pattern", "[mux]") {
  struct Case {
    std::string pattern, url;
    std::vector<std::pair<std::string, std::string>> want;
  };
  const std::vector<Case> cases = {
      {"/{a}/is/{b}/{c...}", "/now/is/the/time/for/all", {{"a", "now"}, {"b", "the"}, {"c", "time/for/all"}, {"d", ""}}},
      {"/names/{name}/{other...}", "/names/%2fjohn/address", {{"name", "/john"}, {"other", "address"}}},
      {"/names/{name}/{other...}", "/names/john%2Fdoe/there/is%2F/more", {{"name", "john/doe"}, {"other", "there/is//more"}}},
      {"/names/{name}/{other...}", "/names/n/*", {{"name", "n"}, {"other", "*"}}},
      {"/x/{rest...}", "/x/", {{"rest", ""}}},
      {"GET example.com/{a}/{$}", "http://example.com:8080/b%20c/", {{"a", "b c"}}},
  };
  for (const auto& c : cases) {
    INFO(c.pattern << " " << c.url);
    ServeMux mux;
    bool called = false;
    mux.handle(c.pattern, [&](ResponseWriter&, Request& r) {
      called = true;
      for (const auto& [name, want] : c.want) CHECK(r.path_value(name) == want);
      CHECK(r.pattern() == c.pattern);
    });
    Served s = serve(mux, make_request("GET", c.url));
    CHECK(called);
    CHECK(s.pattern == c.pattern);
  }
  SECTION("set_path_value overrides and adds") {
    ServeMux mux;
    mux.handle("/a/{b}/c/{d...}", [](ResponseWriter&, Request& r) {
      r.set_path_value("b", "X");
      r.set_path_value("d", "Y");
      r.set_path_value("a", "Z");
      CHECK(r.path_value("b") == "X");
      CHECK(r.path_value("d") == "Y");
      CHECK(r.path_value("a") == "Z");
    });
    CHECK(serve(mux, make_request("GET", "/a/b/c/d/e")).code == 200);
  }
}

TEST_CASE("ServeMux: escaped paths and patterns match by unescaped segment", "[mux]") {
  struct Case {
    std::string pattern;
    std::vector<std::string> paths;
  };
  const std::vector<Case> cases = {
      {"/a", {"/a", "/%61"}},
      {"/%62", {"/b", "/%62"}},
      {"/%7B/%7D", {"/{/}", "/%7b/}", "/{/%7d", "/%7B/%7D"}},
      {"/%x", {"/%25x"}},
  };
  ServeMux mux;
  for (const auto& c : cases) mux.handle(c.pattern, serve_code(200));
  for (const auto& c : cases) {
    for (const auto& p : c.paths) {
      INFO(c.pattern << " " << p);
      CHECK(mux.handler(make_request("GET", p)).second == c.pattern);
    }
  }
}

TEST_CASE("ServeMux: registration errors", "[mux]") {
  ServeMux mux;
  mux.handle("/a", serve_code(200));  // line A
  const int line_a = __LINE__ - 1;
  SECTION("invalid pattern, nil handler, parse error") {
    auto e1 = mux.try_handle("", serve_code(200));
    REQUIRE(e1);
    CHECK(e1->kind == httpkit::RouteError::Kind::invalid_pattern);
    CHECK(e1->message == "http: invalid pattern");
    auto e2 = mux.try_handle("/", Handler());
    REQUIRE(e2);
    CHECK(e2->kind == httpkit::RouteError::Kind::nil_handler);
    CHECK(e2->message == "http: nil handler");
    auto e3 = mux.try_handle("/{x", serve_code(200));
    REQUIRE(e3);
    CHECK(e3->message == "parsing \"/{x\": at offset 1: bad wildcard segment (must end with '}')");
  }
  SECTION("a conflict names both patterns, both sites, and why") {
    auto err = mux.try_handle("/a", serve_code(200));
    const int line_b = __LINE__ - 1;
    REQUIRE(err);
    CHECK(err->kind == httpkit::RouteError::Kind::conflict);
    const std::string file = __FILE__;
    CHECK(err->message == "pattern \"/a\" (registered at " + file + ":" + std::to_string(line_b) +
                              ") conflicts with pattern \"/a\" (registered at " + file + ":" +
                              std::to_string(line_a) + "):\n/a matches the same requests as /a");
  }
  SECTION("an overlap names a path both match") {
    mux.handle("/x/{a}", serve_code(200));
    auto err = mux.try_handle("/{b}/y", serve_code(200));
    REQUIRE(err);
    CHECK_THAT(err->message, Catch::Contains("/{b}/y and /x/{a} both match some paths, like \"/x/y\""));
  }
  SECTION("handle throws std::invalid_argument with the message") {
    CHECK_THROWS_WITH(mux.handle("/a", serve_code(200)), Catch::Contains("conflicts with pattern \"/a\""));
    CHECK_THROWS_AS(mux.handle("GET //x", serve_code(200)), std::invalid_argument);
  }
  SECTION("a failed registration leaves the mux unchanged") {
    CHECK(mux.try_handle("/a", serve_code(200)));
    CHECK(mux.routes().size() == 1);
    CHECK(serve(mux, make_request("GET", "/a")).code == 200);
  }
}

TEST_CASE("ServeMux: routes() lists patterns with their registration sites", "[mux]") {
  ServeMux mux;
  mux.handle("GET /a", serve_code(200));
  const int line = __LINE__ - 1;
  mux.handle_func("example.com/b/", [](ResponseWriter&, Request&) {});
  auto routes = mux.routes();
  REQUIRE(routes.size() == 2);
  CHECK(routes[0].pattern == "GET /a");
  CHECK(routes[0].where.line() == static_cast<unsigned>(line));
  CHECK(std::string(routes[0].where.file_name()) == __FILE__);
  CHECK(routes[1].pattern == "example.com/b/");
  CHECK(routes[1].where.line() == static_cast<unsigned>(line + 2));
}
