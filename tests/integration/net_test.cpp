// Listener and Conn: address syntax, deadlines, close from another thread, activation.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <thread>

#include "httpkit/httpkit.hpp"
#include "support/raw_client.hpp"
#include "support/run_in_fiber.hpp"

using namespace httpkit;
using namespace std::chrono_literals;
using httpkit::testing::run_in_fiber;

TEST_CASE("Listener accepts Go's address forms and reports the bound port") {
  auto v4 = Listener::listen("127.0.0.1:0");
  REQUIRE(v4);
  CHECK(v4->port() > 0);
  CHECK(v4->addr() == "127.0.0.1:" + std::to_string(v4->port()));
  auto v6 = Listener::listen("[::1]:0");
  if (v6) CHECK(v6->addr().starts_with("[::1]:"));
  auto any = Listener::listen(":0");
  REQUIRE(any);
  CHECK(any->port() > 0);
  CHECK_FALSE(Listener::listen("no-port"));
  auto taken = Listener::listen(v4->addr());
  CHECK(taken.error() == std::errc::address_in_use);
}

namespace {

// with_conn runs body on a fiber with the server side of a fresh loopback connection
// and the raw client at its other end.
void with_conn(const std::function<void(Conn&, testing::RawClient&)>& body) {
  auto l = Listener::listen("127.0.0.1:0");
  REQUIRE(l);
  testing::RawClient client(l->port());
  run_in_fiber([&] {
    auto conn = l->accept();
    REQUIRE(conn);
    body(**conn, client);
  });
}

}  // namespace

TEST_CASE("Conn read parks until data, honours its deadline, and close wakes it") {
  with_conn([](Conn& c, testing::RawClient& client) {
    std::byte buf[64];
    c.set_read_deadline(Clock::now() + 50ms);
    CHECK(c.read(buf).err == errc::timeout);
    c.set_read_deadline({});
    client.send("hi");
    auto r = c.read(buf);
    CHECK(r.n == 2);
    std::thread closer([&c] {
      std::this_thread::sleep_for(20ms);
      c.close();
    });
    CHECK(c.read(buf).err == errc::closed);
    closer.join();
  });
}

TEST_CASE("Conn::drained tells a read that emptied the socket from one that filled the buffer") {
  with_conn([](Conn& c, testing::RawClient& client) {
    CHECK_FALSE(c.drained());  // nothing read yet: nothing known
    client.send("12345678");
    std::byte four[4], big[64];
    REQUIRE(c.read(four).n == 4);
    CHECK_FALSE(c.drained());  // the buffer filled: more may wait
    REQUIRE(c.read(big).n == 4);
    CHECK(c.drained());
    client.send("x");
    std::this_thread::sleep_for(20ms);
    REQUIRE(c.read_now(std::span(big, 1)).n == 1);
    CHECK_FALSE(c.drained());
    CHECK(c.read_now(big).err == std::errc::operation_would_block);
    CHECK(c.drained());
  });
}

TEST_CASE("Listener::close wakes a parked accept with errc::closed") {
  auto l = Listener::listen("127.0.0.1:0");
  REQUIRE(l);
  std::thread closer([&] {
    std::this_thread::sleep_for(20ms);
    l->close();
  });
  run_in_fiber([&] { CHECK(l->accept().error() == errc::closed); });
  closer.join();
}

TEST_CASE("socket activation adopts LISTEN_FDS sockets and clears the variables") {
  auto l = Listener::listen("127.0.0.1:0");
  REQUIRE(l);
  const int port = l->port();
  // Put a dup of the socket at fd 3 as systemd would.
  const int saved = ::dup(3);
  REQUIRE(::dup2(l->fd(), 3) == 3);
  ::setenv("LISTEN_PID", std::to_string(::getpid()).c_str(), 1);
  ::setenv("LISTEN_FDS", "1", 1);
  auto adopted = Listener::from_systemd();
  REQUIRE(adopted.size() == 1);
  CHECK(adopted[0].port() == port);
  CHECK(std::getenv("LISTEN_FDS") == nullptr);
  CHECK(Listener::from_systemd().empty());
  adopted.clear();  // closes fd 3
  if (saved >= 0) ::dup2(saved, 3), ::close(saved);
}
