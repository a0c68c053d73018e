// Eight bytes at a time: the word tests the header code uses on names and values that
// are short but many (a field per line, several lines per request). Each test answers
// "is there any such byte in w" exactly; where a byte was found, callers look byte by
// byte.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace httpkit::detail::swar {

inline constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

inline std::uint64_t load8(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

inline std::uint32_t load4(const char* p) noexcept {
  std::uint32_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// same_bytes is a == b for the short names and values of a head: 4 to 16 bytes
// compare as two overlapping words, which costs less than the call to memcmp.
[[gnu::always_inline]] inline bool same_bytes(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  if (n >= 8 && n <= 16) return load8(x) == load8(y) && load8(x + n - 8) == load8(y + n - 8);
  if (n >= 4 && n < 8) return load4(x) == load4(y) && load4(x + n - 4) == load4(y + n - 4);
  return a == b;
}

// has_less: some byte of w is below n (n <= 0x80); the high bytes (>= 0x80) never count.
constexpr bool has_less(std::uint64_t w, unsigned char n) noexcept {
  return ((w - kOnes * n) & ~w & kHighs) != 0;
}

// has_byte: some byte of w equals c (has_less(w ^ c...c, 1)).
constexpr bool has_byte(std::uint64_t w, unsigned char c) noexcept { return has_less(w ^ (kOnes * c), 1); }

// in_range sets the high bit of each byte b of w with lo <= b <= hi, for words whose
// bytes are all below 0x80 (the caller checks): b + 0x80 - lo and b + 0x7f - hi stay
// below 0x100, so no byte carries into the next.
constexpr std::uint64_t in_range(std::uint64_t w, unsigned char lo, unsigned char hi) noexcept {
  const std::uint64_t ge_lo = w + (0x80 - lo) * kOnes;
  const std::uint64_t gt_hi = w + (0x7f - hi) * kOnes;
  return ge_lo & ~gt_hi & kHighs;
}

// any_below_or_del: some byte of s is below `below` (<= 0x80) or is DEL. With 0x20: a
// control byte, HTAB included (field values then get a byte-by-byte look); with 0x21:
// a control byte or a space. Words overlap at the end instead of a byte loop.
inline bool any_below_or_del(std::string_view s, unsigned char below) noexcept {
  const std::size_t n = s.size();
  if (n < 8) {
    bool found = false;
    for (char c : s) found |= static_cast<unsigned char>(c) < below || c == 0x7f;
    return found;
  }
  auto test = [&](std::size_t at) {
    const std::uint64_t w = load8(s.data() + at);
    return has_less(w, below) || has_byte(w, 0x7f);
  };
  bool found = test(n - 8);
  for (std::size_t i = 0; !found && i + 8 < n; i += 8) found = test(i);
  return found;
}

}  // namespace httpkit::detail::swar
