// idempotency: concurrent retries run the handler once; mismatches get 422.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "httpkit/middleware/idempotency.hpp"
#include "httpkit/runtime.hpp"
#include "httpkit/test/server.hpp"
#include "support/raw_client.hpp"

using namespace httpkit;
using namespace httpkit::middleware;
using httpkit::testing::ParsedResponse;
using httpkit::testing::RawClient;

namespace {

ParsedResponse post(int port, const std::string& key, const std::string& body) {
  RawClient c(port);
  c.send("POST /charge HTTP/1.1\r\nHost: x\r\nIdempotency-Key: " + key + "\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body);
  return c.read_response();
}

}  // namespace

TEST_CASE("idempotency: concurrent retries share one execution", "[idempotency]") {
  std::atomic<int> runs{0};
  IdempotencyOptions o;
  o.wait = std::chrono::seconds(5);
  Handler charge = [&](ResponseWriter& w, Request& r) {
    const int n = ++runs;
    sleep_for(std::chrono::milliseconds(300));  // still running when the retries arrive
    auto body = read_all(r.body());
    w.header().set("X-Charge", std::to_string(n));
    w.write_header(201);
    w.write("charged " + (body ? *body : std::string("?")) + " #" + std::to_string(n));
  };
  test::Server srv(idempotency(o)(charge));

  std::vector<ParsedResponse> results(8);
  std::vector<std::thread> clients;
  for (std::size_t i = 0; i < results.size(); ++i) {
    clients.emplace_back([&, i] { results[i] = post(srv.port(), "key-1", "amount=10"); });
  }
  for (auto& t : clients) t.join();
  CHECK(runs == 1);
  int replayed = 0;
  for (const auto& r : results) {
    CHECK(r.status == 201);
    CHECK(r.body == "charged amount=10 #1");
    CHECK(r.header("X-Charge") == "1");
    if (r.header("Idempotent-Replayed") == "true") ++replayed;
  }
  CHECK(replayed == 7);

  SECTION("a different body with the same key gets 422") {
    auto r = post(srv.port(), "key-1", "amount=99");
    CHECK(r.status == 422);
    CHECK(runs == 1);
  }
  SECTION("a new key runs again") {
    CHECK(post(srv.port(), "key-2", "amount=10").body == "charged amount=10 #2");
  }
}

TEST_CASE("idempotency: without waiting, a retry in flight gets 409", "[idempotency]") {
  std::atomic<int> runs{0};
  Handler slow = [&](ResponseWriter& w, Request&) {
    ++runs;
    sleep_for(std::chrono::milliseconds(500));
    w.write("done");
  };
  test::Server srv(idempotency()(slow));
  ParsedResponse first;
  std::thread t([&] { first = post(srv.port(), "k", "x"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  auto retry = post(srv.port(), "k", "x");
  t.join();
  CHECK(retry.status == 409);
  CHECK(retry.header("Retry-After") == "1");
  CHECK(first.status == 200);
  CHECK(runs == 1);
  CHECK(post(srv.port(), "k", "x").body == "done");  // replayed once done
  CHECK(runs == 1);
}

TEST_CASE("idempotency: a handler that throws leaves the key free", "[idempotency]") {
  std::atomic<int> runs{0};
  test::Server srv(idempotency()([&](ResponseWriter& w, Request&) {
    if (++runs == 1) throw std::runtime_error("transient");
    w.write("second try");
  }));
  {
    RawClient c(srv.port());
    c.send("POST /charge HTTP/1.1\r\nHost: x\r\nIdempotency-Key: z\r\nContent-Length: 1\r\n\r\nx");
    c.read_all();
  }
  CHECK(post(srv.port(), "z", "x").body == "second try");
  CHECK(runs == 2);
}
