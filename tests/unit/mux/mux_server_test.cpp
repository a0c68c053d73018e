// The mux behind a real Server: raw HTTP/1.1 requests over a socket for the
// answers the mux gives itself (redirects, 405, 404, 400 for "*").
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "httpkit/serve_mux.hpp"
#include "httpkit/test/server.hpp"

using httpkit::Request;
using httpkit::ResponseWriter;

namespace {

// round_trip sends raw bytes to 127.0.0.1:port and returns everything the server
// sends until it closes (requests carry "Connection: close").
std::string round_trip(int port, const std::string& raw) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  REQUIRE(::send(fd, raw.data(), raw.size(), 0) == static_cast<ssize_t>(raw.size()));
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return out;
}

std::string get(int port, const std::string& method, const std::string& target) {
  return round_trip(port, method + " " + target + " HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n");
}

}  // namespace

TEST_CASE("ServeMux behind a Server: redirects, 405, 404, *", "[mux][server]") {
  httpkit::ServeMux mux;
  mux.handle("GET /items/", [](ResponseWriter& w, Request&) { w.write("items"); });
  mux.handle("POST /orders/{id}", [](ResponseWriter& w, Request& r) { w.write("order " + std::string(r.path_value("id"))); });
  httpkit::test::Server srv(mux);
  const int port = srv.port();

  SECTION("trailing-slash redirect keeps the query, 307") {
    std::string res = get(port, "GET", "/items?page=2");
    CHECK_THAT(res, Catch::StartsWith("HTTP/1.1 307 Temporary Redirect\r\n"));
    CHECK_THAT(res, Catch::Contains("\r\nLocation: /items/?page=2\r\n"));
    CHECK_THAT(res, Catch::Contains("<a href=\"/items/?page=2\">Temporary Redirect</a>."));
  }
  SECTION("unclean path redirect, escaping kept") {
    std::string res = get(port, "GET", "/x/../items/a%20b");
    CHECK_THAT(res, Catch::StartsWith("HTTP/1.1 307 Temporary Redirect\r\n"));
    CHECK_THAT(res, Catch::Contains("\r\nLocation: /items/a%20b\r\n"));
  }
  SECTION("405 lists the allowed methods") {
    std::string res = get(port, "GET", "/orders/7");
    CHECK_THAT(res, Catch::StartsWith("HTTP/1.1 405 Method Not Allowed\r\n"));
    CHECK_THAT(res, Catch::Contains("\r\nAllow: POST\r\n"));
    CHECK_THAT(res, Catch::EndsWith("\r\n\r\nMethod Not Allowed\n"));
    std::string post = round_trip(port, "POST /orders/7 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    CHECK_THAT(post, Catch::StartsWith("HTTP/1.1 200 OK\r\n"));
    CHECK_THAT(post, Catch::EndsWith("order 7"));
  }
  SECTION("HEAD is served by GET; a wrong method on a subtree gets 405") {
    CHECK_THAT(get(port, "HEAD", "/items/x"), Catch::StartsWith("HTTP/1.1 200 OK\r\n"));
    std::string res = get(port, "DELETE", "/items/x");
    CHECK_THAT(res, Catch::StartsWith("HTTP/1.1 405 Method Not Allowed\r\n"));
    CHECK_THAT(res, Catch::Contains("\r\nAllow: GET, HEAD\r\n"));
  }
  SECTION("404 and the * target") {
    std::string res = get(port, "GET", "/nothing");
    CHECK_THAT(res, Catch::StartsWith("HTTP/1.1 404 Not Found\r\n"));
    CHECK_THAT(res, Catch::EndsWith("404 page not found\n"));
    std::string star = get(port, "PUT", "*");
    CHECK_THAT(star, Catch::StartsWith("HTTP/1.1 400 Bad Request\r\n"));
  }
}
