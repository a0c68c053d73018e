// StringBody, no_body, read_all and Request's own logic.
#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "httpkit/body.hpp"
#include "httpkit/request.hpp"

TEST_CASE("StringBody reads in pieces then eof, closed after close", "[body]") {
  httpkit::StringBody b("hello world");
  std::byte buf[4];
  auto r = b.read(buf);
  CHECK(r.n == 4);
  CHECK(!r.err);
  auto all = httpkit::read_all(b);
  REQUIRE(all.has_value());
  CHECK(*all == "o world");
  CHECK(b.read(buf).err == httpkit::errc::eof);
  b.close();
  CHECK(b.read(buf).err == httpkit::errc::closed);
}

TEST_CASE("read_all handles large and empty bodies", "[body]") {
  std::string big(100000, 'z');
  big[99999] = 'e';
  httpkit::StringBody b(big);
  CHECK(*httpkit::read_all(b) == big);
  CHECK(*httpkit::read_all(httpkit::no_body()) == "");
  httpkit::StringBody closed("x");
  closed.close();
  CHECK(httpkit::read_all(closed).error() == httpkit::errc::closed);
}

TEST_CASE("Request path values, with_context and reset", "[request]") {
  httpkit::Request r;
  r.set_method("GET");
  r.set_path_value("id", "42");
  r.set_path_value("name", "bob");
  r.set_path_value("id", "43");
  CHECK(r.path_value("id") == "43");
  CHECK(r.path_value("name") == "bob");
  CHECK(r.path_value("none").empty());
  r.set_body(std::make_shared<httpkit::StringBody>("abc"));
  httpkit::Request copy = r.with_context(httpkit::Context::background());
  CHECK(copy.path_value("name") == "bob");
  CHECK(&copy.body() == &r.body());  // shallow: the body is shared, as in Go
  r.set_proto("HTTP/1.0", 1, 0);
  CHECK_FALSE(r.proto_at_least(1, 1));
  r.set_remote_addr("10.0.0.1:5");
  r.header().add("a", "b");
  r.reset();
  CHECK(r.method().empty());
  CHECK(r.path_value("id").empty());
  CHECK(r.header().empty());
  CHECK(r.proto() == "HTTP/1.1");
  CHECK(r.proto_at_least(1, 1));
  CHECK(&r.body() == &httpkit::no_body());
  CHECK(r.remote_addr() == "10.0.0.1:5");  // same connection
  r.set_path_value("x", "1");
  CHECK(r.path_value("x") == "1");
  CHECK(r.path_value("name").empty());
}

TEST_CASE("Request setters copy; the _view setters do not; copies keep what they saw", "[request]") {
  std::string method = "PATCH", target = "/a?b=c", host = "example.com";
  httpkit::Request r;
  r.set_method(method);
  r.set_request_uri(target);
  r.set_host(host);
  method = "XXXXX", target = "/zzzzz", host = "zzzzzzzzzzz";  // the setters copied
  CHECK(r.method() == "PATCH");
  CHECK(r.request_uri() == "/a?b=c");
  CHECK(r.host() == "example.com");

  std::optional<httpkit::Request> copy;
  {
    httpkit::Request original;
    original.set_method(std::string(40, 'M'));  // longer than any small-string buffer
    original.set_proto("HTTP/1.7", 1, 7);       // an unknown version is copied too
    copy = original.with_context(httpkit::Context::background());
    original.set_method("GET");                 // the copy keeps its own view
    CHECK(original.method() == "GET");
  }                                             // the original is gone; its bytes are not
  CHECK(copy->method() == std::string(40, 'M'));
  CHECK(copy->proto() == "HTTP/1.7");

  // A server's request points into the bytes it was given (its connection's buffer).
  std::string head = "DELETE /x HTTP/1.1";
  httpkit::Request v;
  v.set_method_view(std::string_view(head).substr(0, 6));
  v.set_request_uri_view(std::string_view(head).substr(7, 2));
  head[0] = 'd';
  CHECK(v.method() == "dELETE");
  CHECK(v.request_uri() == "/x");
  v.reset();
  CHECK(v.method().empty());
  CHECK(v.request_uri().empty());
}
