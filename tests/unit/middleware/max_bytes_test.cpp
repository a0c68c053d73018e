// max_bytes: Go's MaxBytesReader semantics, and a 10 MiB upload to a 1 MiB limit.
#include <catch2/catch.hpp>

#include <sys/socket.h>

#include <thread>

#include "httpkit/middleware/max_bytes.hpp"
#include "httpkit/test/response_recorder.hpp"
#include "httpkit/test/server.hpp"
#include "support/raw_client.hpp"

using namespace httpkit;
using namespace httpkit::middleware;
using httpkit::testing::RawClient;

TEST_CASE("MaxBytesReader: exactly the limit reads to EOF, one byte more fails", "[max_bytes]") {
  test::ResponseRecorder w;
  StringBody exact("12345");
  MaxBytesReader a(w, exact, 5);
  auto all = read_all(a);
  REQUIRE(all.has_value());
  CHECK(*all == "12345");
  CHECK_FALSE(a.hit());

  StringBody over("123456");
  MaxBytesReader b(w, over, 5);
  CHECK(read_all(b).error() == errc::body_too_large);
  CHECK(b.hit());
  CHECK(b.limit() == 5);
  std::byte buf[4];
  CHECK(b.read(buf).err == errc::body_too_large);  // sticky
  CHECK(w.header().get("Connection") == "close");
}

TEST_CASE("max_bytes: a 10 MiB upload to a 1 MiB limit gets 413 and the connection closes", "[max_bytes]") {
  std::atomic<bool> handler_saw_error{false};
  test::Server srv(max_bytes_handler(
      [&](ResponseWriter& w, Request& r) {
        auto body = read_all(r.body());
        if (body.error() == errc::body_too_large) {
          handler_saw_error = true;
          throw std::system_error(body.error());  // let it escape: max_bytes answers
        }
        w.write("ok");
      },
      1 << 20));
  RawClient c(srv.port(), std::chrono::seconds(20));
  constexpr std::size_t kUpload = 10 << 20;
  c.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(kUpload) + "\r\n\r\n");
  std::thread uploader([&] {
    const std::string chunk(64 << 10, 'u');
    std::size_t sent = 0;
    while (sent < kUpload) {
      if (::send(c.fd(), chunk.data(), chunk.size(), MSG_NOSIGNAL) <= 0) break;  // the server closed
      sent += chunk.size();
    }
  });
  auto res = c.read_response();
  CHECK(res.status == 413);
  CHECK(res.header("Connection") == "close");
  CHECK(c.closed_by_peer());
  uploader.join();
  CHECK(handler_saw_error);
}

TEST_CASE("max_bytes answers 413 when the handler returns without writing", "[max_bytes]") {
  Handler h = max_bytes(3)([](ResponseWriter&, Request& r) { (void)read_all(r.body()); });
  test::Server srv(h);
  RawClient c(srv.port());
  c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789");
  CHECK(c.read_response().status == 413);
  RawClient ok(srv.port());
  ok.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n012");
  CHECK(ok.read_response().status == 200);
}
