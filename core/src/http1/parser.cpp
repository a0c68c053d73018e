// parse_request_head: RFC 9112 sections 2-6 with the choices of Go's readRequest.
// The head is located first (a memchr walk over line ends, resumable through
// HeadScan), then parsed once, in place: names are canonicalised inside the caller's
// buffer and header fields are views into it, so a request allocates nothing per field.
#include "http1/parser.hpp"

#include <algorithm>
#include <cstring>

#include "http/chars.hpp"
#include "http1/request_head.hpp"
#include "httpkit/status.hpp"

namespace httpkit::http1 {

namespace {

using httpkit::detail::is_token_char;

// kRequestLineSlackBytes: Go reads MaxHeaderBytes + 4096 before answering 431, so that a
// small limit still leaves room for the request line (server.go initialReadLimitSize).
constexpr std::size_t kRequestLineSlackBytes = 4096;
// kMethodProbeBytes: how much of an incomplete first line is checked for a token method,
// so that a TLS handshake or other garbage gets its 400 without waiting for a line end.
constexpr std::size_t kMethodProbeBytes = 64;

HeadResult fail(int status, std::string_view message) noexcept {
  return {ParseStatus::error, 0, status, message};
}
HeadResult bad_request(std::string_view message) noexcept { return fail(kStatusBadRequest, message); }

std::size_t skip_leading_crlf(std::span<const char> buf) noexcept {
  // RFC 9112 section 2.2: a server SHOULD ignore empty lines received before the
  // request line (some clients send a CRLF after a POST body).
  std::size_t pos = 0;
  while (pos + 1 < buf.size() && buf[pos] == '\r' && buf[pos + 1] == '\n') pos += 2;
  return pos;
}

// Where the head ends: end is one past the blank line's LF, or 0 when the head is not
// complete yet. A bare LF ends the search early: the full parse then rejects it.
struct HeadEnd {
  std::size_t end = 0;
  std::size_t resume = 0;  // start of the first line not yet known to be complete
  bool malformed = false;
};

HeadEnd find_head_end(std::span<const char> buf, std::size_t line_start) noexcept {
  const char* base = buf.data();
  while (line_start < buf.size()) {
    const void* hit = std::memchr(base + line_start, '\n', buf.size() - line_start);
    if (hit == nullptr) break;
    auto lf = static_cast<std::size_t>(static_cast<const char*>(hit) - base);
    if (lf == line_start || base[lf - 1] != '\r') return {lf + 1, lf + 1, true};
    if (lf == line_start + 1) return {lf + 1, lf + 1, false};  // the blank line: "\r\n"
    line_start = lf + 1;
  }
  return {0, line_start, false};
}

bool method_prefix_is_token(std::span<const char> buf, std::size_t start) noexcept {
  std::size_t end = std::min(buf.size(), start + kMethodProbeBytes);
  for (std::size_t i = start; i < end; ++i) {
    if (buf[i] == ' ') return i > start;
    if (buf[i] == '\r' && i == start && i + 1 == buf.size()) return true;  // a leading CRLF, half read
    if (!is_token_char(buf[i])) return false;
  }
  return true;
}

}  // namespace

HeadResult parse_request_head(std::span<char> buf, const Limits& limits, Request& req, BodyFraming& framing,
                              HeadScan* scan) {
  const std::size_t limit = limits.max_header_bytes + kRequestLineSlackBytes;
  const std::size_t start = skip_leading_crlf(buf);
  std::size_t from = start;
  if (scan != nullptr && scan->scanned > from && scan->scanned <= buf.size()) from = scan->scanned;
  HeadEnd found = find_head_end(buf, from);
  if (found.end == 0) {
    if (scan != nullptr) scan->scanned = found.resume;
    if (found.resume == start && !method_prefix_is_token(buf, start)) return bad_request("malformed request line");
    if (buf.size() >= limit) return fail(kStatusRequestHeaderFieldsTooLarge, "request header too large");
    return {};
  }
  if (found.end > limit) return fail(kStatusRequestHeaderFieldsTooLarge, "request header too large");
  if (found.malformed) return bad_request("bare LF in request head: lines must end in CRLF");
  HeadResult r = detail::parse_located_head(buf.first(found.end), start, req, framing);
  if (r.status == ParseStatus::complete) r.consumed = found.end;
  return r;
}

}  // namespace httpkit::http1
