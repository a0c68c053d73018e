// Byte classes of HTTP syntax as 256-entry tables, shared by the header code and the
// HTTP/1 parser so that scanning a field is one load per byte.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace httpkit::detail {

// tchar (RFC 9110 section 5.6.2): the bytes of a token (methods, field names).
constexpr std::array<bool, 256> make_token_table() noexcept {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[static_cast<unsigned>(c)] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<unsigned>(c)] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<unsigned>(c)] = true;
  for (unsigned char c : {'!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~'}) t[c] = true;
  return t;
}
inline constexpr std::array<bool, 256> kTokenChar = make_token_table();

// field-value bytes (RFC 9110 section 5.5): VCHAR, SP, HTAB and obs-text. Every other
// control byte (NUL, CR, LF, DEL...) is rejected.
constexpr std::array<bool, 256> make_field_value_table() noexcept {
  std::array<bool, 256> t{};
  for (unsigned c = 0x20; c < 0x7f; ++c) t[c] = true;
  for (unsigned c = 0x80; c < 0x100; ++c) t[c] = true;
  t['\t'] = true;
  return t;
}
inline constexpr std::array<bool, 256> kFieldValueChar = make_field_value_table();

// Host bytes: Go's httpguts.validHostByte (lenient, but no spaces, slashes, '@' or
// controls). HTTP/2's ":authority" check adds '@' to it.
constexpr std::array<bool, 256> make_host_table() noexcept {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[static_cast<unsigned>(c)] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<unsigned>(c)] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<unsigned>(c)] = true;
  for (unsigned char c : std::string_view("!$%&()*+,-.:;=[]'_~")) t[c] = true;
  return t;
}
inline constexpr std::array<bool, 256> kHostChar = make_host_table();

// all_of: every byte of s is in table. No early exit: the names, hosts and methods it
// sees are short and nearly always valid, so a branch per byte would only mispredict.
inline bool all_of(std::string_view s, const std::array<bool, 256>& table) noexcept {
  bool in = true;
  for (char c : s) in &= table[static_cast<unsigned char>(c)];
  return in;
}

inline bool is_token_char(char c) noexcept { return kTokenChar[static_cast<unsigned char>(c)]; }
inline bool is_field_value_char(char c) noexcept { return kFieldValueChar[static_cast<unsigned char>(c)]; }

inline char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }
inline char ascii_upper(char c) noexcept { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - ('a' - 'A')) : c; }
inline bool is_ows(char c) noexcept { return c == ' ' || c == '\t'; }

}  // namespace httpkit::detail
