// One field line: name ":" OWS value OWS (RFC 9112 section 5, RFC 9110 section 5.5).
#include "http1/field_line.hpp"

#include "http/chars.hpp"
#include "http/swar.hpp"

namespace httpkit::http1::detail {

using httpkit::detail::is_field_value_char;
using httpkit::detail::is_ows;
using httpkit::detail::is_token_char;

namespace swar = httpkit::detail::swar;

namespace {

// byte_error names the class of an invalid field-value byte.
std::string_view byte_error(char c) noexcept {
  if (c == '\r') return "bare CR in header field";
  if (c == '\0') return "NUL in header field value";
  return "invalid byte in header field value";
}

// value_error names the first invalid byte class in a field value, or "". A value
// with no control byte (below SP, or DEL) is valid as a whole; HTAB is the one control
// byte a value may hold, so a value with one is looked at byte by byte.
std::string_view value_error(std::string_view v) noexcept {
  if (!swar::any_below_or_del(v, 0x20)) return {};
  for (char c : v) {
    if (!is_field_value_char(c)) return byte_error(c);
  }
  return {};
}

}  // namespace

std::string_view parse_field_line(std::string_view line, FieldLine& out) noexcept {
  // A line starting with whitespace continues the previous one (obs-fold); RFC 9112
  // section 5.2 lets a server reject it with 400, which closes a smuggling path.
  if (!line.empty() && is_ows(line[0])) return "obs-fold is not allowed";
  std::size_t n = 0;
  while (n < line.size() && is_token_char(line[n])) ++n;
  if (n == line.size()) return "malformed header line: missing colon";
  if (line[n] != ':') {
    // Section 5.1: no whitespace is allowed between the field name and the colon;
    // a server MUST reject such a message with 400 (proxies disagree on its name).
    if (is_ows(line[n])) return "whitespace before colon in header field";
    return "invalid byte in header field name";
  }
  if (n == 0) return "empty header field name";
  std::string_view value = line.substr(n + 1);
  while (!value.empty() && is_ows(value.front())) value.remove_prefix(1);
  while (!value.empty() && is_ows(value.back())) value.remove_suffix(1);
  if (auto err = value_error(value); !err.empty()) return err;
  out.name = line.substr(0, n);
  out.value = value;
  return {};
}

}  // namespace httpkit::http1::detail
