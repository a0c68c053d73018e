// Response serialization (RFC 9112 sections 4, 5 and 7.1), byte-for-byte as Go writes.
#include "http1/serializer.hpp"

#include <charconv>
#include <cstdint>
#include <string>

#include "httpkit/status.hpp"

namespace httpkit::http1 {

namespace {

void write_status_line(std::string& out, std::string_view proto, int status) {
  char digits[16];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, status);
  (void)ec;  // an int always fits in 16 chars
  std::string_view code(digits, static_cast<std::size_t>(end - digits));
  out.append(proto).push_back(' ');
  out.append(code).push_back(' ');
  // Go's writeStatusLine: an unregistered code reads "status code NNN", so the line
  // always has a reason phrase (RFC 9112 section 4 allows it to be empty, Go does not).
  std::string_view text = status_text(status);
  if (text.empty()) {
    out.append("status code ").append(code);
  } else {
    out.append(text);
  }
  out.append("\r\n");
}

// StatusLines holds "HTTP/1.1 NNN Text\r\n" for the codes HTTP defines classes for
// (1xx-5xx), written once: every response of the server starts with one (Go caches
// them too, in statusLines).
struct StatusLines {
  static constexpr int kFirst = 100, kLast = 599;
  std::string lines[kLast - kFirst + 1];
  StatusLines() {
    for (int code = kFirst; code <= kLast; ++code) write_status_line(lines[code - kFirst], "HTTP/1.1", code);
  }
};

}  // namespace

void append_status_line(ByteBuffer& out, std::string_view proto, int status) {
  if (proto == "HTTP/1.1" && status >= StatusLines::kFirst && status <= StatusLines::kLast) {
    static const StatusLines cache;
    out.append(cache.lines[status - StatusLines::kFirst]);
    return;
  }
  std::string line;
  write_status_line(line, proto, status);
  out.append(line);
}

void append_chunk_size(ByteBuffer& out, std::size_t n) {
  constexpr std::size_t kMaxLine = 2 * sizeof(std::size_t) + 2;
  const std::size_t at = out.size();
  char* p = out.extend(kMaxLine);
  auto [end, ec] = std::to_chars(p, p + kMaxLine - 2, n, 16);  // lower case, as Go's %x
  (void)ec;  // a size_t always fits
  end[0] = '\r';
  end[1] = '\n';
  out.truncate(at + static_cast<std::size_t>(end + 2 - p));
}

void append_last_chunk(ByteBuffer& out, const Header& trailers) {
  out.append("0\r\n");
  append_header_fields(out, trailers, [](std::string_view) { return false; });
  out.append("\r\n");
}

}  // namespace httpkit::http1
