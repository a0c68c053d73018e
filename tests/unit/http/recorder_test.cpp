// ResponseRecorder and new_request: Go's httptest semantics.
#include <catch2/catch.hpp>

#include "httpkit/test/request.hpp"
#include "httpkit/test/response_recorder.hpp"

using httpkit::test::new_request;
using httpkit::test::ResponseRecorder;

TEST_CASE("ResponseRecorder commits 200 and sniffs on first write", "[recorder]") {
  ResponseRecorder w;
  CHECK(w.code() == 200);
  CHECK_FALSE(w.wrote_header());
  w.write("<html><body>hi");
  CHECK(w.wrote_header());
  CHECK(w.code() == 200);
  CHECK(w.result_header().get("Content-Type") == "text/html; charset=utf-8");
  w.write_header(500);  // superfluous: ignored
  CHECK(w.code() == 200);
  w.header().set("X-Late", "1");  // after commit: not in the snapshot
  CHECK_FALSE(w.result_header().has("X-Late"));
  CHECK(w.body() == "<html><body>hi");
}

TEST_CASE("ResponseRecorder keeps an explicit status and Content-Type", "[recorder]") {
  ResponseRecorder w;
  w.header().set("Content-Type", "text/csv");
  w.write_header(201);
  w.write("a,b");
  CHECK(w.code() == 201);
  CHECK(w.result_header().get("Content-Type") == "text/csv");
  CHECK_THROWS_AS(w.write_header(1000), std::invalid_argument);
  ResponseRecorder te;
  te.header().set("Transfer-Encoding", "chunked");
  te.write("\x01\x02");
  CHECK_FALSE(te.result_header().has("Content-Type"));
}

TEST_CASE("ResponseRecorder flush commits and trailers are gathered", "[recorder]") {
  ResponseRecorder w;
  w.header().set("Trailer", "X-Sum, X-Count");
  CHECK(w.flush() == std::error_code{});
  CHECK(w.flushed());
  CHECK(w.wrote_header());
  w.header().set("X-Sum", "abc");
  w.header().set("X-Count", "3");
  w.header().set("Trailer:X-Late", "z");
  w.header().set("X-Other", "no");
  httpkit::Header t = w.trailers();
  CHECK(t.get("X-Sum") == "abc");
  CHECK(t.get("X-Count") == "3");
  CHECK(t.get("X-Late") == "z");
  CHECK_FALSE(t.has("X-Other"));
}

TEST_CASE("new_request follows httptest.NewRequest", "[recorder]") {
  auto r = new_request("POST", "/a%2Fb?x=1", "body!");
  CHECK(r.method() == "POST");
  CHECK(r.url().path == "/a/b");
  CHECK(r.url().raw_path == "/a%2Fb");
  CHECK(r.url().query().get("x") == "1");
  CHECK(r.request_uri() == "/a%2Fb?x=1");
  CHECK(r.proto() == "HTTP/1.1");
  CHECK(r.proto_minor() == 1);
  CHECK_FALSE(r.close());
  CHECK(r.host() == "example.com");
  CHECK(r.remote_addr() == "192.0.2.1:1234");
  CHECK(r.content_length() == 5);
  CHECK(*httpkit::read_all(r.body()) == "body!");

  auto abs = new_request("", "https://go.dev:8443/doc");
  CHECK(abs.method() == "GET");
  CHECK(abs.host() == "go.dev:8443");
  CHECK(abs.url().scheme == "https");
  CHECK(abs.content_length() == 0);

  CHECK_THROWS_AS(new_request("GET", "not a path"), std::invalid_argument);
  CHECK_THROWS_AS(new_request("G E", "/"), std::invalid_argument);
}
