// Eight bytes at a time: the word tests the header code uses on names and values that
// are short but many (a field per line, several lines per request). Each test answers
// "is there any such byte in w" exactly; where a byte was found, callers look byte by
// byte.
#pragma once

#include <cstdint>
#include <cstring>

namespace httpkit::detail::swar {

inline constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

inline std::uint64_t load8(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// has_less: some byte of w is below n (n <= 0x80); the high bytes (>= 0x80) never count.
constexpr bool has_less(std::uint64_t w, unsigned char n) noexcept {
  return ((w - kOnes * n) & ~w & kHighs) != 0;
}

// has_byte: some byte of w equals c (has_less(w ^ c...c, 1)).
constexpr bool has_byte(std::uint64_t w, unsigned char c) noexcept { return has_less(w ^ (kOnes * c), 1); }

}  // namespace httpkit::detail::swar
