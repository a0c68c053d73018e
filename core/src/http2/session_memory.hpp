// SessionMemory: the allocator an nghttp2 session uses, with per-size free lists.
#pragma once

#include <nghttp2/nghttp2.h>

#include <array>
#include <cstddef>
#include <cstdint>

namespace httpkit::detail {

// SessionMemory serves one nghttp2 session's allocations (nghttp2_mem). nghttp2
// allocates a handful of small blocks per stream (the stream, a copy of the response
// fields, one queue item per frame it sends) and frees them when the stream ends;
// with tens of streams in flight per connection glibc's thread cache overflows and
// every pair costs a trip through the arena. Here small blocks go back to a free list
// of their size class and the next stream takes them: a warm connection's streams
// reuse the same few blocks.
//
// Blocks above kMaxPooled bytes (the session itself, HPACK tables, frame buffers) go
// to malloc. At most kMaxCachedPerClass free blocks are kept per class, so a burst
// of streams does not pin its peak memory for the connection's life. Owned by the
// connection, it must outlive the session (nghttp2_session_del frees through it).
// Not thread-safe: a session lives on one scheduler thread.
class SessionMemory {
 public:
  static constexpr std::size_t kMinClass = 64;     // bytes of the smallest class
  static constexpr std::size_t kClasses = 5;       // 64, 128, 256, 512, 1024
  static constexpr std::size_t kMaxPooled = kMinClass << (kClasses - 1);
  static constexpr std::size_t kMaxCachedPerClass = 64;

  SessionMemory() noexcept;
  SessionMemory(const SessionMemory&) = delete;
  SessionMemory& operator=(const SessionMemory&) = delete;
  ~SessionMemory();

  // mem is what nghttp2_session_server_new3 takes; nghttp2 copies the struct.
  nghttp2_mem* mem() noexcept { return &mem_; }

  void* allocate(std::size_t size) noexcept;
  void deallocate(void* p) noexcept;
  void* reallocate(void* p, std::size_t size) noexcept;

 private:
  struct FreeBlock {
    FreeBlock* next;
  };
  struct FreeList {
    FreeBlock* head = nullptr;
    std::size_t count = 0;
  };

  nghttp2_mem mem_;
  std::array<FreeList, kClasses> free_{};
};

}  // namespace httpkit::detail
