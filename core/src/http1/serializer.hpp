// Sans-I/O HTTP/1.1 response serialization (RFC 9112): appends bytes to a buffer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "httpkit/header.hpp"

namespace httpkit::http1 {

// append_status_line appends "HTTP/1.1 200 OK\r\n" (the protocol text given; a status
// without a known reason phrase gets "status code NNN" as Go writes it).
void append_status_line(std::string& out, std::string_view proto, int status);

// append_header_fields appends "Name: value\r\n" for every field of h except those
// for which skip(name) is true. Values have CR/LF replaced by spaces, as Go's
// headerNewlineToSpace, so a handler cannot inject fields.
template <class Skip>
void append_header_fields(std::string& out, const Header& h, Skip skip);
void append_header_fields(std::string& out, const Header& h);

// append_chunk_size appends "<hex>\r\n".
void append_chunk_size(std::string& out, std::size_t n);
// append_last_chunk appends "0\r\n", the trailer fields, and the final "\r\n".
void append_last_chunk(std::string& out, const Header& trailers);

// has_cr_or_lf reports whether s holds a CR or LF byte, eight bytes at a time
// (values are rarely shorter, and almost never hold either).
bool has_cr_or_lf(std::string_view s) noexcept;

inline void append_header_line(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

template <class Skip>
void append_header_fields(std::string& out, const Header& h, Skip skip) {
  for (const auto& f : h) {
    if (skip(f.name)) continue;
    out.append(f.name).append(": ");
    const std::size_t at = out.size();
    out.append(f.value);
    if (has_cr_or_lf(f.value)) {
      for (char* p = out.data() + at, *end = out.data() + out.size(); p != end; ++p) {
        if (*p == '\r' || *p == '\n') *p = ' ';
      }
    }
    out.append("\r\n");
  }
}

}  // namespace httpkit::http1
