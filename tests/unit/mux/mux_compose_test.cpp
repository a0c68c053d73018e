// Composition: route groups with middleware, nested muxes, strip_prefix.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "httpkit/serve_mux.hpp"
#include "httpkit/strip_prefix.hpp"
#include "httpkit/test/request.hpp"
#include "httpkit/test/response_recorder.hpp"

using httpkit::Handler;
using httpkit::Middleware;
using httpkit::Request;
using httpkit::ResponseWriter;
using httpkit::ServeMux;
using httpkit::test::new_request;
using httpkit::test::ResponseRecorder;

namespace {

// tag is a middleware that appends name to the X-Trace header before the handler.
Middleware tag(std::string name) {
  return [name](Handler next) -> Handler {
    return [name, next](ResponseWriter& w, Request& r) {
      w.header().add("X-Trace", name);
      next(w, r);
    };
  };
}

Handler write_text(std::string text) {
  return [text](ResponseWriter& w, Request&) { w.write(text); };
}

struct Served {
  int code;
  std::string body;
  std::vector<std::string> trace;
  std::string pattern;
};

Served serve(const Handler& h, const std::string& method, const std::string& target) {
  ResponseRecorder w;
  Request r = new_request(method, target);
  h(w, r);
  std::vector<std::string> trace;
  for (std::string_view v : w.header().values("X-Trace")) trace.emplace_back(v);
  return {w.code(), w.body(), trace, std::string(r.pattern())};
}

}  // namespace

TEST_CASE("groups register under their prefix, wrapped by only their middleware", "[mux][group]") {
  ServeMux mux;
  mux.handle("/health", write_text("ok"));
  auto api = mux.group("/api/", {tag("auth"), tag("limits")});
  api.handle("GET /users/{id}", [](ResponseWriter& w, Request& r) { w.write("user " + std::string(r.path_value("id"))); });
  api.handle("/", write_text("api index"));
  auto v2 = api.group("/v2", {tag("v2")});
  v2.handle_func("POST /items", [](ResponseWriter& w, Request&) { w.write("created"); });

  Served user = serve(mux, "GET", "/api/users/7");
  CHECK(user.body == "user 7");
  CHECK(user.trace == std::vector<std::string>{"auth", "limits"});  // first listed is outermost
  CHECK(user.pattern == "GET /api/users/{id}");

  Served index = serve(mux, "GET", "/api/anything/else");
  CHECK(index.body == "api index");
  CHECK(index.pattern == "/api/");

  Served item = serve(mux, "POST", "/api/v2/items");
  CHECK(item.body == "created");
  CHECK(item.trace == std::vector<std::string>{"auth", "limits", "v2"});

  Served health = serve(mux, "GET", "/health");
  CHECK(health.body == "ok");
  CHECK(health.trace.empty());  // outside the group: not wrapped

  Served redirect = serve(mux, "GET", "/api");
  CHECK(redirect.code == 307);  // the mux's own answers are not wrapped either
  CHECK(redirect.trace.empty());

  std::vector<std::string> patterns;
  for (const auto& r : mux.routes()) patterns.push_back(r.pattern);
  CHECK(patterns == std::vector<std::string>{"/health", "GET /api/users/{id}", "/api/", "POST /api/v2/items"});
}

TEST_CASE("groups with a host, and their errors", "[mux][group]") {
  ServeMux mux;
  auto g = mux.group("example.com/admin");
  g.handle("GET /{$}", write_text("admin"));
  CHECK(mux.routes().back().pattern == "GET example.com/admin/{$}");

  auto err = g.try_handle("other.com/x", write_text("x"));
  REQUIRE(err);
  CHECK(err->kind == httpkit::RouteError::Kind::invalid_pattern);
  g.handle("GET /users", write_text("users"));
  auto conflict = g.try_handle("GET /users", write_text("again"));
  REQUIRE(conflict);
  CHECK_THAT(conflict->message, Catch::Contains("GET example.com/admin/users matches the same requests"));
  CHECK_THROWS_AS(mux.group("GET /x"), std::invalid_argument);
  CHECK_THROWS_AS(mux.group("nohost"), std::invalid_argument);
  CHECK_THROWS_AS(g.group("h.com/x"), std::invalid_argument);
}

TEST_CASE("muxes nest; copies share their routes", "[mux][compose]") {
  ServeMux inner;
  inner.handle("GET /items/{id}", [](ResponseWriter& w, Request& r) {
    w.write("item " + std::string(r.path_value("id")) + " in " + std::string(r.path_value("tenant")));
  });
  ServeMux outer;
  outer.handle("/t/{tenant}/", httpkit::strip_prefix("/t/acme", inner));
  Served s = serve(outer, "GET", "/t/acme/items/42");
  CHECK(s.body == "item 42 in acme");  // the inner mux keeps the outer's path values
  CHECK(s.pattern == "/t/{tenant}/");  // the caller's request is not modified by strip_prefix's copy

  ServeMux copy = inner;  // shares routes, as Go's *ServeMux
  copy.handle("GET /late", write_text("late"));
  CHECK(serve(inner, "GET", "/late").body == "late");
}

TEST_CASE("strip_prefix as Go's StripPrefix", "[mux][compose]") {
  auto echo = [](ResponseWriter& w, Request& r) { w.write(r.url().path + "|" + r.url().raw_path); };
  Handler h = httpkit::strip_prefix("/foo", echo);
  CHECK(serve(h, "GET", "/foo/bar").body == "/bar|");
  CHECK(serve(h, "GET", "/foo").body == "|");
  CHECK(serve(h, "GET", "/bar").code == 404);
  CHECK(serve(h, "GET", "/bar").body == "404 page not found\n");
  // An escaped prefix in the raw path does not match (Go's TestStripPrefix).
  Handler h2 = httpkit::strip_prefix("/foo/bar", echo);
  CHECK(serve(h2, "GET", "/foo%2Fbar/baz").code == 404);
  Handler h3 = httpkit::strip_prefix("/foo", echo);
  CHECK(serve(h3, "GET", "/foo/a%2Fb").body == "/a/b|/a%2Fb");
  CHECK(serve(httpkit::strip_prefix("", echo), "GET", "/x").body == "/x|");
}
