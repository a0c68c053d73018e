// chain and Go's reply helpers (http.Error, http.NotFound, http.Redirect), through
// ResponseRecorder, with Go's exact bodies and headers.
#include <catch2/catch.hpp>

#include <string>

#include "httpkit/handler.hpp"
#include "httpkit/status.hpp"
#include "httpkit/test/request.hpp"
#include "httpkit/test/response_recorder.hpp"

using httpkit::test::new_request;
using httpkit::test::ResponseRecorder;

TEST_CASE("chain runs the first middleware outermost", "[handler]") {
  std::string trace;
  auto tag = [&trace](std::string name) {
    return httpkit::Middleware([&trace, name](httpkit::Handler next) {
      return httpkit::Handler([&trace, name, next](httpkit::ResponseWriter& w, httpkit::Request& r) {
        trace += name + ">";
        next(w, r);
        trace += "<" + name;
      });
    });
  };
  httpkit::Handler h = httpkit::chain([&](httpkit::ResponseWriter&, httpkit::Request&) { trace += "h"; },
                                      {tag("a"), tag("b")});
  ResponseRecorder w;
  auto r = new_request("GET", "/");
  h(w, r);
  CHECK(trace == "a>b>h<b<a");
}

TEST_CASE("error replies like http.Error", "[handler]") {
  ResponseRecorder w;
  w.header().set("Content-Length", "999");
  w.header().set("Content-Type", "application/json");
  httpkit::error(w, "nope", httpkit::kStatusForbidden);
  CHECK(w.code() == 403);
  CHECK(w.body() == "nope\n");
  CHECK(w.result_header().get("Content-Type") == "text/plain; charset=utf-8");
  CHECK(w.result_header().get("X-Content-Type-Options") == "nosniff");
  CHECK_FALSE(w.result_header().has("Content-Length"));
}

TEST_CASE("not_found replies 404 page not found", "[handler]") {
  ResponseRecorder w;
  auto r = new_request("GET", "/x");
  httpkit::not_found(w, r);
  CHECK(w.code() == 404);
  CHECK(w.body() == "404 page not found\n");
}

TEST_CASE("redirect resolves relative targets like http.Redirect", "[handler]") {
  struct Case {
    std::string_view method, path, target;
    int code;
    std::string_view location, body;
  };
  const Case cases[] = {
      {"GET", "/a/b", "c", 302, "/a/c", "<a href=\"/a/c\">Found</a>.\n\n"},
      {"GET", "/a/b/", "../c?x=1", 301, "/a/c?x=1", "<a href=\"/a/c?x=1\">Moved Permanently</a>.\n\n"},
      {"GET", "/a/b", "./d/", 307, "/a/d/", "<a href=\"/a/d/\">Temporary Redirect</a>.\n\n"},
      {"GET", "/a", "//evil.example/x", 302, "//evil.example/x", "<a href=\"//evil.example/x\">Found</a>.\n\n"},
      {"GET", "/a", "https://example.com/q?a=<b>", 302, "https://example.com/q?a=<b>",
       "<a href=\"https://example.com/q?a=&lt;b&gt;\">Found</a>.\n\n"},
      {"GET", "/", "/x/../../y", 303, "/y", "<a href=\"/y\">See Other</a>.\n\n"},
      {"GET", "/", "/caf\xc3\xa9", 302, "/caf%c3%a9", "<a href=\"/caf\xc3\xa9\">Found</a>.\n\n"},
      {"HEAD", "/a/b", "c", 302, "/a/c", ""},
      {"POST", "/a/b", "c", 303, "/a/c", ""},
      {"GET", "/a", "", 302, "/", "<a href=\"/\">Found</a>.\n\n"},
      {"GET", "/a/", "'q'", 302, "/a/'q'", "<a href=\"/a/&#39;q&#39;\">Found</a>.\n\n"},
  };
  for (const Case& c : cases) {
    INFO(c.method << " " << c.path << " -> " << c.target);
    ResponseRecorder w;
    auto r = new_request(c.method, c.path);
    httpkit::redirect(w, r, c.target, c.code);
    CHECK(w.code() == c.code);
    CHECK(w.result_header().get("Location") == c.location);
    CHECK(w.body() == c.body);
    bool html = c.method == "GET" || c.method == "HEAD";
    CHECK(w.result_header().has("Content-Type") == html);
  }
}

TEST_CASE("redirect keeps a handler's Content-Type and then writes no body", "[handler]") {
  ResponseRecorder w;
  w.header().set("Content-Type", "application/json");
  auto r = new_request("GET", "/");
  httpkit::redirect(w, r, "/next", 302);
  CHECK(w.body().empty());
  CHECK(w.result_header().get("Content-Type") == "application/json");
}
