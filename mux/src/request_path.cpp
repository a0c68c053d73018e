#include "request_path.hpp"

#include <algorithm>
#include <cstring>

#include "text.hpp"

namespace httpkit::mux_detail {

RequestPath::RequestPath(std::string_view escaped_path) : path_(escaped_path) {
  has_percent_ = path_.find('%') != std::string_view::npos;
  clean_ = !path_.empty() && path_[0] == '/';
  // As Go's firstSegment: a lone "/" is the trailing-slash segment; otherwise drop
  // the leading slash and take everything up to the next one, unescaped.
  const std::size_t n = path_.size();
  std::size_t pos = 0;
  while (pos < n) {
    slashes_ += path_[pos] == '/';
    if (pos + 1 == n && path_[pos] == '/') {
      push("/", pos + 1);
      break;
    }
    std::size_t start = pos + 1, end = start;
    while (end < n && path_[end] != '/') ++end;
    std::string_view raw = path_.substr(start, end - start);
    if (raw.empty() || raw == "." || raw == "..") clean_ = false;
    push(unescape(raw), start);
    pos = end;
  }
}

void RequestPath::spill(std::string_view value, std::size_t rest) {
  spill_.push_back({value, rest});
  ++count_;
}

std::string_view RequestPath::rest_value(std::size_t i) {
  std::size_t from = i < count_ ? (*this)[i].rest : path_.size();
  return unescape(path_.substr(std::min(from, path_.size())));
}

std::string_view RequestPath::unescape_slow(std::string_view raw) {
  if (raw.find('%') == std::string_view::npos) return raw;
  char* out = allocate(raw.size());
  std::size_t n = unescape_to(raw, out);
  if (n == kBadEscape) return raw;
  return {out, n};
}

char* RequestPath::allocate(std::size_t n) {
  if (bytes_used_ + n <= bytes_.size()) {
    char* p = bytes_.data() + bytes_used_;
    bytes_used_ += n;
    return p;
  }
  heap_bytes_.push_back(std::make_unique<char[]>(std::max<std::size_t>(n, 1)));
  return heap_bytes_.back().get();
}

}  // namespace httpkit::mux_detail
