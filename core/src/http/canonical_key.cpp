// Header key canonicalisation exactly as Go's textproto.CanonicalMIMEHeaderKey, plus
// the ASCII case-folding helpers that header look-ups use.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "http/chars.hpp"
#include "http/swar.hpp"
#include "httpkit/header.hpp"

namespace httpkit {

bool canonicalize_header_key_in_place(char* key, std::size_t len) noexcept {
  if (len == 0) return false;
  for (std::size_t i = 0; i < len; ++i) {
    if (!detail::is_token_char(key[i])) return false;
  }
  // First letter and every letter after '-' upper case, the rest lower case.
  bool upper = true;
  for (std::size_t i = 0; i < len; ++i) {
    char c = upper ? detail::ascii_upper(key[i]) : detail::ascii_lower(key[i]);
    key[i] = c;
    upper = c == '-';
  }
  return true;
}

std::string canonical_header_key(std::string_view key) {
  std::string out(key);
  // A key holding a non-token byte (a space, a colon...) is returned unchanged, as Go
  // does: it cannot come from a valid message, and changing it would hide that.
  canonicalize_header_key_in_place(out.data(), out.size());
  return out;
}

namespace swar = detail::swar;

bool detail::equal_fold_same_size(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  const char* x = a.data();
  const char* y = b.data();
  // Names are nearly always spelled alike (both canonical): compare whole words, the
  // last one overlapping the others, and fold case byte by byte only if they differ.
  if (n >= 8) {
    bool same = swar::load8(x + n - 8) == swar::load8(y + n - 8);
    for (std::size_t i = 0; same && i + 8 < n; i += 8) same = swar::load8(x + i) == swar::load8(y + i);
    if (same) return true;
  } else if (n >= 4) {
    if (swar::load4(x) == swar::load4(y) && swar::load4(x + n - 4) == swar::load4(y + n - 4)) return true;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (x[i] != y[i] && detail::ascii_lower(x[i]) != detail::ascii_lower(y[i])) return false;
  }
  return true;
}

namespace {

std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && detail::is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && detail::is_ows(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

// Go's httpguts.headerValueContainsToken: "Connection: keep-alive, Upgrade" holds
// both tokens; elements are compared case-insensitively after trimming OWS.
bool header_values_contain_token(std::string_view list, std::string_view token) noexcept {
  while (true) {
    std::size_t comma = list.find(',');
    if (equal_fold(trim_ows(list.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) return false;
    list.remove_prefix(comma + 1);
  }
}

}  // namespace httpkit
