#include "http2/stream_table.hpp"

namespace httpkit::detail {

// erase_shifting erases id, looked for from slot hole on, and moves back each later
// entry of the run that may sit in the hole: one whose home is not (cyclically) after
// the hole and up to where it sits.
Stream* StreamTable::erase_shifting(std::size_t hole, std::int32_t id) noexcept {
  while (slots_[hole].id != id) {
    if (slots_[hole].id == 0) return nullptr;
    hole = next(hole);
  }
  Stream* const erased = slots_[hole].stream;
  if (hole != home(id)) --displaced_;
  for (std::size_t i = next(hole); slots_[i].id != 0; i = next(i)) {
    const std::size_t h = home(slots_[i].id);
    const bool stays = hole < i ? (h > hole && h <= i) : (h > hole || h <= i);
    if (stays) continue;
    if (hole == h) --displaced_;  // back home
    slots_[hole] = slots_[i];
    hole = i;
  }
  slots_[hole] = {};
  --size_;
  return erased;
}

void StreamTable::rehash(std::size_t slots) {
  std::vector<Slot> old(slots);
  old.swap(slots_);
  size_ = displaced_ = 0;
  for (const Slot& s : old) {
    if (s.id != 0) insert(s.id, s.stream);
  }
}

}  // namespace httpkit::detail
