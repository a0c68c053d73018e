#include "http2/header_block.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "http/swar.hpp"

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

// lower8 lowercases the ASCII letters among eight bytes at once (names are mostly
// 4-20 bytes, and this runs for every field of every response head); bytes from 0x80
// up stay as they are.
std::uint64_t lower8(std::uint64_t w) noexcept {
  const std::uint64_t upper = swar::in_range(w & ~swar::kHighs, 'A', 'Z') & ~w;  // and below 0x80
  return w | (upper >> 2);  // 0x80 >> 2 is 'a' - 'A'
}

// lower_word lowercases the N bytes at from into to.
template <std::size_t N>
void lower_word(const char* from, char* to) noexcept {
  std::uint64_t w = 0;
  std::memcpy(&w, from, N);
  w = lower8(w);
  std::memcpy(to, &w, N);
}

// copy_lowercase goes by words; the last word may overlap the one before it (the
// bytes come from name again, and lowercasing them twice changes nothing).
void copy_lowercase(std::string_view name, char* out) noexcept {
  const std::size_t n = name.size();
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) lower_word<8>(name.data() + i, out + i);
    lower_word<8>(name.data() + n - 8, out + n - 8);
  } else if (n >= 4) {
    lower_word<4>(name.data(), out);
    lower_word<4>(name.data() + n - 4, out + n - 4);
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      const char c = name[i];
      out[i] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
  }
}

// kTypicalFields: pairs reserved at a block's first use, enough for most heads.
constexpr std::size_t kTypicalFields = 12;

}  // namespace

void HeaderBlock::add_status(int code) {
  if (code >= 100 && code <= 999) {  // every valid status: three digits
    char* digits = take(3);
    digits[0] = static_cast<char>('0' + code / 100);
    digits[1] = static_cast<char>('0' + code / 10 % 10);
    digits[2] = static_cast<char>('0' + code % 10);
    push(":status", 7, digits, 3);
    return;
  }
  char digits[12];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, code);
  add_computed(":status", std::string_view(digits, static_cast<std::size_t>(end - digits)));
}

void HeaderBlock::add(std::string_view name, std::string_view value) {
  char* at = take(name.size() + value.size());
  copy_lowercase(name, at);
  copy_bytes(at + name.size(), value.data(), value.size());
  push(at, name.size(), at + name.size(), value.size());
}

void HeaderBlock::add_computed(std::string_view name, std::string_view value) {
  char* at = take(value.size());
  copy_bytes(at, value.data(), value.size());
  push(name.data(), name.size(), at, value.size());
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

void HeaderBlock::add_pairs() { nv_.resize(std::max(kTypicalFields, 2 * nv_.size())); }

void HeaderBlock::clear() noexcept {
  arena_.clear();
  count_ = 0;
}

}  // namespace httpkit::detail
