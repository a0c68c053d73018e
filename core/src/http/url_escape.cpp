// Percent-encoding as Go's net/url (RFC 3986 sections 2.1-2.4 with Go's choices).
#include "http/url_escape.hpp"

#include <array>

#include "httpkit/error.hpp"
#include "httpkit/url.hpp"

namespace httpkit::detail {

namespace {

constexpr char kUpperHex[] = "0123456789ABCDEF";

bool is_hex(char c) noexcept { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

unsigned char unhex(char c) noexcept {
  if (c >= '0' && c <= '9') return static_cast<unsigned char>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<unsigned char>(c - 'a' + 10);
  return static_cast<unsigned char>(c - 'A' + 10);
}

bool is_alnum(unsigned char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// Reserved characters (RFC 3986 section 2.2) as each component treats them.
bool should_escape_reserved(unsigned char c, Encoding mode) noexcept {
  switch (mode) {
    case Encoding::path: return c == '?';
    case Encoding::path_segment: return c == '/' || c == ';' || c == ',' || c == '?';
    case Encoding::user_password: return c == '@' || c == '/' || c == '?' || c == ':';
    case Encoding::query_component: return true;
    case Encoding::fragment: return false;
    default: return true;  // host and zone: Go falls through to "escape everything else"
  }
}

// validate_escapes checks s the way Go's unescape does before decoding: every '%' is
// followed by two hex digits, and hosts and zones hold only what Go allows in them.
std::error_code validate_escapes(std::string_view s, Encoding mode, bool& changed) noexcept {
  const auto bad = make_error_code(errc::bad_request);
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return bad;
      std::string_view esc = s.substr(i, 3);
      if (mode == Encoding::host && unhex(s[i + 1]) < 8 && esc != "%25") return bad;
      if (mode == Encoding::zone) {
        auto v = static_cast<unsigned char>(unhex(s[i + 1]) << 4 | unhex(s[i + 2]));
        if (esc != "%25" && v != ' ' && should_escape(v, Encoding::host)) return bad;
      }
      changed = true;
      i += 3;
      continue;
    }
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '+') changed = changed || mode == Encoding::query_component;
    if ((mode == Encoding::host || mode == Encoding::zone) && c < 0x80 && should_escape(c, mode)) return bad;
    ++i;
  }
  return {};
}

}  // namespace

bool should_escape(unsigned char c, Encoding mode) noexcept {
  if (is_alnum(c)) return false;
  if (mode == Encoding::host || mode == Encoding::zone) {
    switch (c) {
      case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case '+': case ',':
      case ';': case '=': case ':': case '[': case ']': case '<': case '>': case '"':
        return false;
      default: break;
    }
  }
  switch (c) {
    case '-': case '_': case '.': case '~': return false;  // unreserved (section 2.3)
    case '$': case '&': case '+': case ',': case '/': case ':': case ';': case '=': case '?': case '@':
      return should_escape_reserved(c, mode);
    default: break;
  }
  if (mode == Encoding::fragment && (c == '!' || c == '(' || c == ')' || c == '*')) return false;
  return true;
}

void escape_append(std::string_view s, Encoding mode, std::string& out) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == ' ' && mode == Encoding::query_component) {
      out.push_back('+');
    } else if (should_escape(c, mode)) {
      out.push_back('%');
      out.push_back(kUpperHex[c >> 4]);
      out.push_back(kUpperHex[c & 15]);
    } else {
      out.push_back(ch);
    }
  }
}

bool escapes_to(std::string_view s, Encoding mode, std::string_view escaped) noexcept {
  std::size_t j = 0;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == ' ' && mode == Encoding::query_component) {
      if (j >= escaped.size() || escaped[j] != '+') return false;
      ++j;
    } else if (should_escape(c, mode)) {
      if (j + 3 > escaped.size() || escaped[j] != '%' || escaped[j + 1] != kUpperHex[c >> 4] ||
          escaped[j + 2] != kUpperHex[c & 15]) {
        return false;
      }
      j += 3;
    } else {
      if (j >= escaped.size() || escaped[j] != ch) return false;
      ++j;
    }
  }
  return j == escaped.size();
}

std::error_code unescape_into(std::string_view s, Encoding mode, std::string& out) {
  bool changed = false;
  if (auto ec = validate_escapes(s, mode, changed)) return ec;
  if (!changed) {
    out.assign(s);
    return {};
  }
  out.clear();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      out.push_back(static_cast<char>(unhex(s[i + 1]) << 4 | unhex(s[i + 2])));
      i += 2;
    } else if (s[i] == '+' && mode == Encoding::query_component) {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return {};
}

bool valid_encoded(std::string_view s, Encoding mode) noexcept {
  for (char ch : s) {
    switch (ch) {
      case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case '+': case ',':
      case ';': case '=': case ':': case '@': case '[': case ']': case '%':
        continue;
      default:
        if (should_escape(static_cast<unsigned char>(ch), mode)) return false;
    }
  }
  return true;
}

}  // namespace httpkit::detail

namespace httpkit {

namespace {

// kPlainPathByte[c]: c is neither '%' nor escaped in a path by should_escape: the
// unreserved bytes and the reserved ones a path keeps. Written out so it is ready
// before any static initialiser runs; url_test checks it against should_escape.
constexpr std::array<bool, 256> kPlainPathByte = [] {
  std::array<bool, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (char c : std::string_view("-_.~$&+,/:;=@")) t[static_cast<unsigned char>(c)] = true;
  return t;
}();

}  // namespace

bool is_plain_path(std::string_view p) noexcept {
  bool plain = true;  // no early exit: paths are short and nearly always plain
  for (char c : p) plain &= kPlainPathByte[static_cast<unsigned char>(c)];
  return plain;
}

namespace {
detail::Encoding to_encoding(EscapeMode mode) noexcept {
  switch (mode) {
    case EscapeMode::path: return detail::Encoding::path;
    case EscapeMode::path_segment: return detail::Encoding::path_segment;
    case EscapeMode::query_component: return detail::Encoding::query_component;
    case EscapeMode::host: return detail::Encoding::host;
  }
  return detail::Encoding::path_segment;
}
}  // namespace

std::string escape(std::string_view s, EscapeMode mode) {
  std::string out;
  out.reserve(s.size());
  detail::escape_append(s, to_encoding(mode), out);
  return out;
}

Result<std::string> unescape(std::string_view s, EscapeMode mode) {
  std::string out;
  if (auto ec = detail::unescape_into(s, to_encoding(mode), out)) return ec;
  return out;
}

}  // namespace httpkit
