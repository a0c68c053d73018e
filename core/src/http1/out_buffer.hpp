// OutBuffer: bytes a connection has yet to write.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace httpkit::http1 {

// OutBuffer is an append-only byte buffer that hands out room at its end to write into
// directly (room, then produced). A std::string cannot: growing it fills the new bytes
// first, and appending piece by piece checks capacity and calls memcpy per piece, which
// for the few-dozen-byte pieces of a response head cost more than the copies. Capacity
// is kept by clear(), so a pooled buffer stops allocating.
class OutBuffer {
 public:
  OutBuffer() = default;
  OutBuffer(const OutBuffer&) = delete;
  OutBuffer& operator=(const OutBuffer&) = delete;

  const char* data() const noexcept { return buf_.get(); }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::string_view view() const noexcept { return {buf_.get(), size_}; }

  // room returns n writable bytes past the end; produced(k) then makes k of them part
  // of the buffer. Bytes past what was produced may be written and are not kept.
  char* room(std::size_t n) {
    if (capacity_ - size_ < n) grow(n);
    return buf_.get() + size_;
  }
  void produced(std::size_t n) noexcept { size_ += n; }

  void append(std::string_view s) {
    if (s.empty()) return;  // an empty view's data() may be null, which memcpy must not get
    std::memcpy(room(s.size()), s.data(), s.size());
    size_ += s.size();
  }

  void clear() noexcept { size_ = 0; }
  // truncate drops the bytes from n on (an aborted response's).
  void truncate(std::size_t n) noexcept { size_ = std::min(size_, n); }

 private:
  void grow(std::size_t n) {
    constexpr std::size_t kMinCapacity = 1024;
    const std::size_t capacity = std::max({capacity_ * 2, size_ + n, kMinCapacity});
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_ > 0) std::memcpy(bigger.get(), buf_.get(), size_);
    buf_ = std::move(bigger);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> buf_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace httpkit::http1
