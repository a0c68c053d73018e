// Header: the fields of an HTTP message head (Go's http.Header).
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace httpkit {

// canonical_header_key returns key in Go's CanonicalMIMEHeaderKey form
// ("content-type" -> "Content-Type"). A key with a byte that is not a token
// character is returned unchanged, as Go does (RFC 9110 section 5.1).
std::string canonical_header_key(std::string_view key);

// canonicalize_header_key_in_place rewrites a token key to canonical form in
// place; returns false (leaving it unchanged) when it holds a non-token byte.
bool canonicalize_header_key_in_place(char* key, std::size_t len) noexcept;

// Header holds an ordered list of fields. Keys are stored canonicalised, look-ups are
// case-insensitive, and iteration yields fields in arrival (or insertion) order.
//
// Values are views: fields added by add()/set() are copied into the Header's own
// arena, fields added by add_view() point into memory the caller keeps alive (the
// server's request buffer), so parsing a request allocates nothing per field.
// clear() keeps the capacity, so a Header reused across requests stops allocating.
// Not thread-safe: one request, one fiber.
class Header {
 public:
  struct Field {
    std::string_view name;
    std::string_view value;
  };

  Header() = default;
  Header(std::initializer_list<std::pair<std::string_view, std::string_view>> fields);
  Header(const Header& other);
  Header& operator=(const Header& other);
  Header(Header&& other) noexcept;
  Header& operator=(Header&& other) noexcept;
  ~Header() = default;

  // get returns the first value for key, or "" when absent.
  std::string_view get(std::string_view key) const noexcept;
  // values returns every value for key in order.
  std::vector<std::string_view> values(std::string_view key) const;
  bool has(std::string_view key) const noexcept;
  // set replaces every value of key with value.
  void set(std::string_view key, std::string_view value);
  // add appends a value for key.
  void add(std::string_view key, std::string_view value);
  // del removes every value of key.
  void del(std::string_view key) noexcept;
  // add_view appends a field without copying: both views must outlive this Header's
  // use, and name must already be canonical (the parser canonicalises in place).
  void add_view(std::string_view canonical_name, std::string_view value);

  std::size_t size() const noexcept { return fields_.size(); }
  bool empty() const noexcept { return fields_.empty(); }
  auto begin() const noexcept { return fields_.begin(); }
  auto end() const noexcept { return fields_.end(); }
  void clear() noexcept;

 private:
  std::string_view store(std::string_view s) {
    if (s.empty()) return {};
    if (static_cast<std::size_t>(arena_end_ - arena_next_) < s.size()) next_block(s.size());
    char* dst = arena_next_;
    std::memcpy(dst, s.data(), s.size());
    arena_next_ += s.size();
    return {dst, s.size()};
  }
  // next_block makes arena_next_ point at room for n bytes.
  void next_block(std::size_t n);
  std::string_view store_key(std::string_view key);

  // Arena blocks for the bytes of owned fields; blocks are kept by clear(). Bytes go to
  // the current block from arena_next_ on; the blocks after it are still empty.
  struct Block {
    std::unique_ptr<char[]> data;
    std::size_t size = 0;
  };
  std::vector<Field> fields_;
  std::vector<Block> blocks_;
  std::size_t current_block_ = 0;  // the block arena_next_ points into, when not null
  char* arena_next_ = nullptr;
  char* arena_end_ = nullptr;
};

// header_values_contain_token reports whether a comma-separated header value list
// contains token, case-insensitively ("Connection: keep-alive, Upgrade").
bool header_values_contain_token(std::string_view list, std::string_view token) noexcept;

namespace detail {
bool equal_fold_same_size(std::string_view a, std::string_view b) noexcept;
}  // namespace detail

// equal_fold reports whether a and b are equal ignoring ASCII case (Go's
// strings.EqualFold for field names). The length test is inline: most look-ups in
// a header compare names of different lengths.
inline bool equal_fold(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && detail::equal_fold_same_size(a, b);
}

}  // namespace httpkit
