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

// HeaderBlock collects fields with lowercase names (section 8.2.1) as the
// nghttp2_nv pairs nghttp2_submit_* take, their bytes in an arena of its own.
// clear() keeps the capacity, so a block owned by a reused stream allocates nothing
// once warm.
class HeaderBlock {
 public:
  // Lifetime says how long the block's bytes stay as they are after submission.
  // copied: not past the submit call, so nghttp2 copies the pairs. kept: until
  // nghttp2 has serialized the frame or dropped it with its closed stream, so the
  // pairs are flagged NO_COPY_NAME and NO_COPY_VALUE and nghttp2 neither copies nor
  // lowercases them (nghttp2_nv_flag; the names are lowercase already).
  enum class Lifetime { copied, kept };

  explicit HeaderBlock(Lifetime lifetime = Lifetime::copied) noexcept
      : flags_(lifetime == Lifetime::kept ? NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE
                                          : NGHTTP2_NV_FLAG_NONE) {}

  void add_status(int code);
  // add copies name, lowercased, and value.
  void add(std::string_view name, std::string_view value);
  // add_computed is add for the fields the server computes: name is a lowercase
  // literal (static storage), which the pair points at instead of a copy.
  void add_computed(std::string_view name, std::string_view value);
  // add_fields adds every field of h except connection-specific ones and those skip
  // returns true for.
  template <class Skip>
  void add_fields(const Header& h, Skip skip) {
    for (const auto& f : h) {
      if (!is_connection_specific(f.name) && !skip(f.name)) add(f.name, f.value);
    }
  }
  void clear() noexcept;
  // data: the pairs; valid until the next add or clear.
  const nghttp2_nv* data() const noexcept { return nv_.data(); }
  std::size_t size() const noexcept { return count_; }

 private:
  // take returns n bytes at the end of the arena.
  char* take(std::size_t n) {
    if (n > arena_.room()) make_room(n);
    return arena_.extend(n);
  }
  void make_room(std::size_t n);
  void push(const char* name, std::size_t name_len, const char* value, std::size_t value_len) {
    if (count_ == nv_.size()) add_pairs();
    nv_[count_++] = {bytes(name), bytes(value), name_len, value_len, flags_};
  }
  void add_pairs();
  static std::uint8_t* bytes(const char* p) noexcept { return reinterpret_cast<std::uint8_t*>(const_cast<char*>(p)); }

  ByteBuffer arena_;
  // The pairs: the first count_ of nv_ (whose size only grows, so that adding a pair
  // is a store), names and values in arena_, or names in static storage.
  std::vector<nghttp2_nv> nv_;
  std::size_t count_ = 0;
  std::uint8_t flags_;
};

}  // namespace httpkit::detail
