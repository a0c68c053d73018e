// HpackDecoder: RFC 7541 (HPACK) decoding of the header blocks a client sends, in
// place of nghttp2's inflater (about 270 instructions a field): the frame gate hands
// each request's header block here and an empty one to nghttp2.
//
// An indexed field, what a warm connection mostly sends (clients index every field
// they can), is decoded inline in decode() with a table look-up; literals, size updates
// and long integers go out of line (hpack_decoder.cpp). Huffman-coded strings are
// decoded by hpack_huffman.hpp.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace httpkit::detail {

// HpackField: a field's name and value, views into wherever they are kept.
struct HpackField {
  std::string_view name;
  std::string_view value;
};

// kHpackStaticTable: RFC 7541 Appendix A, indexes 1 to 61 (kHpackStaticTable[i - 1]).
inline constexpr std::uint32_t kHpackStaticEntries = 61;
extern const std::array<HpackField, kHpackStaticEntries> kHpackStaticTable;

// HpackTable: the dynamic table of RFC 7541 section 2.3.2, with the size and eviction
// rules of section 4. Entries are a ring, oldest to newest, that records where each
// one's name and value (adjacent) lie in one byte buffer; new entries go at the end of
// the buffer, evictions only move the ring's start, and when the buffer's end is
// reached the live bytes move back to its start (or to a buffer twice their size, so
// that a move happens at most once per half a buffer of inserted octets: O(1)
// amortised per inserted octet).
class HpackTable {
 public:
  // kEntryOverhead: the 32 octets section 4.1 adds to a name's and value's lengths.
  static constexpr std::size_t kEntryOverhead = 32;

  explicit HpackTable(std::uint32_t capacity) noexcept : capacity_(capacity) {}

  // size: the sum of the entries' sizes (section 4.1), never above the capacity.
  std::size_t size() const noexcept { return size_; }
  std::uint32_t count() const noexcept { return count_; }

  // field(i): the i-th newest entry, 0 the newest (i < count()); the views hold until
  // the next insert.
  HpackField field(std::uint32_t i) const noexcept {
    const Entry& e = entries_[(first_ + count_ - 1 - i) & mask_];
    const char* p = bytes_.get() + (e.at - base_);
    return {{p, e.name_len}, {p + e.name_len, e.value_len}};
  }

  // insert adds f as the newest entry, first evicting the oldest ones until it fits
  // (section 4.4); an entry larger than the capacity empties the table instead. f.name
  // may be a view into the table (a literal whose name is indexed). It returns views
  // of the field that hold until the next insert: the entry's own, or f's when the
  // entry was too large (the buffer is then left as it was).
  HpackField insert(HpackField f);

  // set_capacity: a dynamic table size update (section 4.3: evict until the entries
  // fit).
  void set_capacity(std::uint32_t capacity) noexcept;

 private:
  struct Entry {
    std::size_t at = 0;  // where the name starts, counted in octets ever appended
    std::uint32_t name_len = 0;
    std::uint32_t value_len = 0;
  };

  void evict_oldest() noexcept;
  // make_room moves the live bytes to the start of the buffer, or to a larger one, so
  // that len more octets fit at the end; name is re-pointed if it was in the buffer.
  void make_room(std::size_t len, std::string_view& name);
  void grow_entries();

  std::size_t capacity_;  // the maximum size (section 4.2)
  std::size_t size_ = 0;
  std::vector<Entry> entries_;  // the ring; its size is a power of two (or 0)
  std::size_t mask_ = 0;        // entries_.size() - 1
  std::size_t first_ = 0;       // the oldest entry's slot
  std::uint32_t count_ = 0;
  std::unique_ptr<char[]> bytes_;
  std::size_t bytes_capacity_ = 0;
  std::size_t base_ = 0;  // the position (as in Entry::at) of bytes_[0]
  std::size_t tail_ = 0;  // the position after the newest entry's bytes
  std::string name_copy_;  // a name taken out of the buffer while make_room moves it
};

// HpackDecoder: the decoding context of one connection's request header blocks
// (RFC 7541 section 2.2): the dynamic table that every block changes in turn. Not
// thread-safe; one connection uses it from one thread.
class HpackDecoder {
 public:
  // max_table_size: our SETTINGS_HEADER_TABLE_SIZE, the most a dynamic table size
  // update may ask for (RFC 7541 sections 4.2 and 6.3). The table starts at this size.
  explicit HpackDecoder(std::uint32_t max_table_size = 4096) noexcept
      : max_table_size_(max_table_size), table_(max_table_size) {}

  // decode decodes one complete header block (RFC 7541 section 3) and calls
  // on_field(std::string_view name, std::string_view value) for each field, in order.
  // The views are valid only during the call (they may point into the block, into the
  // dynamic table or into a scratch buffer for Huffman-coded strings).
  // Returns false on a decoding error (RFC 9113 section 4.3: a connection error of type
  // COMPRESSION_ERROR); the decoder is then unusable (the connection ends).
  template <class OnField>
  bool decode(const std::uint8_t* block, std::size_t n, OnField&& on_field) {
    if (broken_) return false;
    const std::uint8_t* p = block;
    const std::uint8_t* const end = block + n;
    bool fields_begun = false;  // section 4.2: size updates only come before the first field
    // The positions go in and out of the out-of-line parts by value, so that the loop
    // keeps them in registers.
    while (p != end) {
      if (*p >= 0x80) {  // Indexed Header Field (section 6.1): a 7-bit prefix index
        std::uint32_t index = *p++ & 0x7fu;
        if (index == 0x7f) {
          const Integer i = read_integer_tail(p, end, index);
          if (i.next == nullptr) return fail();
          p = i.next;
          index = i.value;
        }
        HpackField f;
        if (!lookup(index, f)) return fail();
        on_field(f.name, f.value);
      } else {
        const Literal l = decode_literal_or_update(p, end, fields_begun);
        if (l.next == nullptr) return fail();
        p = l.next;
        if (!l.is_field) continue;  // a size update
        on_field(l.field.name, l.field.value);
      }
      fields_begun = true;
    }
    // A connection keeps its buffers for its lifetime: one that a long Huffman-coded
    // string made large goes back, so that a client cannot make every connection hold
    // a block's worth of memory.
    if (name_scratch_.capacity > kKeptScratch || value_scratch_.capacity > kKeptScratch) release_scratch();
    return true;
  }
  // scratch_capacity: the octets held for Huffman-coded strings (for tests).
  std::size_t scratch_capacity() const noexcept { return name_scratch_.capacity + value_scratch_.capacity; }

  // table_size: the dynamic table's size in octets (section 4.1).
  std::uint32_t table_size() const noexcept { return static_cast<std::uint32_t>(table_.size()); }

 private:
  // Integer: an integer's value and the octet after it; next is nullptr on an error.
  struct Integer {
    const std::uint8_t* next;
    std::uint32_t value;
  };
  // Literal: a literal field or a size update; next is nullptr on an error.
  struct Literal {
    const std::uint8_t* next = nullptr;
    bool is_field = false;  // false: a size update
    HpackField field;
  };

  // ScratchBuffer: where a Huffman-coded string is decoded; it only grows.
  struct ScratchBuffer {
    std::unique_ptr<char[]> bytes;
    std::size_t capacity = 0;
    char* reserve(std::size_t n);
  };
  static constexpr std::size_t kKeptScratch = 16 << 10;
  void release_scratch() noexcept;

  // lookup: the field at an index of section 2.3.3 (static 1 to 61, then dynamic,
  // newest first); false for 0 or an index past both tables.
  bool lookup(std::uint32_t index, HpackField& f) const noexcept {
    if (index - 1 < kHpackStaticEntries) {  // 0 wraps around to a large number
      f = kHpackStaticTable[index - 1];
      return true;
    }
    const std::uint32_t i = index - (kHpackStaticEntries + 1);
    if (i >= table_.count()) return false;
    f = table_.field(i);
    return true;
  }

  // read_integer_tail reads the octets of an integer (section 5.1) after its prefix,
  // whose bits were all ones (prefix: 2^N - 1). A value that does not fit in 32 bits,
  // or a run of more continuation octets than one needs, is an error.
  static Integer read_integer_tail(const std::uint8_t* p, const std::uint8_t* end, std::uint32_t prefix) noexcept;
  static Integer read_integer(const std::uint8_t* p, const std::uint8_t* end, int prefix_bits) noexcept;
  // read_string reads a string literal (section 5.2) into s; a Huffman-coded one is
  // decoded into scratch. It returns the octet after it, or nullptr on an error.
  static const std::uint8_t* read_string(const std::uint8_t* p, const std::uint8_t* end, ScratchBuffer& scratch,
                                         std::string_view& s);
  // decode_literal_or_update decodes the representation at p, whose first octet is
  // below 0x80: a literal field (section 6.2), or a size update (section 6.3).
  Literal decode_literal_or_update(const std::uint8_t* p, const std::uint8_t* end, bool fields_begun);
  bool fail() noexcept {
    broken_ = true;
    return false;
  }

  std::uint32_t max_table_size_;
  HpackTable table_;
  ScratchBuffer name_scratch_;  // a literal's name and value are decoded apart: both
  ScratchBuffer value_scratch_;  // views must hold until on_field
  bool broken_ = false;
};

}  // namespace httpkit::detail
