#include "http2/header_block.hpp"

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

}  // namespace

void HeaderBlock::add_status(int code) {
  if (code >= 100 && code <= 999) {  // every valid status: three digits
    const char digits[3] = {static_cast<char>('0' + code / 100), static_cast<char>('0' + code / 10 % 10),
                            static_cast<char>('0' + code % 10)};
    add_lowercase(":status", std::string_view(digits, 3));
    return;
  }
  char digits[12];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, code);
  add_lowercase(":status", std::string_view(digits, static_cast<std::size_t>(end - digits)));
}

void HeaderBlock::add(std::string_view name, std::string_view value) {
  copy_lowercase(name, append(name.size(), value));
}

void HeaderBlock::add_lowercase(std::string_view name, std::string_view value) {
  std::memcpy(append(name.size(), value), name.data(), name.size());
}

// append stores value after name_len bytes left for the name, which it returns.
char* HeaderBlock::append(std::size_t name_len, std::string_view value) {
  if (spans_.capacity() == 0) spans_.reserve(12);
  const std::size_t at = arena_.size();
  char* name = arena_.extend(name_len + value.size());
  if (!value.empty()) std::memcpy(name + name_len, value.data(), value.size());
  spans_.push_back({at, name_len, at + name_len, value.size()});
  return name;
}

void HeaderBlock::clear() noexcept {
  arena_.clear();
  spans_.clear();
}

const nghttp2_nv* HeaderBlock::pairs(std::uint8_t flags) {
  auto* base = reinterpret_cast<std::uint8_t*>(arena_.data());
  nv_.clear();
  nv_.reserve(spans_.size());
  for (const Span& s : spans_) {
    nv_.push_back({base + s.name, base + s.value, s.name_len, s.value_len, flags});
  }
  return nv_.data();
}

}  // namespace httpkit::detail
