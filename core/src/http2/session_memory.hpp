// SessionMemory: the allocator an nghttp2 session uses, with per-size free lists.
#pragma once

#include <nghttp2/nghttp2.h>

#include <sanitizer/asan_interface.h>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <new>

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
// to malloc. At most kMaxPooledPerClass blocks of a class are made for pooling; past
// that, small blocks come from malloc and go back to it, so a burst of streams does
// not pin its peak memory for the connection's life. Owned by the connection, it must
// outlive the session (nghttp2_session_del frees through it). Not thread-safe: a
// session lives on one scheduler thread.
class SessionMemory {
 public:
  static constexpr std::size_t kMinClass = 64;     // bytes of the smallest class
  static constexpr std::size_t kClasses = 5;       // 64, 128, 256, 512, 1024
  static constexpr std::size_t kMaxPooled = kMinClass << (kClasses - 1);
  static constexpr std::size_t kMaxPooledPerClass = 64;

  SessionMemory() noexcept;
  SessionMemory(const SessionMemory&) = delete;
  SessionMemory& operator=(const SessionMemory&) = delete;
  ~SessionMemory();

  // mem is what nghttp2_session_server_new3 takes; nghttp2 copies the struct.
  nghttp2_mem* mem() noexcept { return &mem_; }

  // allocate and deallocate take and give back pooled blocks inline (nghttp2 calls
  // them a dozen times per stream); anything else goes through malloc.
  void* allocate(std::size_t size) noexcept {
    if (size <= kMaxPooled) {
      const std::uint32_t c = class_for(size);
      if (FreeBlock* b = free_[c]) {
        ASAN_UNPOISON_MEMORY_REGION(b, sizeof(FreeBlock));
        free_[c] = b->next;
        hand_out(b, size, c);
        return b;
      }
    }
    return allocate_new(size);
  }
  void deallocate(void* p) noexcept {
    if (!p) return;
    const std::uint32_t c = class_of_block(base_of(p));
    if (c == kBig) return release(p);
    ASAN_UNPOISON_MEMORY_REGION(p, sizeof(FreeBlock));
    free_[c] = ::new (p) FreeBlock{free_[c]};
    ASAN_POISON_MEMORY_REGION(p, class_bytes(c));
  }
  void* reallocate(void* p, std::size_t size) noexcept;

 private:
  struct FreeBlock {
    FreeBlock* next;
  };

  // Every block starts with a header naming its class (kBig: from malloc and back to
  // it, any size); the caller's bytes follow at kHeader, which keeps malloc's 16-byte
  // alignment.
  static constexpr std::size_t kHeader = 16;
  static constexpr std::uint32_t kBig = kClasses;

  static std::uint32_t& class_of_block(void* base) noexcept { return *static_cast<std::uint32_t*>(base); }
  static void* base_of(void* p) noexcept { return static_cast<std::byte*>(p) - kHeader; }
  static void* payload_of(void* base) noexcept { return static_cast<std::byte*>(base) + kHeader; }
  static std::uint32_t class_for(std::size_t size) noexcept {
    if (size <= kMinClass) return 0;
    return static_cast<std::uint32_t>(std::bit_width(size - 1) - std::bit_width(kMinClass - 1));
  }
  static std::size_t class_bytes(std::uint32_t c) noexcept { return kMinClass << c; }
  // In ASan builds a pooled block is poisoned while free and past the size asked for
  // while in use, so a write past the end or a use after free is still reported.
  // No-ops otherwise.
  static void hand_out(void* p, std::size_t size, std::uint32_t c) noexcept {
    ASAN_UNPOISON_MEMORY_REGION(p, size);
    ASAN_POISON_MEMORY_REGION(static_cast<std::byte*>(p) + size, class_bytes(c) - size);
  }

  void* allocate_new(std::size_t size) noexcept;
  void release(void* p) noexcept;

  nghttp2_mem mem_;
  std::array<FreeBlock*, kClasses> free_{};       // pooled blocks not in use, by class
  std::array<std::size_t, kClasses> pooled_{};  // pooled blocks made, by class
};

}  // namespace httpkit::detail
