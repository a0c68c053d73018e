#include "sanitize.hpp"

namespace httpkit::mux_detail {
namespace {

// clean_rooted is Go's path.Clean for a path starting with '/'.
std::string clean_rooted(std::string_view p) {
  std::string out = "/";
  const std::size_t dotdot = 1;  // out never backtracks over the root
  std::size_t r = 1;
  const std::size_t n = p.size();
  while (r < n) {
    if (p[r] == '/') {
      ++r;  // empty element
    } else if (p[r] == '.' && (r + 1 == n || p[r + 1] == '/')) {
      ++r;  // "." element
    } else if (p[r] == '.' && p[r + 1] == '.' && (r + 2 == n || p[r + 2] == '/')) {
      r += 2;  // ".." element: remove the last element written
      if (out.size() > dotdot) {
        out.pop_back();
        while (out.size() > dotdot && out.back() != '/') out.pop_back();
        if (out.size() > dotdot) out.pop_back();  // the slash before it
      }
    } else {
      if (out.size() != 1) out += '/';
      while (r < n && p[r] != '/') out += p[r++];
    }
  }
  return out;
}

}  // namespace

std::string clean_path(std::string_view p) {
  if (p.empty()) return "/";
  std::string rooted;
  if (p[0] != '/') {
    rooted = "/";
    rooted += p;
    p = rooted;
  }
  std::string np = clean_rooted(p);
  // path.Clean drops a trailing slash except for the root; put it back.
  if (p.back() == '/' && np != "/") np += '/';
  return np;
}

bool is_clean(std::string_view p) noexcept {
  if (p.empty() || p[0] != '/') return false;
  std::size_t start = 1;
  while (start < p.size()) {
    std::size_t slash = p.find('/', start);
    std::string_view elem = p.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (elem.empty() || elem == "." || elem == "..") return false;  // "//", "/./", "/../"
    if (slash == std::string_view::npos) return true;
    start = slash + 1;  // a trailing slash ends the loop here
  }
  return true;
}

std::string_view strip_host_port(std::string_view h) noexcept {
  if (h.find(':') == std::string_view::npos) return h;
  // net.SplitHostPort: the port follows the last colon; a bracketed host must end
  // right before it; brackets may appear nowhere else. On error h is unchanged.
  constexpr auto npos = std::string_view::npos;
  std::size_t colon = h.rfind(':');
  std::string_view host;
  std::size_t j = 0, k = 0;
  if (h[0] == '[') {
    std::size_t end = h.find(']');
    if (end == npos || end + 1 != colon) return h;
    host = h.substr(1, end - 1);
    j = 1;
    k = end + 1;
  } else {
    host = h.substr(0, colon);
    if (host.find(':') != npos) return h;  // too many colons
  }
  if (h.substr(j).find('[') != npos || h.substr(k).find(']') != npos) return h;
  return host;
}

}  // namespace httpkit::mux_detail
