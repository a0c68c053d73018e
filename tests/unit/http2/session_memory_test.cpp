// SessionMemory, the allocator of a connection's nghttp2 session: small blocks come back
// from the free list of their class, at most kMaxPooledPerClass of a class are pooled
// (the rest go back to malloc), and realloc keeps the bytes whichever way a block moves.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <set>
#include <vector>

#include "http2/session_memory.hpp"

using httpkit::detail::SessionMemory;

namespace {

void* alloc(SessionMemory& m, std::size_t n) { return m.mem()->malloc(n, m.mem()->mem_user_data); }
void release(SessionMemory& m, void* p) { m.mem()->free(p, m.mem()->mem_user_data); }
void* grow(SessionMemory& m, void* p, std::size_t n) { return m.mem()->realloc(p, n, m.mem()->mem_user_data); }

}  // namespace

TEST_CASE("a freed small block serves the next allocation of its class", "[http2]") {
  SessionMemory m;
  void* a = alloc(m, 100);
  release(m, a);
  CHECK(alloc(m, 120) == a);  // 100 and 120 share the 128-byte class
  void* b = alloc(m, 40);     // another class: a fresh block
  CHECK(b != a);
  release(m, a);
  release(m, b);
  release(m, nullptr);  // as free(nullptr): nothing
}

TEST_CASE("past kMaxPooledPerClass blocks of a class, blocks come from malloc and go back to it", "[http2]") {
  SessionMemory m;
  std::vector<void*> live;
  for (std::size_t i = 0; i < SessionMemory::kMaxPooledPerClass + 10; ++i) {
    live.push_back(alloc(m, 200));
    std::memset(live.back(), static_cast<int>(i), 200);
  }
  for (void* p : live) release(m, p);
  // The pooled ones are reused, each once; the pool never holds more than its quota.
  std::set<void*> reused;
  for (std::size_t i = 0; i < SessionMemory::kMaxPooledPerClass; ++i) reused.insert(alloc(m, 200));
  CHECK(reused.size() == SessionMemory::kMaxPooledPerClass);
  std::size_t from_pool = 0;
  for (void* p : live) from_pool += reused.contains(p) ? 1 : 0;
  CHECK(from_pool == SessionMemory::kMaxPooledPerClass);
  for (void* p : reused) release(m, p);
}

TEST_CASE("realloc keeps the bytes, within a class, across classes and to and from malloc", "[http2]") {
  SessionMemory m;
  auto* p = static_cast<char*>(alloc(m, 10));
  std::memcpy(p, "0123456789", 10);
  p = static_cast<char*>(grow(m, p, 50));  // fits its 64-byte class: stays
  CHECK(std::memcmp(p, "0123456789", 10) == 0);
  p = static_cast<char*>(grow(m, p, 300));  // to the 512-byte class
  CHECK(std::memcmp(p, "0123456789", 10) == 0);
  p = static_cast<char*>(grow(m, p, 5000));  // past kMaxPooled: malloc's
  CHECK(std::memcmp(p, "0123456789", 10) == 0);
  p[4999] = 'z';
  p = static_cast<char*>(grow(m, p, 8000));
  CHECK(std::memcmp(p, "0123456789", 10) == 0);
  CHECK(p[4999] == 'z');
  p = static_cast<char*>(grow(m, p, 20));  // malloc's stays malloc's, whatever its size
  CHECK(std::memcmp(p, "0123456789", 10) == 0);
  release(m, p);
  auto* z = static_cast<unsigned char*>(m.mem()->calloc(10, 30, m.mem()->mem_user_data));
  CHECK(std::all_of(z, z + 300, [](unsigned char c) { return c == 0; }));
  release(m, z);
}
