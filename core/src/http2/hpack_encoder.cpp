// HpackEncoder: the static table look-up (RFC 7541 Appendix A), the choice of a field's
// representation (section 6), integers and raw string literals (section 5), and our
// copy of the dynamic table (section 4).
#include "http2/hpack_encoder.hpp"

#include <cstring>

namespace httpkit::detail {

namespace {

// is: whether the n octets at p (n, the literal's length, already checked) are lit's.
// A memcmp of a constant length compiles to a load and a compare or two.
template <std::size_t N>
[[gnu::always_inline]] inline bool is(const char* p, const char (&lit)[N]) noexcept {
  return std::memcmp(p, lit, N - 1) == 0;
}

// named: the match of a name whose static entry (at index) has an empty value, as all
// but those of :method, :path, :scheme, :status and accept-encoding have.
[[gnu::always_inline]] inline HpackStaticMatch named(std::uint32_t index, std::string_view value) noexcept {
  return {index, value.empty() ? index : 0};
}

// status: :status 200, 204, 206, 304, 400, 404, 500 are 8 to 14.
[[gnu::always_inline]] inline HpackStaticMatch status(std::string_view value) noexcept {
  HpackStaticMatch m{8, 0};
  if (value.size() != 3) return m;
  constexpr auto code = [](const char* s) constexpr {
    return (static_cast<unsigned>(static_cast<unsigned char>(s[0])) << 16) |
           (static_cast<unsigned>(static_cast<unsigned char>(s[1])) << 8) |
           static_cast<unsigned>(static_cast<unsigned char>(s[2]));
  };
  switch (code(value.data())) {
    case code("200"): m.full = 8; break;
    case code("204"): m.full = 9; break;
    case code("206"): m.full = 10; break;
    case code("304"): m.full = 11; break;
    case code("400"): m.full = 12; break;
    case code("404"): m.full = 13; break;
    case code("500"): m.full = 14; break;
    default: break;
  }
  return m;
}

// valued: the match of a name whose static entries (index, index + 1) have values a
// and b (:method, :path, :scheme).
template <std::size_t A, std::size_t B>
[[gnu::always_inline]] inline HpackStaticMatch valued(std::uint32_t index, std::string_view value, const char (&a)[A],
                                                      const char (&b)[B]) noexcept {
  if (value.size() == A - 1 && is(value.data(), a)) return {index, index};
  if (value.size() == B - 1 && is(value.data(), b)) return {index, index + 1};
  return {index, 0};
}

// match_static: a switch on the name's length, then a compare or a few (response names
// first) and, for the few names with values in the table, one on the value.
[[gnu::always_inline]] inline HpackStaticMatch match_static(std::string_view name, std::string_view value) noexcept {
  const char* p = name.data();
  switch (name.size()) {
    case 3:
      if (is(p, "age")) return named(21, value);
      if (is(p, "via")) return named(60, value);
      break;
    case 4:
      if (is(p, "date")) return named(33, value);
      if (is(p, "etag")) return named(34, value);
      if (is(p, "vary")) return named(59, value);
      if (is(p, "link")) return named(45, value);
      if (is(p, "host")) return named(38, value);
      if (is(p, "from")) return named(37, value);
      break;
    case 5:
      if (is(p, ":path")) return valued(4, value, "/", "/index.html");
      if (is(p, "allow")) return named(22, value);
      if (is(p, "range")) return named(50, value);
      break;
    case 6:
      if (is(p, "server")) return named(54, value);
      if (is(p, "cookie")) return named(32, value);
      if (is(p, "accept")) return named(19, value);
      if (is(p, "expect")) return named(35, value);
      break;
    case 7:
      if (is(p, ":status")) return status(value);
      if (is(p, "expires")) return named(36, value);
      if (is(p, ":method")) return valued(2, value, "GET", "POST");
      if (is(p, ":scheme")) return valued(6, value, "http", "https");
      if (is(p, "referer")) return named(51, value);
      if (is(p, "refresh")) return named(52, value);
      break;
    case 8:
      if (is(p, "location")) return named(46, value);
      if (is(p, "if-match")) return named(39, value);
      if (is(p, "if-range")) return named(42, value);
      break;
    case 10:
      if (is(p, "set-cookie")) return named(55, value);
      if (is(p, ":authority")) return named(1, value);
      if (is(p, "user-agent")) return named(58, value);
      break;
    case 11:
      if (is(p, "retry-after")) return named(53, value);
      break;
    case 12:
      if (is(p, "content-type")) return named(31, value);
      if (is(p, "max-forwards")) return named(47, value);
      break;
    case 13:
      if (is(p, "cache-control")) return named(24, value);
      if (is(p, "last-modified")) return named(44, value);
      if (is(p, "accept-ranges")) return named(18, value);
      if (is(p, "content-range")) return named(30, value);
      if (is(p, "authorization")) return named(23, value);
      if (is(p, "if-none-match")) return named(41, value);
      break;
    case 14:
      if (is(p, "content-length")) return named(28, value);
      if (is(p, "accept-charset")) return named(15, value);
      break;
    case 15:
      if (is(p, "accept-encoding"))
        return {16, value.size() == 13 && is(value.data(), "gzip, deflate") ? 16u : 0u};
      if (is(p, "accept-language")) return named(17, value);
      break;
    case 16:
      if (is(p, "content-encoding")) return named(26, value);
      if (is(p, "content-language")) return named(27, value);
      if (is(p, "content-location")) return named(29, value);
      if (is(p, "www-authenticate")) return named(61, value);
      break;
    case 17:
      if (is(p, "transfer-encoding")) return named(57, value);
      if (is(p, "if-modified-since")) return named(40, value);
      break;
    case 18:
      if (is(p, "proxy-authenticate")) return named(48, value);
      break;
    case 19:
      if (is(p, "content-disposition")) return named(25, value);
      if (is(p, "if-unmodified-since")) return named(43, value);
      if (is(p, "proxy-authorization")) return named(49, value);
      break;
    case 25:
      if (is(p, "strict-transport-security")) return named(56, value);
      break;
    case 27:
      if (is(p, "access-control-allow-origin")) return named(20, value);
      break;
    default:
      break;
  }
  return {0, 0};
}

// value_tail: a value's last 8 octets (all of a shorter one, zero-padded): what the
// dynamic table scan compares before any bytes. The end of a value differs more often
// than its start ("... 07:00:49 GMT").
[[gnu::always_inline]] inline std::uint64_t value_tail(std::string_view v) noexcept {
  std::uint64_t t = 0;
  if (v.size() >= 8)
    std::memcpy(&t, v.data() + v.size() - 8, 8);
  else
    copy_bytes(reinterpret_cast<char*>(&t), v.data(), v.size());
  return t;
}

// equal_head: whether n octets at a and b are equal, given that their last 8 (all, if
// fewer) are (value_tail): 8-octet words from the start, inline (values are short).
[[gnu::always_inline]] inline bool equal_head(const char* a, const char* b, std::size_t n) noexcept {
  for (std::size_t i = 0; i + 8 < n; i += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a + i, 8);
    std::memcpy(&y, b + i, 8);
    if (x != y) return false;
  }
  return true;
}

// write_integer writes value as a section 5.1 integer with a prefix of prefix_bits
// bits, in an octet whose other bits are flags; at most 11 octets (64-bit values).
[[gnu::always_inline]] inline char* write_integer(char* p, unsigned flags, int prefix_bits,
                                                  std::uint64_t value) noexcept {
  const std::uint64_t max = (1u << prefix_bits) - 1;
  if (value < max) {
    *p++ = static_cast<char>(flags | value);
    return p;
  }
  *p++ = static_cast<char>(flags | max);
  value -= max;
  for (; value >= 128; value >>= 7) *p++ = static_cast<char>(0x80 | (value & 0x7f));
  *p++ = static_cast<char>(value);
  return p;
}

// write_string writes a raw string literal (section 5.2, H bit 0).
[[gnu::always_inline]] inline char* write_string(char* p, std::string_view s) noexcept {
  p = write_integer(p, 0, 7, s.size());
  copy_bytes(p, s.data(), s.size());
  return p + s.size();
}

}  // namespace

HpackStaticMatch hpack_static_match(std::string_view name, std::string_view value) noexcept {
  return match_static(name, value);
}

void HpackEncoder::field(std::string_view name, std::string_view value, ByteBuffer& out) {
  const HpackStaticMatch s = match_static(name, value);
  if (s.full != 0) {  // section 6.1: ":status 200" is 0x88
    *out.extend(1) = static_cast<char>(0x80 | s.full);
    return;
  }
  const HpackIndexing how = hpack_indexing(s.name, value.size());
  // Only an indexed field's value may be in the dynamic table; a name not in the static
  // table may be there whatever the value. The scan is inline: on a warm connection it
  // finds most fields that get this far.
  std::uint32_t name_index = s.name;
  if (how == HpackIndexing::kIncremental || s.name == 0) {
    const std::uint32_t chain = chain_of(s.name, name);
    const std::uint64_t tail = value_tail(value);
    if (table_) {
      const std::uint64_t oldest = next_ - count_;
      for (std::uint64_t at = table_->heads[chain]; at >= oldest;) {
        const Entry& e = table_->entries[at % kMaxEntries];
        const char* bytes = table_->bytes + e.at;
        if (s.name != 0 || (e.name_len == name.size() && std::memcmp(bytes, name.data(), name.size()) == 0)) {
          const auto index = static_cast<std::uint32_t>(kStaticEntries + 1 + (next_ - 1 - at));
          if (e.value_tail == tail && e.value_len == value.size() &&
              equal_head(bytes + e.name_len, value.data(), value.size())) {
            if (index < 127) {  // section 6.1: 62 to 189
              *out.extend(1) = static_cast<char>(0x80 | index);
            } else {
              char* p = out.extend(2);
              p[0] = static_cast<char>(0xff);
              p[1] = static_cast<char>(index - 127);
            }
            return;
          }
          if (name_index == 0) name_index = index;
        }
        at = e.prev;
      }
    }
    if (how == HpackIndexing::kIncremental) return literal_and_insert(name_index, name, value, out);
  }
  literal(static_cast<std::uint32_t>(how) << 8 | name_index, name, value, out);
}

void HpackEncoder::literal_and_insert(std::uint32_t name_index, std::string_view name, std::string_view value,
                                      ByteBuffer& out) {
  literal(static_cast<std::uint32_t>(HpackIndexing::kIncremental) << 8 | name_index, name, value, out);
  // A name in the static table is always written as its static index.
  const std::uint32_t static_name = name_index <= kStaticEntries ? name_index : 0;
  insert(chain_of(static_name, name), name, value, value_tail(value));
}

void HpackEncoder::literal(std::uint32_t how_and_name, std::string_view name, std::string_view value, ByteBuffer& out) {
  // Section 6.2: a literal, its name indexed or a string of its own.
  const auto how = static_cast<HpackIndexing>(how_and_name >> 8);
  const std::uint32_t name_index = how_and_name & 0xff;
  char* p = out.extend(name.size() + value.size() + 32);  // 3 integers of 11 octets at most
  switch (how) {
    case HpackIndexing::kIncremental: p = write_integer(p, 0x40, 6, name_index); break;
    case HpackIndexing::kWithout: p = write_integer(p, 0x00, 4, name_index); break;
    case HpackIndexing::kNever: p = write_integer(p, 0x10, 4, name_index); break;
  }
  if (name_index == 0) p = write_string(p, name);
  p = write_string(p, value);
  out.truncate(static_cast<std::size_t>(p - out.data()));
}

void HpackEncoder::insert(std::uint32_t chain, std::string_view name, std::string_view value, std::uint64_t tail) {
  const std::size_t entry_size = name.size() + value.size() + kEntryOverhead;
  if (entry_size > capacity_) {  // section 4.4: the table empties, the entry is not added
    while (count_ != 0) evict_oldest();
    return;
  }
  while (size_ + entry_size > capacity_) evict_oldest();
  if (!table_) table_ = std::make_unique_for_overwrite<Table>();
  Table& t = *table_;
  const auto len = static_cast<std::uint32_t>(name.size() + value.size());
  if (tail_ + len > kByteCapacity) {
    // Move the live bytes back to the start: they and the new entry fit in
    // kMaxTableSize, half the buffer.
    const std::uint32_t start = count_ != 0 ? t.entries[(next_ - count_) % kMaxEntries].at : tail_;
    std::memmove(t.bytes, t.bytes + start, tail_ - start);
    for (std::uint64_t i = next_ - count_; i != next_; ++i) t.entries[i % kMaxEntries].at -= start;
    tail_ -= start;
  }
  Entry& e = t.entries[next_ % kMaxEntries];
  e.value_tail = tail;
  e.prev = t.heads[chain];
  e.at = tail_;
  e.name_len = static_cast<std::uint16_t>(name.size());
  e.value_len = static_cast<std::uint16_t>(value.size());
  std::memcpy(t.bytes + tail_, name.data(), name.size());
  std::memcpy(t.bytes + tail_ + name.size(), value.data(), value.size());
  tail_ += len;
  t.heads[chain] = next_;
  ++next_;
  ++count_;
  size_ += static_cast<std::uint32_t>(entry_size);
}

void HpackEncoder::evict_oldest() noexcept {
  const Entry& e = table_->entries[(next_ - count_) % kMaxEntries];
  size_ -= e.name_len + e.value_len + kEntryOverhead;
  --count_;
  if (count_ == 0) tail_ = 0;  // no live bytes: start the buffer over
}

void HpackEncoder::set_capacity(std::uint32_t capacity) noexcept {
  capacity_ = capacity;
  while (size_ > capacity_) evict_oldest();
}

void HpackEncoder::write_size_updates(ByteBuffer& out) {
  char* p = out.extend(8);  // two updates of at most 3 octets (values up to 4096)
  // Section 4.2: the smallest size since the last block if it went below both the old
  // size and the new one, then the new size.
  if (smallest_target_ < capacity_ && smallest_target_ < target_) {
    p = write_integer(p, 0x20, 5, smallest_target_);
    set_capacity(smallest_target_);
  }
  if (target_ != capacity_) {
    p = write_integer(p, 0x20, 5, target_);
    set_capacity(target_);
  }
  out.truncate(static_cast<std::size_t>(p - out.data()));
  smallest_target_ = target_;
  update_pending_ = false;
}

}  // namespace httpkit::detail
