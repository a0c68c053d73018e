// Sans-I/O HTTP/1.1 response serialization (RFC 9112): appends bytes to a buffer.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "http/swar.hpp"
#include "httpkit/header.hpp"

namespace httpkit::http1 {

// HeadWriter appends the lines of a message head to out. It grows out once for a
// batch of lines and then copies through a plain pointer: for head pieces of a few
// dozen bytes, std::string::append's capacity check and call per piece cost more than
// the copies (four appends per field line was a tenth of a plaintext request's
// instructions). The destructor trims out to the bytes written.
class HeadWriter {
 public:
  // expected: the bytes the caller thinks it will write; more only costs a regrowth.
  HeadWriter(std::string& out, std::size_t expected) : out_(out), used_(out.size()) { grow(expected); }
  ~HeadWriter() { out_.resize(used_); }
  HeadWriter(const HeadWriter&) = delete;
  HeadWriter& operator=(const HeadWriter&) = delete;

  // status_line writes "HTTP/1.1 200 OK\r\n" (the protocol text given; a status without
  // a known reason phrase gets "status code NNN" as Go writes it).
  void status_line(std::string_view proto, int status);

  // line writes "Name: value\r\n" for a value the server made (known to be CR/LF free).
  void line(std::string_view name, std::string_view value) {
    reserve(name.size() + value.size() + 4);
    put(name);
    put(": ");
    put(value);
    put("\r\n");
  }

  // field writes a line for a handler's value: CR and LF become spaces, as Go's
  // headerNewlineToSpace, so a handler cannot inject fields.
  void field(std::string_view name, std::string_view value) {
    reserve(name.size() + value.size() + 4 + kWordSlack);
    const std::size_t at = used_ + name.size() + 2;
    line(name, value);
    char* copy = out_.data() + at;
    if (has_cr_or_lf(copy, value.size())) {
      for (char* p = copy, *end = p + value.size(); p != end; ++p) {
        if (*p == '\r' || *p == '\n') *p = ' ';
      }
    }
  }

  // fields writes a field line for every field of h except those for which skip(name).
  template <class Skip>
  void fields(const Header& h, Skip skip) {
    for (const auto& f : h) {
      if (!skip(f.name)) field(f.name, f.value);
    }
  }

  void raw(std::string_view s) {
    reserve(s.size());
    put(s);
  }

 private:
  // kWordSlack: field() checks the copied value a word at a time, so up to seven bytes
  // past it (its CRLF, then room) must be in out_.
  static constexpr std::size_t kWordSlack = 8;

  // has_cr_or_lf checks the n bytes at p, a whole word at a time: the bytes past them up
  // to the word's end are readable (kWordSlack) and masked off. Values are rarely longer
  // than a few words and almost never hold either byte.
  static bool has_cr_or_lf(const char* p, std::size_t n) noexcept {
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

  void reserve(std::size_t n) {
    if (out_.size() - used_ < n) grow(n);
  }
  void grow(std::size_t n);
  void put(std::string_view s) noexcept {
    if (s.empty()) return;  // an empty value's data() may be null, which memcpy must not get
    std::memcpy(out_.data() + used_, s.data(), s.size());
    used_ += s.size();
  }

  std::string& out_;
  std::size_t used_;  // out_[0, used_) is written; the rest is room
};

// append_chunk_size appends "<hex>\r\n".
void append_chunk_size(std::string& out, std::size_t n);
// append_last_chunk appends "0\r\n", the trailer fields, and the final "\r\n".
void append_last_chunk(std::string& out, const Header& trailers);

}  // namespace httpkit::http1
