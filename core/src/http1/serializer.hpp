// Sans-I/O HTTP/1.1 response serialization (RFC 9112): appends bytes to a ByteBuffer.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "http/byte_buffer.hpp"
#include "http/swar.hpp"
#include "httpkit/header.hpp"

namespace httpkit::http1 {

using httpkit::detail::ByteBuffer;

// append_status_line appends "HTTP/1.1 200 OK\r\n" (the protocol text given; a status
// without a known reason phrase gets "status code NNN" as Go writes it).
void append_status_line(ByteBuffer& out, std::string_view proto, int status);

namespace detail {

// kWordSlack: append_header_field checks the copied value a word at a time, so up to
// seven bytes past it (its CRLF, then capacity) are read.
inline constexpr std::size_t kWordSlack = 8;

// has_cr_or_lf checks the n bytes at p a whole word at a time: the bytes past them up
// to the word's end are readable (kWordSlack) and masked off. Values are rarely longer
// than a few words and almost never hold either byte.
inline bool has_cr_or_lf(const char* p, std::size_t n) noexcept {
  namespace swar = httpkit::detail::swar;
  static_assert(std::endian::native == std::endian::little, "the mask below keeps a word's first bytes");
  bool found = false;
  for (std::size_t i = 0; i < n; i += 8) {
    std::uint64_t w = swar::load8(p + i);
    if (n - i < 8) w &= (std::uint64_t{1} << (8 * (n - i))) - 1;  // little-endian: the first bytes are low
    found |= swar::has_byte(w, '\r') || swar::has_byte(w, '\n');
  }
  return found;
}

// put copies s to p (an empty view's data() may be null, which memcpy must not get).
inline char* put(char* p, std::string_view s) noexcept {
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

}  // namespace detail

// append_header_line appends "Name: value\r\n" for a value the server made (known to be
// free of CR and LF), into room taken once: no capacity check per piece.
inline void append_header_line(ByteBuffer& out, std::string_view name, std::string_view value) {
  char* p = detail::put(out.extend(name.size() + value.size() + 4), name);
  *p++ = ':';
  *p++ = ' ';
  p = detail::put(p, value);
  *p++ = '\r';
  *p = '\n';
}

// append_header_field appends a line for a handler's value: CR and LF become spaces, as
// Go's headerNewlineToSpace, so a handler cannot inject fields.
inline void append_header_field(ByteBuffer& out, std::string_view name, std::string_view value) {
  out.reserve(out.size() + name.size() + value.size() + 4 + detail::kWordSlack);
  const std::size_t at = out.size() + name.size() + 2;
  append_header_line(out, name, value);
  char* copy = out.data() + at;
  if (detail::has_cr_or_lf(copy, value.size())) {
    for (char* p = copy, *end = p + value.size(); p != end; ++p) {
      if (*p == '\r' || *p == '\n') *p = ' ';
    }
  }
}

// append_header_fields appends a field line for every field of h except those for
// which skip(name) is true.
template <class Skip>
void append_header_fields(ByteBuffer& out, const Header& h, Skip skip) {
  for (const auto& f : h) {
    if (!skip(f.name)) append_header_field(out, f.name, f.value);
  }
}

// append_chunk_size appends "<hex>\r\n".
void append_chunk_size(ByteBuffer& out, std::size_t n);
// append_last_chunk appends "0\r\n", the trailer fields, and the final "\r\n".
void append_last_chunk(ByteBuffer& out, const Header& trailers);

}  // namespace httpkit::http1
