// ByteBuffer: a growable byte array for header bytes that are rebuilt per stream.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace httpkit::detail {

// copy_bytes is memcpy for the short names and values of a head: up to 16 bytes move
// as two overlapping loads and stores, which costs less than the call to memcpy.
// Always inline, or the call it saves comes back.
[[gnu::always_inline]] inline void copy_bytes(char* to, const char* from, std::size_t n) noexcept {
  if (n >= 8 && n <= 16) {
    std::uint64_t head, tail;
    std::memcpy(&head, from, 8);
    std::memcpy(&tail, from + n - 8, 8);
    std::memcpy(to, &head, 8);
    std::memcpy(to + n - 8, &tail, 8);
  } else if (n >= 4 && n < 8) {
    std::uint32_t head, tail;
    std::memcpy(&head, from, 4);
    std::memcpy(&tail, from + n - 4, 4);
    std::memcpy(to, &head, 4);
    std::memcpy(to + n - 4, &tail, 4);
  } else if (n < 4) {
    if (n == 0) return;
    to[0] = from[0];  // 1 to 3 bytes: the first, the middle and the last
    to[n / 2] = from[n / 2];
    to[n - 1] = from[n - 1];
  } else {
    std::memcpy(to, from, n);
  }
}

// ByteBuffer appends without zero-filling (std::string::resize writes every byte
// twice) and hands out room at its end to write into directly (extend), where
// std::string would check capacity and call memcpy per appended piece: for the
// few-dozen-byte pieces of a message head that costs more than the copies. It keeps its
// capacity across clear(), so a buffer owned by a reused stream or connection stops
// allocating once warm. Bytes are addressed by offset: growing moves them (room() tells
// whether the next extend will). HTTP/1's output buffer and HTTP/2's head arenas.
class ByteBuffer {
 public:
  // extend makes room for n more bytes at the end and returns where they go.
  char* extend(std::size_t n) {
    if (n > room()) grow(size_ + n);
    char* at = data_.get() + size_;
    size_ += n;
    return at;
  }
  [[gnu::always_inline]] void append(std::string_view s) { copy_bytes(extend(s.size()), s.data(), s.size()); }
  // reserve makes room for n bytes in all, moving the bytes if it has to grow.
  void reserve(std::size_t n) {
    if (n > cap_) grow(n);
  }
  std::string_view view(std::size_t at, std::size_t n) const noexcept { return {data_.get() + at, n}; }
  std::string_view view() const noexcept { return {data_.get(), size_}; }
  char* data() noexcept { return data_.get(); }
  const char* data() const noexcept { return data_.get(); }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  // room is how many bytes extend takes without moving the buffer.
  std::size_t room() const noexcept { return cap_ - size_; }
  void clear() noexcept { size_ = 0; }
  // truncate drops the bytes from n on; they stay in the capacity, readable until
  // the next extend (an aborted response's, or what extend took beyond its need).
  void truncate(std::size_t n) noexcept { size_ = std::min(size_, n); }

 private:
  // kMinCapacity: a typical request or response head fits in one allocation.
  static constexpr std::size_t kMinCapacity = 512;

  void grow(std::size_t need) {
    const std::size_t cap = std::max({need, cap_ * 2, kMinCapacity});
    auto bigger = std::make_unique_for_overwrite<char[]>(cap);
    if (size_) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    cap_ = cap;
  }

  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t cap_ = 0;
};

}  // namespace httpkit::detail
