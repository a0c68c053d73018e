#include "http2/session_memory.hpp"

#include <cstdlib>
#include <cstring>

namespace httpkit::detail {

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
    while (FreeBlock* b = free_[c]) {
      ASAN_UNPOISON_MEMORY_REGION(b, class_bytes(static_cast<std::uint32_t>(c)));
      free_[c] = b->next;
      std::free(base_of(b));
    }
  }
}

// allocate_new takes a block from malloc: a pooled block of its class when the free
// list is empty and the class has made fewer than kMaxPooledPerClass, else one of
// the size asked for, which goes back to malloc when freed.
void* SessionMemory::allocate_new(std::size_t size) noexcept {
  if (size > kMaxPooled || pooled_[class_for(size)] == kMaxPooledPerClass) {
    void* base = std::malloc(kHeader + size);
    if (!base) return nullptr;
    class_of_block(base) = kBig;
    return payload_of(base);
  }
  const std::uint32_t c = class_for(size);
  void* base = std::malloc(kHeader + class_bytes(c));
  if (!base) return nullptr;
  ++pooled_[c];
  class_of_block(base) = c;
  void* p = payload_of(base);
  hand_out(p, size, c);
  return p;
}

// release gives a kBig block back to malloc.
void SessionMemory::release(void* p) noexcept { std::free(base_of(p)); }

void* SessionMemory::reallocate(void* p, std::size_t size) noexcept {
  if (!p) return allocate(size);
  void* base = base_of(p);
  const std::uint32_t c = class_of_block(base);
  if (c == kBig) {  // malloc's own block: realloc knows its size
    void* grown = std::realloc(base, kHeader + size);
    return grown ? payload_of(grown) : nullptr;
  }
  if (size <= class_bytes(c)) {
    hand_out(p, size, c);  // fits where it is
    return p;
  }
  // Outgrowing its class: copy the old bytes. A pooled block's exact size is not
  // recorded; its class bounds it.
  void* q = allocate(size);
  if (!q) return nullptr;  // p stays valid, as realloc leaves it
  ASAN_UNPOISON_MEMORY_REGION(p, class_bytes(c));
  std::memcpy(q, p, class_bytes(c));
  deallocate(p);
  return q;
}

}  // namespace httpkit::detail
