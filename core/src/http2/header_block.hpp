// HeaderBlock: response fields as nghttp2 name/value pairs (RFC 9113 section 8.2).
#pragma once

#include <nghttp2/nghttp2.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "http/swar.hpp"
#include "http/byte_buffer.hpp"
#include "httpkit/header.hpp"

namespace httpkit::detail {

// is_connection_specific names the fields HTTP/2 forbids (RFC 9113 section 8.2.2);
// a handler that sets them for HTTP/1 gets them dropped, as Go does.
bool is_connection_specific(std::string_view name) noexcept;

// HeaderBlock collects fields with lowercase names (section 8.2.1) as name/value
// pairs, their bytes in an arena of its own, for our HPACK encoder (head_out.cpp;
// nghttp2 gets empty lists, decision 0056). clear() keeps the capacity, so a block
// owned by a reused stream allocates nothing once warm.
class HeaderBlock {
 public:
  // add_status adds ":status"; every valid code points into kStatusDigits.
  void add_status(int code) {
    if (code >= 100 && code <= 999) {
      push(":status", 7, kStatusDigits.data() + (code - 100) * 3, 3);
    } else {
      add_odd_status(code);
    }
  }
  // add copies name, lowercased, and value. Always inline: a call's register saves
  // cost as much as the copies of a short field.
  [[gnu::always_inline]] void add(std::string_view name, std::string_view value) {
    char* at = take(name.size() + value.size());
    copy_lowercase(name, at);
    copy_bytes(at + name.size(), value.data(), value.size());
    push(at, name.size(), at + name.size(), value.size());
  }
  // add_computed is add for the fields the server computes: name is a lowercase
  // literal (static storage), which the pair points at instead of a copy.
  [[gnu::always_inline]] void add_computed(std::string_view name, std::string_view value) {
    char* at = take(value.size());
    copy_bytes(at, value.data(), value.size());
    push(name.data(), name.size(), at, value.size());
  }
  // add_fields adds every field of h except connection-specific ones and those skip
  // returns true for.
  template <class Skip>
  void add_fields(const Header& h, Skip skip) {
    for (const auto& f : h) {
      if (!is_connection_specific(f.name) && !skip(f.name)) add(f.name, f.value);
    }
  }
  void clear() noexcept {
    arena_.clear();
    count_ = 0;
  }
  // Mark is the size of the block at some point, for truncate to go back to.
  struct Mark {
    std::size_t pairs = 0, bytes = 0;
  };
  Mark mark() const noexcept { return {count_, arena_.size()}; }
  void truncate(Mark m) noexcept {
    count_ = m.pairs;
    arena_.truncate(m.bytes);
  }
  // data: the pairs; valid until the next add or clear.
  const nghttp2_nv* data() const noexcept { return nv_.get(); }
  std::size_t size() const noexcept { return count_; }

 private:
  // take returns n bytes at the end of the arena.
  char* take(std::size_t n) {
    if (n > arena_.room()) make_room(n);
    return arena_.extend(n);
  }
  void make_room(std::size_t n);
  void add_odd_status(int code);

  // kStatusDigits is "100101...999", the three digits of every status code, for the
  // ":status" pair to point at instead of a copy.
  static constexpr auto kStatusDigits = [] {
    std::array<char, 900 * 3> digits{};
    for (int code = 100; code <= 999; ++code) {
      char* at = digits.data() + (code - 100) * 3;
      at[0] = static_cast<char>('0' + code / 100);
      at[1] = static_cast<char>('0' + code / 10 % 10);
      at[2] = static_cast<char>('0' + code % 10);
    }
    return digits;
  }();
  void push(const char* name, std::size_t name_len, const char* value, std::size_t value_len) {
    if (count_ == capacity_) add_pairs();
    nv_[count_++] = {bytes(name), bytes(value), name_len, value_len, NGHTTP2_NV_FLAG_NONE};
  }
  void add_pairs();
  static std::uint8_t* bytes(const char* p) noexcept { return reinterpret_cast<std::uint8_t*>(const_cast<char*>(p)); }

  // lower8 lowercases the ASCII letters among eight bytes at once (names are mostly
  // 4-20 bytes, and this runs for every field of every response head); bytes from 0x80
  // up stay as they are.
  static std::uint64_t lower8(std::uint64_t w) noexcept {
    const std::uint64_t upper = swar::in_range(w & ~swar::kHighs, 'A', 'Z') & ~w;  // and below 0x80
    return w | (upper >> 2);  // 0x80 >> 2 is 'a' - 'A'
  }
  // lower_word lowercases the N bytes at from into to.
  template <std::size_t N>
  static void lower_word(const char* from, char* to) noexcept {
    std::uint64_t w = 0;
    std::memcpy(&w, from, N);
    w = lower8(w);
    std::memcpy(to, &w, N);
  }
  // copy_lowercase goes by words; the last word may overlap the one before it (the
  // bytes come from name again, and lowercasing them twice changes nothing).
  static void copy_lowercase(std::string_view name, char* out) noexcept {
    const std::size_t n = name.size();
    if (n >= 8) {
      for (std::size_t i = 0; i + 8 < n; i += 8) lower_word<8>(name.data() + i, out + i);
      lower_word<8>(name.data() + n - 8, out + n - 8);
    } else if (n >= 4) {
      lower_word<4>(name.data(), out);
      lower_word<4>(name.data() + n - 4, out + n - 4);
    } else {
      for (std::size_t i = 0; i < n; ++i) {
        const char c = name[i];
        out[i] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
      }
    }
  }

  ByteBuffer arena_;
  // The pairs: count_ of capacity_, names and values in arena_, or names in static
  // storage.
  std::unique_ptr<nghttp2_nv[]> nv_;
  std::size_t count_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace httpkit::detail
