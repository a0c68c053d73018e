// HpackDecoder's out-of-line parts: literal fields, size updates, integers and
// strings (RFC 7541 sections 5 and 6), the dynamic table's insertions and evictions
// (section 4), and the static table (Appendix A).
#include "http2/hpack_decoder.hpp"

#include <algorithm>
#include <cstring>
#include <functional>

#include "http2/hpack_huffman.hpp"

namespace httpkit::detail {

const std::array<HpackField, kHpackStaticEntries> kHpackStaticTable = {{
    {":authority", ""},  // 1
    {":method", "GET"},  // 2
    {":method", "POST"},  // 3
    {":path", "/"},  // 4
    {":path", "/index.html"},  // 5
    {":scheme", "http"},  // 6
    {":scheme", "https"},  // 7
    {":status", "200"},  // 8
    {":status", "204"},  // 9
    {":status", "206"},  // 10
    {":status", "304"},  // 11
    {":status", "400"},  // 12
    {":status", "404"},  // 13
    {":status", "500"},  // 14
    {"accept-charset", ""},  // 15
    {"accept-encoding", "gzip, deflate"},  // 16
    {"accept-language", ""},  // 17
    {"accept-ranges", ""},  // 18
    {"accept", ""},  // 19
    {"access-control-allow-origin", ""},  // 20
    {"age", ""},  // 21
    {"allow", ""},  // 22
    {"authorization", ""},  // 23
    {"cache-control", ""},  // 24
    {"content-disposition", ""},  // 25
    {"content-encoding", ""},  // 26
    {"content-language", ""},  // 27
    {"content-length", ""},  // 28
    {"content-location", ""},  // 29
    {"content-range", ""},  // 30
    {"content-type", ""},  // 31
    {"cookie", ""},  // 32
    {"date", ""},  // 33
    {"etag", ""},  // 34
    {"expect", ""},  // 35
    {"expires", ""},  // 36
    {"from", ""},  // 37
    {"host", ""},  // 38
    {"if-match", ""},  // 39
    {"if-modified-since", ""},  // 40
    {"if-none-match", ""},  // 41
    {"if-range", ""},  // 42
    {"if-unmodified-since", ""},  // 43
    {"last-modified", ""},  // 44
    {"link", ""},  // 45
    {"location", ""},  // 46
    {"max-forwards", ""},  // 47
    {"proxy-authenticate", ""},  // 48
    {"proxy-authorization", ""},  // 49
    {"range", ""},  // 50
    {"referer", ""},  // 51
    {"refresh", ""},  // 52
    {"retry-after", ""},  // 53
    {"server", ""},  // 54
    {"set-cookie", ""},  // 55
    {"strict-transport-security", ""},  // 56
    {"transfer-encoding", ""},  // 57
    {"user-agent", ""},  // 58
    {"vary", ""},  // 59
    {"via", ""},  // 60
    {"www-authenticate", ""},  // 61
}};

// --- The dynamic table (section 4) ---

void HpackTable::evict_oldest() noexcept {
  const Entry& e = entries_[first_];
  size_ -= e.name_len + e.value_len + kEntryOverhead;
  first_ = (first_ + 1) & mask_;
  --count_;
}

void HpackTable::set_capacity(std::uint32_t capacity) noexcept {
  capacity_ = capacity;
  while (size_ > capacity_) evict_oldest();
}

HpackField HpackTable::insert(HpackField f) {
  const std::size_t len = f.name.size() + f.value.size();
  // Section 4.4: an entry larger than the maximum size empties the table and is not
  // added. The bytes stay where they are, so f.name holds if it pointed there.
  if (len + kEntryOverhead > capacity_) {
    count_ = 0;
    size_ = 0;
    return f;
  }
  while (size_ + len + kEntryOverhead > capacity_) evict_oldest();
  if (tail_ - base_ + len > bytes_capacity_) make_room(len, f.name);
  // The new bytes go past every byte written so far, so they never overlap f.name.
  char* at = bytes_.get() + (tail_ - base_);
  std::copy_n(f.name.data(), f.name.size(), at);
  std::copy_n(f.value.data(), f.value.size(), at + f.name.size());
  if (count_ == entries_.size()) grow_entries();
  entries_[(first_ + count_) & mask_] = {tail_, static_cast<std::uint32_t>(f.name.size()),
                                         static_cast<std::uint32_t>(f.value.size())};
  ++count_;
  size_ += len + kEntryOverhead;
  tail_ += len;
  return field(0);
}

void HpackTable::make_room(std::size_t len, std::string_view& name) {
  // A name from the table may lie where the live bytes move to: copy it out first.
  // This happens once per half a buffer of inserted octets at most.
  const char* begin = bytes_.get();
  if (!name.empty() && std::greater_equal<>()(name.data(), begin) &&
      std::less<>()(name.data(), begin + bytes_capacity_)) {
    name_copy_.assign(name);
    name = name_copy_;
  }
  const std::size_t live_at = count_ > 0 ? entries_[first_].at : tail_;
  const std::size_t live = tail_ - live_at;
  const char* live_bytes = bytes_.get() + (live_at - base_);
  // Keep the buffer at least twice what it holds after the move, so that the next move
  // is at least half a buffer of insertions away. live + len is at most the capacity.
  if (2 * (live + len) > bytes_capacity_) {
    const std::size_t grown = std::max<std::size_t>(2 * (live + len), 256);
    auto fresh = std::make_unique_for_overwrite<char[]>(grown);
    std::copy_n(live_bytes, live, fresh.get());
    bytes_ = std::move(fresh);
    bytes_capacity_ = grown;
  } else if (live > 0) {
    std::memmove(bytes_.get(), live_bytes, live);
  }
  base_ = live_at;
}

void HpackTable::grow_entries() {
  const std::size_t grown = std::max<std::size_t>(entries_.size() * 2, 16);
  std::vector<Entry> fresh(grown);
  for (std::uint32_t i = 0; i < count_; ++i) fresh[i] = entries_[(first_ + i) & mask_];
  entries_ = std::move(fresh);
  mask_ = grown - 1;
  first_ = 0;
}

// --- Primitive types (section 5) ---

char* HpackDecoder::ScratchBuffer::reserve(std::size_t n) {
  if (n > capacity) {
    capacity = std::max<std::size_t>(n, 2 * capacity);
    bytes = std::make_unique_for_overwrite<char[]>(capacity);
  }
  return bytes.get();
}

void HpackDecoder::release_scratch() noexcept {
  for (ScratchBuffer* b : {&name_scratch_, &value_scratch_}) {
    if (b->capacity > kKeptScratch) *b = ScratchBuffer{};
  }
}

HpackDecoder::Integer HpackDecoder::read_integer_tail(const std::uint8_t* p, const std::uint8_t* end,
                                                      std::uint32_t prefix) noexcept {
  // Five octets of 7 bits carry any 32-bit value past the smallest prefix used here
  // (4 bits); a longer run (zero octets padding it, or a larger value) is refused,
  // as is a sum above 2^32 - 1.
  std::uint64_t v = prefix;
  for (int shift = 0; shift <= 28; shift += 7) {
    if (p == end) break;
    const std::uint8_t b = *p++;
    v += std::uint64_t{b & 0x7fu} << shift;
    if ((b & 0x80) == 0) {
      if (v > UINT32_MAX) break;
      return {p, static_cast<std::uint32_t>(v)};
    }
  }
  return {nullptr, 0};
}

HpackDecoder::Integer HpackDecoder::read_integer(const std::uint8_t* p, const std::uint8_t* end,
                                                 int prefix_bits) noexcept {
  if (p == end) return {nullptr, 0};
  const std::uint32_t mask = (1u << prefix_bits) - 1;
  const std::uint32_t prefix = *p++ & mask;
  return prefix < mask ? Integer{p, prefix} : read_integer_tail(p, end, prefix);
}

const std::uint8_t* HpackDecoder::read_string(const std::uint8_t* p, const std::uint8_t* end,
                                              ScratchBuffer& scratch, std::string_view& s) {
  if (p == end) return nullptr;
  const bool huffman = (*p & 0x80) != 0;
  const Integer length = read_integer(p, end, 7);
  if (length.next == nullptr || length.value > static_cast<std::size_t>(end - length.next)) {
    return nullptr;  // cut, or running past the block
  }
  const std::uint8_t* bytes = length.next;
  if (!huffman) {
    s = {reinterpret_cast<const char*>(bytes), length.value};
    return bytes + length.value;
  }
  char* out = scratch.reserve(huffman_decoded_max(length.value));
  std::size_t decoded = 0;
  if (!huffman_decode(bytes, length.value, out, decoded)) return nullptr;
  s = {out, decoded};
  return bytes + length.value;
}

// --- Field representations (section 6) ---

HpackDecoder::Literal HpackDecoder::decode_literal_or_update(const std::uint8_t* p, const std::uint8_t* end,
                                                             bool fields_begun) {
  Literal l;
  const std::uint8_t first = *p;
  if ((first & 0xe0) == 0x20) {
    // Dynamic Table Size Update (section 6.3): only at the start of a block (section
    // 4.2), and never above our SETTINGS_HEADER_TABLE_SIZE.
    const Integer size = read_integer(p, end, 5);
    if (fields_begun || size.next == nullptr || size.value > max_table_size_) return l;
    table_.set_capacity(size.value);
    l.next = size.next;
    return l;
  }
  // A literal field (section 6.2): with incremental indexing (01, a 6-bit index of its
  // name), or without indexing (0000) or never indexed (0001), with a 4-bit index.
  // Index 0 means a new name follows as a string. Never-indexed only matters to
  // intermediaries re-encoding the field, which we are not.
  const bool indexing = (first & 0x40) != 0;
  const Integer index = read_integer(p, end, indexing ? 6 : 4);
  if (index.next == nullptr) return l;
  p = index.next;
  if (index.value == 0) {
    p = read_string(p, end, name_scratch_, l.field.name);
  } else if (!lookup(index.value, l.field)) {
    return l;
  }
  if (p != nullptr) p = read_string(p, end, value_scratch_, l.field.value);
  if (p == nullptr) return l;
  if (indexing) l.field = table_.insert(l.field);
  l.next = p;
  l.is_field = true;
  return l;
}

}  // namespace httpkit::detail
