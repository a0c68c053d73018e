#include "text.hpp"

namespace httpkit::mux_detail {
namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::size_t unescape_to(std::string_view in, char* out) noexcept {
  std::size_t n = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out[n++] = in[i];
      continue;
    }
    if (i + 2 >= in.size()) return kBadEscape;  // "%" needs two hex digits
    int hi = hex_value(in[i + 1]);
    int lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) return kBadEscape;
    out[n++] = static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return n;
}

std::string path_unescape(std::string_view in) {
  if (in.find('%') == std::string_view::npos) return std::string(in);
  std::string out(in.size(), '\0');
  std::size_t n = unescape_to(in, out.data());
  if (n == kBadEscape) return std::string(in);
  out.resize(n);
  return out;
}

std::string go_quote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (u < 0x20 || u == 0x7f) {
          out += "\\x";
          out += kHex[u >> 4];
          out += kHex[u & 15];
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

}  // namespace httpkit::mux_detail
