// ReadBuffer: a connection's input bytes, parsed in place.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace httpkit::detail {

// ReadBuffer holds [begin, end) of unconsumed input. While a request is being served
// its head stays at [0, floor) and the views in Request point there, so the bytes are
// never moved then: body reads refill above the floor. Between requests compact()
// moves pipelined leftovers to the front.
class ReadBuffer {
 public:
  static constexpr std::size_t kInitialSize = 4096;

  char* data() noexcept { return data_.get(); }
  std::string_view view() const noexcept { return {data_.get() + begin_, end_ - begin_}; }
  std::size_t size() const noexcept { return end_ - begin_; }
  bool empty() const noexcept { return begin_ == end_; }
  std::size_t capacity() const noexcept { return cap_; }
  char* space() noexcept { return data_.get() + end_; }
  std::size_t space_size() const noexcept { return cap_ - end_; }
  void produced(std::size_t n) noexcept { end_ += n; }

  // consume drops n bytes; once empty, refills start at the floor again.
  void consume(std::size_t n) noexcept {
    begin_ += n;
    if (begin_ == end_) begin_ = end_ = floor_;
  }
  // set_floor pins [0, floor) (the parsed head) for the rest of the request.
  void set_floor(std::size_t floor) noexcept { floor_ = floor; }

  // compact moves unconsumed bytes to the front; only between requests.
  void compact() noexcept {
    floor_ = 0;
    if (begin_ == 0) return;
    std::memmove(data_.get(), data_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  // compact_above_floor moves unconsumed body bytes down to the floor, making room
  // without disturbing the head below it.
  void compact_above_floor() noexcept {
    if (begin_ == floor_) return;
    std::memmove(data_.get() + floor_, data_.get() + begin_, end_ - begin_);
    end_ -= begin_ - floor_;
    begin_ = floor_;
  }
  // reserve makes room for at least n more bytes; moves data, so only between requests
  // or while a head is still incomplete (no views yet).
  void reserve(std::size_t n) {
    if (!data_) {
      cap_ = n > kInitialSize ? n : kInitialSize;
      data_ = std::make_unique_for_overwrite<char[]>(cap_);
      return;
    }
    compact();
    if (cap_ - end_ >= n) return;
    std::size_t cap = cap_ * 2;
    while (cap - end_ < n) cap *= 2;
    auto bigger = std::make_unique_for_overwrite<char[]>(cap);
    std::memcpy(bigger.get(), data_.get(), end_);
    data_ = std::move(bigger);
    cap_ = cap;
  }
  // release forgets every byte (the buffer goes back to a pool and must not carry one
  // connection's input to another) and frees a buffer grown past keep.
  void release(std::size_t keep) noexcept {
    begin_ = end_ = floor_ = 0;
    if (cap_ > keep) {
      data_.reset();
      cap_ = 0;
    }
  }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t cap_ = 0;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::size_t floor_ = 0;
};

}  // namespace httpkit::detail
