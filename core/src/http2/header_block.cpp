#include "http2/header_block.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace httpkit::detail {

bool is_connection_specific(std::string_view name) noexcept {
  // Sorted by length first: most names differ in length from all five, and a response
  // head is checked field by field.
  switch (name.size()) {
    case 7: return equal_fold(name, "Upgrade");
    case 10: return equal_fold(name, "Connection") || equal_fold(name, "Keep-Alive");
    case 16: return equal_fold(name, "Proxy-Connection");
    case 17: return equal_fold(name, "Transfer-Encoding");
    default: return false;
  }
}

namespace {

// kTypicalFields: pairs reserved at a block's first use, enough for most heads.
constexpr std::size_t kTypicalFields = 12;

}  // namespace

// add_odd_status adds a code outside 100-999 (rare; Go writes what it is given): a
// plain memcpy, as copy_bytes's word paths would read past this small array.
void HeaderBlock::add_odd_status(int code) {
  char digits[12];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, code);
  const auto n = static_cast<std::size_t>(end - digits);
  char* at = take(n);
  std::memcpy(at, digits, n);
  push(":status", 7, at, n);
}

// make_room grows the arena for n more bytes. It moves, and the pairs already made
// into it follow (rare: a warm block has the room).
void HeaderBlock::make_room(std::size_t n) {
  const auto old = reinterpret_cast<std::uintptr_t>(arena_.data());
  const std::size_t used = arena_.size();
  arena_.reserve(used + n);
  const auto now = reinterpret_cast<std::uintptr_t>(arena_.data());
  auto follow = [&](std::uint8_t*& p) {
    const auto at = reinterpret_cast<std::uintptr_t>(p);
    if (at >= old && at <= old + used) p = reinterpret_cast<std::uint8_t*>(now + (at - old));
  };
  for (std::size_t i = 0; i < count_; ++i) {
    follow(nv_[i].name);
    follow(nv_[i].value);
  }
}

void HeaderBlock::add_pairs() {
  capacity_ = std::max(kTypicalFields, 2 * capacity_);
  auto more = std::make_unique_for_overwrite<nghttp2_nv[]>(capacity_);
  std::copy_n(nv_.get(), count_, more.get());
  nv_ = std::move(more);
}

}  // namespace httpkit::detail
