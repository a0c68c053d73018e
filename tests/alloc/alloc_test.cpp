// The plaintext path allocates nothing per request once a connection is warm
// (issue 2, section 9): every allocation made on a scheduler thread is counted.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <new>

#include "httpkit/httpkit.hpp"
#include "httpkit/serve_mux.hpp"
#include "httpkit/test/server.hpp"
#include "runtime/scheduler.hpp"
#include "support/raw_client.hpp"

namespace {
std::atomic<long> scheduler_allocations{0};
}

namespace {
void* counted_malloc(std::size_t n) noexcept {
  if (httpkit::rt::Scheduler::current() != nullptr) scheduler_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n ? n : 1);
}
void* counted_new(std::size_t n) {
  if (void* p = counted_malloc(n)) return p;
  throw std::bad_alloc();
}
}  // namespace

// Every replaceable form, so that new and delete always pair with malloc and free.
void* operator new(std::size_t n) { return counted_new(n); }
void* operator new[](std::size_t n) { return counted_new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted_malloc(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted_malloc(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

using namespace httpkit;

TEST_CASE("a warm keep-alive connection serves routed requests without allocating") {
  ServeMux mux;
  mux.handle_func("GET /plaintext", [](ResponseWriter& w, Request&) {
    w.header().set("Content-Type", "text/plain");
    w.header().set("Server", "httpkit");
    w.write("Hello, World!");
  });
  mux.handle_func("GET /users/{id}", [](ResponseWriter& w, Request& r) { w.write(r.path_value("id")); });
  test::Server srv(mux);
  testing::RawClient c(srv.port());
  auto round = [&](int n) {
    for (int i = 0; i < n; ++i) {
      c.send("GET /plaintext HTTP/1.1\r\nHost: x\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n");
      REQUIRE(c.read_response().body == "Hello, World!");
      c.send("GET /users/a-rather-long-user-identifier HTTP/1.1\r\nHost: x\r\n\r\n");
      REQUIRE(c.read_response().body == "a-rather-long-user-identifier");
    }
  };
  round(200);  // warm: buffers, pools, header arenas and contexts reach their size
  const long before = scheduler_allocations.load();
  round(1000);
  const long per_1000 = scheduler_allocations.load() - before;
  INFO("allocations on scheduler threads for 2000 requests: " << per_1000);
  CHECK(per_1000 == 0);
}
