// HpackEncoder: RFC 7541 (HPACK) encoding of the response heads we send, in place of
// nghttp2's deflater (about 1,200 instructions a response): responses go to nghttp2
// with an empty header list, and the HEADERS frame it serializes gets this encoder's
// block in place of its empty one.
//
// Choices, for the CPU of both ends: strings are always raw (no Huffman coding);
// fields are indexed (section 6.2.1) so that a warm connection sends most of a response
// head as one octet a field, except the values that change with nearly every response
// (content-length, etag...: section 6.2.2) and the sensitive ones (set-cookie...: never
// indexed, section 6.2.3); hpack_indexing() is that rule. The static table's names are
// found by a switch on the name's length; the dynamic table's entries (tens at most)
// are chained by name, so a look-up visits only the entries of the field's name (or,
// for a name not in the static table, of a 16-way hash of it) and compares a few
// integers an entry (lengths, the value's last 8 octets) before any bytes. A warm
// connection allocates nothing: the table is one fixed block, a ring of entries and a
// byte buffer that is compacted in place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "http/byte_buffer.hpp"

namespace httpkit::detail {

// HpackIndexing: which literal representation a field gets (RFC 7541 section 6.2).
enum class HpackIndexing : std::uint8_t {
  kIncremental,  // 6.2.1: added to the dynamic table, one octet the next time
  kWithout,      // 6.2.2: not added (a value that would only churn the table)
  kNever,        // 6.2.3: not added, and intermediaries must not add it (section 7.1.3)
};

// kHpackMaxIndexedValue: a longer value is not worth a table entry (an entry of 4096
// octets would hold only a few of them).
inline constexpr std::size_t kHpackMaxIndexedValue = 256;

// hpack_indexing is the rule: static_name_index is the name's index in the static
// table (RFC 7541 Appendix A), 0 for a name that is not there. Every name the rule
// singles out is in the static table, so the index is all it needs of the name.
//  - never indexed: authorization, cookie, proxy-authorization, set-cookie (credentials);
//  - without indexing: :path, content-length, etag, last-modified, location (they change
//    with nearly every response), and any value over kHpackMaxIndexedValue octets;
//  - with incremental indexing: the rest (content-type, date, server, :status 302...).
constexpr HpackIndexing hpack_indexing(std::uint32_t static_name_index, std::size_t value_size) noexcept {
  // Bit i set: static index i (all are below 64).
  constexpr std::uint64_t kNever = (1ull << 23) | (1ull << 32) | (1ull << 49) | (1ull << 55);
  constexpr std::uint64_t kWithout = (1ull << 4) | (1ull << 28) | (1ull << 34) | (1ull << 44) | (1ull << 46);
  const std::uint64_t bit = static_name_index < 64 ? 1ull << static_name_index : 0;
  if (bit & kNever) return HpackIndexing::kNever;  // authorization, cookie, proxy-authorization, set-cookie
  // :path, content-length, etag, last-modified, location; long values
  if ((bit & kWithout) || value_size > kHpackMaxIndexedValue) return HpackIndexing::kWithout;
  return HpackIndexing::kIncremental;
}

// HpackStaticMatch: a field's look-up in the static table: the index of its name (0 if
// the name is not there) and of the whole field (0 if no entry has both its name and
// value).
struct HpackStaticMatch {
  std::uint32_t name = 0;
  std::uint32_t full = 0;
};

// hpack_static_match looks a field up in the static table (name lower case).
HpackStaticMatch hpack_static_match(std::string_view name, std::string_view value) noexcept;

// HpackEncoder: the encoding context of one connection's response header blocks (RFC
// 7541 section 2.2): our copy of the dynamic table that the peer's decoder keeps in
// step with. Blocks must reach the peer in the order they are encoded. Not thread-safe;
// one connection uses it from one thread.
class HpackEncoder {
 public:
  // The peer's SETTINGS_HEADER_TABLE_SIZE bounds our dynamic table (RFC 7541 section
  // 4.2); we use at most kMaxTableSize (4096) of it.
  static constexpr std::uint32_t kMaxTableSize = 4096;

  HpackEncoder() = default;
  HpackEncoder(const HpackEncoder&) = delete;
  HpackEncoder& operator=(const HpackEncoder&) = delete;

  // set_peer_table_size: the peer's SETTINGS_HEADER_TABLE_SIZE (call it with the current
  // value before each block; cheap when unchanged; calling it on every SETTINGS frame as
  // well lets it see a size that went down and back up between two blocks, which
  // section 4.2 requires signalling). When our table size must change, the next block
  // starts with a dynamic table size update (section 6.3), evicting as needed.
  void set_peer_table_size(std::uint32_t size) noexcept {
    const std::uint32_t s = size < kMaxTableSize ? size : kMaxTableSize;
    if (s == target_) return;
    target_ = s;
    if (s < smallest_target_) smallest_target_ = s;
    update_pending_ = true;
  }

  // begin starts a header block: writes a pending table size update, if any (two when
  // the size went below both the old and the new size in between: section 4.2).
  void begin(ByteBuffer& out) {
    if (update_pending_) write_size_updates(out);
  }

  // field appends one field (name lower case, as HTTP/2 requires; value as given).
  void field(std::string_view name, std::string_view value, ByteBuffer& out);

  // state names what the encoding of a field list depends on besides the fields: the
  // table's contents and capacity and a pending size update. Entries are numbered and
  // never renumbered, and a table changes only by inserting or by a new capacity, so
  // the next entry's number and the capacity say which table it is. The same fields
  // encoded at the same state give the same octets.
  std::uint64_t state() const noexcept {
    return (next_ << 14) | (std::uint64_t{capacity_} << 1) | (update_pending_ ? 1 : 0);  // capacity_ <= 4096
  }

  // table_size: the dynamic table's size in octets (section 4.1).
  std::uint32_t table_size() const noexcept { return size_; }
  // table_capacity: its maximum size, as the last size update (or the default) set it.
  std::uint32_t table_capacity() const noexcept { return capacity_; }
  // table_entries: how many entries it holds.
  std::uint32_t table_entries() const noexcept { return count_; }

 private:
  static constexpr std::uint32_t kEntryOverhead = 32;  // section 4.1
  static constexpr std::uint32_t kStaticEntries = 61;  // Appendix A
  // kMaxEntries: every entry takes at least kEntryOverhead octets of the table.
  static constexpr std::uint32_t kMaxEntries = kMaxTableSize / kEntryOverhead;
  // kByteCapacity: the entries' bytes are appended to a buffer of twice the most the
  // table can hold, and moved back to its start when its end is reached: at most once
  // per kMaxTableSize inserted octets.
  static constexpr std::uint32_t kByteCapacity = 2 * kMaxTableSize;
  // kChains: the entries are chained by name, newest first: one chain per static name
  // (1 to 61; 0 for the empty name) and kCustomChains for the other names, by a hash.
  static constexpr std::uint32_t kCustomChains = 16;
  static constexpr std::uint32_t kChains = kStaticEntries + 1 + kCustomChains;

  // Entry: one dynamic table entry, its name and value adjacent in Table::bytes. Entries
  // are numbered in insertion order from 1 (64 bits: the numbers never wrap); entry n
  // sits in slot n % kMaxEntries and is live while n >= next_ - count_ (FIFO eviction
  // only moves that bound, so links to evicted entries need no clearing).
  struct Entry {
    std::uint64_t value_tail;  // the value's last 8 octets (fewer: zero-padded)
    std::uint64_t prev;        // the number of the previous entry on the same chain (0: none)
    std::uint32_t at;          // where the name starts in bytes
    std::uint16_t name_len;
    std::uint16_t value_len;
  };
  struct Table {
    Entry entries[kMaxEntries];
    std::uint64_t heads[kChains] = {};  // each chain's newest entry (0: none)
    char bytes[kByteCapacity];
  };

  // chain_of: the chain of a name whose static index is static_name (0 if none).
  static std::uint32_t chain_of(std::uint32_t static_name, std::string_view name) noexcept {
    if (static_name != 0 || name.empty()) return static_name;
    return kStaticEntries + 1 +
           ((static_cast<std::uint32_t>(name.size()) + static_cast<unsigned char>(name.back())) % kCustomChains);
  }
  // literal writes a literal field (section 6.2): how_and_name is the HpackIndexing
  // shifted left by 8, or'ed with the name's index (0: a new name); packed so that the
  // arguments fit in registers and field() can end in a tail call.
  static void literal(std::uint32_t how_and_name, std::string_view name, std::string_view value, ByteBuffer& out);
  // literal_and_insert writes a literal with incremental indexing (name_index: 0, static
  // or dynamic) and inserts the field.
  void literal_and_insert(std::uint32_t name_index, std::string_view name, std::string_view value, ByteBuffer& out);
  void write_size_updates(ByteBuffer& out);
  void set_capacity(std::uint32_t capacity) noexcept;
  void evict_oldest() noexcept;
  // insert adds a field as the newest entry (section 4.4), evicting as needed.
  void insert(std::uint32_t chain, std::string_view name, std::string_view value, std::uint64_t tail);

  std::uint32_t capacity_ = 4096;  // the table's maximum size (the peer's initial setting)
  std::uint32_t size_ = 0;
  std::uint32_t count_ = 0;
  std::uint32_t tail_ = 0;  // where the next entry's bytes go in Table::bytes
  std::uint64_t next_ = 1;  // the next entry's number
  std::uint32_t target_ = 4096;           // the capacity the peer's setting asks for
  std::uint32_t smallest_target_ = 4096;  // the smallest target since the last begin
  bool update_pending_ = false;
  // Allocated at the first insertion (about 13 KB): a connection that inserts nothing
  // allocates nothing.
  std::unique_ptr<Table> table_;
};

}  // namespace httpkit::detail
