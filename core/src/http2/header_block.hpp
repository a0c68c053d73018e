// HeaderBlock: response fields as nghttp2 name/value pairs (RFC 9113 section 8.2).
#pragma once

#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "http2/byte_buffer.hpp"
#include "httpkit/header.hpp"

namespace httpkit::detail {

// is_connection_specific names the fields HTTP/2 forbids (RFC 9113 section 8.2.2);
// a handler that sets them for HTTP/1 gets them dropped, as Go does.
bool is_connection_specific(std::string_view name) noexcept;

// HeaderBlock collects fields with lowercase names (section 8.2.1) and keeps their
// bytes until nghttp2 has copied them at submit time. clear() keeps the capacity, so
// a block owned by a reused stream allocates nothing once warm.
class HeaderBlock {
 public:
  void add_status(int code);
  void add(std::string_view name, std::string_view value);
  // add_lowercase is add for a name known to be lowercase already (computed fields).
  void add_lowercase(std::string_view name, std::string_view value);
  // add_fields adds every field of h except connection-specific ones and those skip
  // returns true for.
  template <class Skip>
  void add_fields(const Header& h, Skip skip) {
    for (const auto& f : h) {
      if (!is_connection_specific(f.name) && !skip(f.name)) add(f.name, f.value);
    }
  }
  void clear() noexcept;
  // data points the pairs into the arena; valid until the next add or clear.
  const nghttp2_nv* data() { return pairs(NGHTTP2_NV_FLAG_NONE); }
  // data_no_copy is data with the pairs flagged NO_COPY_NAME and NO_COPY_VALUE, so
  // that nghttp2 neither copies nor lowercases them at submit time (names are lowercase
  // already). Only for a block that keeps its bytes, unchanged, until nghttp2 has
  // serialized the frame or dropped it with its closed stream.
  const nghttp2_nv* data_no_copy() {
    return pairs(NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE);
  }
  std::size_t size() const noexcept { return spans_.size(); }

 private:
  char* append(std::size_t name_len, std::string_view value);
  const nghttp2_nv* pairs(std::uint8_t flags);

  struct Span {
    std::size_t name, name_len, value, value_len;  // offsets into arena_
  };
  ByteBuffer arena_;
  std::vector<Span> spans_;
  std::vector<nghttp2_nv> nv_;
};

}  // namespace httpkit::detail
