#include "http2/session_memory.hpp"

#include <sanitizer/asan_interface.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <new>

namespace httpkit::detail {
namespace {

// Every block starts with a header naming its class (kBig: from malloc, any size);
// the caller's bytes follow at kHeader, which keeps malloc's 16-byte alignment.
constexpr std::size_t kHeader = 16;
constexpr std::uint32_t kBig = SessionMemory::kClasses;

std::uint32_t& class_of_block(void* base) noexcept { return *static_cast<std::uint32_t*>(base); }
void* base_of(void* p) noexcept { return static_cast<std::byte*>(p) - kHeader; }
void* payload_of(void* base) noexcept { return static_cast<std::byte*>(base) + kHeader; }

std::uint32_t class_for(std::size_t size) noexcept {
  if (size <= SessionMemory::kMinClass) return 0;
  return static_cast<std::uint32_t>(std::bit_width(size - 1) - std::bit_width(SessionMemory::kMinClass - 1));
}

std::size_t class_bytes(std::uint32_t c) noexcept { return SessionMemory::kMinClass << c; }

// In ASan builds a pooled block is poisoned while free and past the size asked for
// while in use, so a write past the end or a use after free is still reported.
// No-ops otherwise.
void hand_out(void* p, std::size_t size, std::uint32_t c) noexcept {
  ASAN_UNPOISON_MEMORY_REGION(p, size);
  ASAN_POISON_MEMORY_REGION(static_cast<std::byte*>(p) + size, class_bytes(c) - size);
}

}  // namespace

SessionMemory::SessionMemory() noexcept {
  mem_.mem_user_data = this;
  mem_.malloc = [](std::size_t size, void* self) { return static_cast<SessionMemory*>(self)->allocate(size); };
  mem_.free = [](void* p, void* self) { static_cast<SessionMemory*>(self)->deallocate(p); };
  mem_.calloc = [](std::size_t n, std::size_t size, void* self) -> void* {
    if (size != 0 && n > SIZE_MAX / size) return nullptr;
    void* p = static_cast<SessionMemory*>(self)->allocate(n * size);
    if (p) std::memset(p, 0, n * size);
    return p;
  };
  mem_.realloc = [](void* p, std::size_t size, void* self) {
    return static_cast<SessionMemory*>(self)->reallocate(p, size);
  };
}

SessionMemory::~SessionMemory() {
  for (std::size_t c = 0; c < kClasses; ++c) {
    FreeList& list = free_[c];
    while (FreeBlock* b = list.head) {
      ASAN_UNPOISON_MEMORY_REGION(b, class_bytes(static_cast<std::uint32_t>(c)));
      list.head = b->next;
      std::free(base_of(b));
    }
  }
}

void* SessionMemory::allocate(std::size_t size) noexcept {
  if (size > kMaxPooled) {
    void* base = std::malloc(kHeader + size);
    if (!base) return nullptr;
    class_of_block(base) = kBig;
    return payload_of(base);
  }
  const std::uint32_t c = class_for(size);
  FreeList& list = free_[c];
  void* p = list.head;
  if (p) {
    ASAN_UNPOISON_MEMORY_REGION(p, sizeof(FreeBlock));
    list.head = list.head->next;
    --list.count;
  } else {
    void* base = std::malloc(kHeader + class_bytes(c));
    if (!base) return nullptr;
    class_of_block(base) = c;
    p = payload_of(base);
  }
  hand_out(p, size, c);
  return p;
}

void SessionMemory::deallocate(void* p) noexcept {
  if (!p) return;
  void* base = base_of(p);
  const std::uint32_t c = class_of_block(base);
  if (c == kBig || free_[c].count >= kMaxCachedPerClass) {
    if (c != kBig) ASAN_UNPOISON_MEMORY_REGION(p, class_bytes(c));
    std::free(base);
    return;
  }
  FreeList& list = free_[c];
  ASAN_UNPOISON_MEMORY_REGION(p, sizeof(FreeBlock));
  list.head = ::new (p) FreeBlock{list.head};
  ++list.count;
  ASAN_POISON_MEMORY_REGION(p, class_bytes(c));
}

void* SessionMemory::reallocate(void* p, std::size_t size) noexcept {
  if (!p) return allocate(size);
  void* base = base_of(p);
  const std::uint32_t c = class_of_block(base);
  if (c == kBig && size > kMaxPooled) {
    void* grown = std::realloc(base, kHeader + size);
    return grown ? payload_of(grown) : nullptr;
  }
  if (c != kBig && size <= class_bytes(c)) {
    hand_out(p, size, c);  // fits where it is
    return p;
  }
  // Moving to a larger class, or between a class and malloc: copy the old bytes. A
  // pooled block's exact size is not recorded; its class bounds it.
  void* q = allocate(size);
  if (!q) return nullptr;  // p stays valid, as realloc leaves it
  if (c != kBig) ASAN_UNPOISON_MEMORY_REGION(p, class_bytes(c));
  std::memcpy(q, p, c == kBig ? size : std::min(size, class_bytes(c)));
  deallocate(p);
  return q;
}

}  // namespace httpkit::detail
