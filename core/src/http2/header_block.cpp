#include "http2/header_block.hpp"

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

// lower8 lowercases the ASCII letters among eight bytes at once (names are mostly
// 4-20 bytes, and this runs for every field of every response head).
std::uint64_t lower8(std::uint64_t w) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101, kHigh = 0x8080808080808080;
  const std::uint64_t low7 = w & ~kHigh;
  const std::uint64_t ge_a = low7 + (0x80 - 'A') * kOnes;  // high bit: byte >= 'A'
  const std::uint64_t gt_z = low7 + (0x7f - 'Z') * kOnes;  // high bit: byte > 'Z'
  const std::uint64_t upper = ge_a & ~gt_z & ~w & kHigh;    // and below 0x80
  return w | (upper >> 2);                                   // 0x80 >> 2 is 'a' - 'A'
}

void copy_lowercase(std::string_view name, char* out) noexcept {
  std::size_t i = 0;
  for (; i + 8 <= name.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, name.data() + i, 8);
    w = lower8(w);
    std::memcpy(out + i, &w, 8);
  }
  for (; i < name.size(); ++i) {
    const char c = name[i];
    out[i] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  }
}

}  // namespace

void HeaderBlock::add_status(int code) {
  char digits[4];
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

const nghttp2_nv* HeaderBlock::data() {
  auto* base = reinterpret_cast<std::uint8_t*>(arena_.data());
  nv_.clear();
  nv_.reserve(spans_.size());
  for (const Span& s : spans_) {
    nv_.push_back({base + s.name, base + s.value, s.name_len, s.value_len, NGHTTP2_NV_FLAG_NONE});
  }
  return nv_.data();
}

}  // namespace httpkit::detail
