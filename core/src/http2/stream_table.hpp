// StreamTable: a connection's open streams by id.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace httpkit::detail {

class Stream;

// StreamTable finds the Stream of an open stream id for nghttp2's callbacks, in place
// of nghttp2's stream user data, which costs a call into nghttp2 and a look-up in its
// own map for every set and get. Client stream ids are odd and rise (RFC 9113 section
// 5.1.1), so the open ones, id / 2, fall on consecutive slots: a look-up nearly always
// takes one probe. Open addressing with linear probing; erase shifts the entries after
// a hole back (no tombstones), so a probe ends at the first empty slot. Kept at most
// half full. Not thread-safe: a connection's callbacks run on its scheduler thread.
class StreamTable {
 public:
  Stream* find(std::int32_t id) const noexcept {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = home(id);; i = next(i)) {
      if (slots_[i].id == id) return slots_[i].stream;
      if (slots_[i].id == 0) return nullptr;
    }
  }

  // insert adds id, which must not be in the table.
  void insert(std::int32_t id, Stream* s) {
    if ((size_ + 1) * 2 > slots_.size()) rehash(slots_.empty() ? kMinSlots : slots_.size() * 2);
    std::size_t i = home(id);
    while (slots_[i].id != 0) i = next(i);
    slots_[i] = {id, s};
    ++size_;
    if (i != home(id)) ++displaced_;
  }

  // erase removes id and returns its stream; nullptr when the table does not hold it.
  Stream* erase(std::int32_t id) noexcept {
    if (slots_.empty()) return nullptr;
    const std::size_t i = home(id);
    if (displaced_ == 0) {
      if (slots_[i].id != id) return nullptr;
      Stream* s = slots_[i].stream;
      slots_[i] = {};
      --size_;
      return s;
    }
    return erase_shifting(i, id);
  }

 private:
  // kMinSlots: room for the 10 to 100 concurrent streams clients open, before growing.
  static constexpr std::size_t kMinSlots = 64;

  struct Slot {
    std::int32_t id = 0;  // 0: empty (no stream has id 0)
    Stream* stream = nullptr;
  };

  std::size_t home(std::int32_t id) const noexcept { return (static_cast<std::size_t>(id) >> 1) & (slots_.size() - 1); }
  std::size_t next(std::size_t i) const noexcept { return (i + 1) & (slots_.size() - 1); }
  Stream* erase_shifting(std::size_t i, std::int32_t id) noexcept;
  void rehash(std::size_t slots);

  std::vector<Slot> slots_;  // a power of two in size
  std::size_t size_ = 0;
  std::size_t displaced_ = 0;  // entries not in their home slot
};

}  // namespace httpkit::detail
