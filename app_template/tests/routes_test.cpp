// Tests of {{name}}'s handlers, through the same mux the server runs (Catch2 v2).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <string>

#include <httpkit/httpkit.hpp>
#include <httpkit/test/request.hpp>
#include <httpkit/test/response_recorder.hpp>

#include "routes.hpp"

namespace {

httpkit::test::ResponseRecorder serve(const std::string& method, const std::string& target, std::string body = {}) {
  httpkit::ServeMux mux;
  {{ident}}::register_routes(mux);
  httpkit::test::ResponseRecorder w;
  auto r = httpkit::test::new_request(method, target, std::move(body));
  mux(w, r);
  return w;
}

}  // namespace

TEST_CASE("GET / serves the HTML page") {
  auto w = serve("GET", "/");
  CHECK(w.code() == 200);
  CHECK(w.result_header().get("Content-Type") == "text/html; charset=utf-8");
  CHECK(w.body().find("<h1>Hello from {{name}}</h1>") != std::string::npos);
}

TEST_CASE("GET /hello/{name} greets by name") {
  auto w = serve("GET", "/hello/ada");
  CHECK(w.code() == 200);
  CHECK(w.body() == "Hello, ada!\n");
}

TEST_CASE("POST /echo returns the body") {
  auto w = serve("POST", "/echo", "ping");
  CHECK(w.code() == 200);
  CHECK(w.body() == "ping");
}

TEST_CASE("POST /echo refuses a body over its limit") {
  auto w = serve("POST", "/echo", std::string(100 * 1024, 'x'));
  CHECK(w.code() == 413);
}

TEST_CASE("an unknown path is 404") {
  CHECK(serve("GET", "/nope").code() == 404);
}
