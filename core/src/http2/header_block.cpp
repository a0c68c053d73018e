#include "http2/header_block.hpp"

#include <charconv>

namespace httpkit::detail {

bool is_connection_specific(std::string_view name) noexcept {
  for (std::string_view f : {"Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade"}) {
    if (equal_fold(name, f)) return true;
  }
  return false;
}

void HeaderBlock::add_status(int code) {
  char digits[4];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, code);
  add(":status", std::string_view(digits, static_cast<std::size_t>(end - digits)));
}

void HeaderBlock::add(std::string_view name, std::string_view value) {
  if (spans_.empty()) {
    arena_.reserve(512);
    spans_.reserve(12);
  }
  const std::size_t at = arena_.size();
  for (char c : name) arena_.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c));
  arena_.append(value);
  spans_.push_back({at, name.size(), at + name.size(), value.size()});
}

const nghttp2_nv* HeaderBlock::data() {
  auto* base = reinterpret_cast<std::uint8_t*>(arena_.data());
  nv_.clear();
  nv_.reserve(spans_.size());
  for (const Span& s : spans_) {
    nv_.push_back({base + s.name, base + s.value, s.name_len, s.value_len, NGHTTP2_NV_FLAG_NONE});
  }
  return nv_.data();
}

}  // namespace httpkit::detail
