// ChunkedDecoder: the chunked transfer coding (RFC 9112 section 7.1), strict about
// sizes, line ends and extension syntax, because a lenient decoder behind a proxy that
// reads the same bytes differently is how requests get smuggled.
#include <cstdint>
#include <cstring>

#include "http/chars.hpp"
#include "http1/field_line.hpp"
#include "http1/parser.hpp"

namespace httpkit::http1 {

namespace {

using httpkit::detail::is_ows;
using httpkit::detail::is_token_char;

// kMaxChunkLineBytes bounds a chunk-size line with its extensions (Go's maxLineLength
// in net/http/internal/chunked.go), so a peer cannot make us buffer without limit.
constexpr std::size_t kMaxChunkLineBytes = 4096;

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void skip_bws(std::string_view& s) noexcept {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
}

bool take_token(std::string_view& s) noexcept {
  std::size_t n = 0;
  while (n < s.size() && is_token_char(s[n])) ++n;
  s.remove_prefix(n);
  return n > 0;
}

// take_quoted_string: DQUOTE *( qdtext / quoted-pair ) DQUOTE (RFC 9110 section 5.6.4).
bool take_quoted_string(std::string_view& s) noexcept {
  if (s.empty() || s[0] != '"') return false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') {
      s.remove_prefix(i + 1);
      return true;
    }
    if (c == '\\') {
      if (++i == s.size() || !httpkit::detail::is_field_value_char(s[i])) return false;
    } else if (!httpkit::detail::is_field_value_char(c)) {
      return false;
    }
  }
  return false;
}

// valid_extensions: *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] ).
bool valid_extensions(std::string_view s) noexcept {
  while (true) {
    skip_bws(s);
    if (s.empty()) return true;
    if (s[0] != ';') return false;
    s.remove_prefix(1);
    skip_bws(s);
    if (!take_token(s)) return false;
    skip_bws(s);
    if (s.empty() || s[0] != '=') continue;
    s.remove_prefix(1);
    skip_bws(s);
    if (!take_token(s) && !take_quoted_string(s)) return false;
  }
}

// parse_chunk_size reads 1*HEXDIG [chunk-ext]; returns "" or the error.
std::string_view parse_chunk_size(std::string_view line, std::uint64_t& size) noexcept {
  std::size_t i = 0;
  std::uint64_t v = 0;
  for (; i < line.size() && hex_value(line[i]) >= 0; ++i) {
    if (v > (static_cast<std::uint64_t>(INT64_MAX) >> 4)) return "chunk size too large";
    v = v << 4 | static_cast<std::uint64_t>(hex_value(line[i]));
  }
  if (i == 0) return "invalid chunk size";
  if (!valid_extensions(line.substr(i))) return "invalid chunk extension";
  size = v;
  return {};
}

ChunkedDecoder::Step fail(std::string_view why) noexcept { return {ChunkedDecoder::Status::error, 0, {}, why}; }

// find_line returns the line at in[pos..] without its CRLF, or sets missing when no LF
// has arrived yet; a LF without CR before it is an error ("" with error set).
std::string_view find_line(std::string_view in, std::size_t pos, bool& missing, bool& bare_lf) noexcept {
  missing = bare_lf = false;
  const void* hit = std::memchr(in.data() + pos, '\n', in.size() - pos);
  if (hit == nullptr) {
    missing = true;
    return {};
  }
  auto lf = static_cast<std::size_t>(static_cast<const char*>(hit) - in.data());
  if (lf == pos || in[lf - 1] != '\r') {
    bare_lf = true;
    return {};
  }
  return in.substr(pos, lf - 1 - pos);
}

}  // namespace

ChunkedDecoder::Step ChunkedDecoder::feed(std::string_view in, Header& trailer, std::size_t max_trailer_bytes) {
  std::size_t pos = 0;
  bool missing = false;
  bool bare_lf = false;
  while (true) {
    switch (state_) {
      case State::size: {
        std::string_view line = find_line(in, pos, missing, bare_lf);
        if (missing) {
          if (in.size() - pos > kMaxChunkLineBytes) return fail("chunk line too long");
          return {Status::need_more, pos, {}, {}};
        }
        if (bare_lf) return fail("chunk line must end in CRLF");
        if (line.size() > kMaxChunkLineBytes) return fail("chunk line too long");
        if (auto err = parse_chunk_size(line, remaining_); !err.empty()) return fail(err);
        pos += line.size() + 2;
        state_ = remaining_ == 0 ? State::trailer : State::data;
        break;
      }
      case State::data: {
        if (pos == in.size()) return {Status::need_more, pos, {}, {}};
        std::size_t n = in.size() - pos;
        if (remaining_ < n) n = static_cast<std::size_t>(remaining_);
        std::string_view data = in.substr(pos, n);
        remaining_ -= n;
        if (remaining_ == 0) state_ = State::data_crlf;
        return {Status::data, pos + n, data, {}};
      }
      case State::data_crlf: {
        if (in.size() - pos >= 1 && in[pos] != '\r') return fail("missing CRLF after chunk data");
        if (in.size() - pos < 2) return {Status::need_more, pos, {}, {}};
        if (in[pos + 1] != '\n') return fail("missing CRLF after chunk data");
        pos += 2;
        state_ = State::size;
        break;
      }
      case State::trailer: {
        std::string_view line = find_line(in, pos, missing, bare_lf);
        if (missing) {
          if (trailer_bytes_ + (in.size() - pos) > max_trailer_bytes) return fail("trailer too large");
          return {Status::need_more, pos, {}, {}};
        }
        if (bare_lf) return fail("trailer line must end in CRLF");
        trailer_bytes_ += line.size() + 2;
        if (trailer_bytes_ > max_trailer_bytes) return fail("trailer too large");
        pos += line.size() + 2;
        if (line.empty()) {
          state_ = State::done;
          return {Status::done, pos, {}, {}};
        }
        detail::FieldLine fl;
        if (auto err = detail::parse_field_line(line, fl); !err.empty()) return fail(err);
        trailer.add(fl.name, fl.value);  // add() canonicalises the key
        break;
      }
      case State::done:
        return {Status::done, pos, {}, {}};
    }
  }
}

}  // namespace httpkit::http1
