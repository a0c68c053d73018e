#include "runtime/timer_heap.hpp"

#include <utility>

namespace httpkit::rt {

void TimerHeap::arm(Timer& t, TimePoint when) {
  if (t.armed()) cancel(t);
  t.when = when;
  t.seq = ++seq_;
  heap_.push_back(&t);
  t.index = heap_.size() - 1;
  sift_up(t.index);
}

void TimerHeap::cancel(Timer& t) noexcept {
  if (t.armed()) remove_at(t.index);
}

Timer* TimerHeap::pop_expired(TimePoint now) noexcept {
  if (heap_.empty() || heap_.front()->when > now) return nullptr;
  Timer* t = heap_.front();
  remove_at(0);
  return t;
}

void TimerHeap::remove_at(std::size_t i) noexcept {
  Timer* removed = heap_[i];
  Timer* last = heap_.back();
  heap_.pop_back();
  removed->index = Timer::kNotArmed;
  if (i == heap_.size()) return;
  place(i, last);
  sift_down(i);
  sift_up(i);
}

void TimerHeap::sift_up(std::size_t i) noexcept {
  Timer* t = heap_[i];
  while (i > 0) {
    std::size_t parent = (i - 1) / 2;
    if (!less(t, heap_[parent])) break;
    place(i, heap_[parent]);
    i = parent;
  }
  place(i, t);
}

void TimerHeap::sift_down(std::size_t i) noexcept {
  Timer* t = heap_[i];
  const std::size_t n = heap_.size();
  for (;;) {
    std::size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && less(heap_[child + 1], heap_[child])) ++child;
    if (!less(heap_[child], t)) break;
    place(i, heap_[child]);
    i = child;
  }
  place(i, t);
}

}  // namespace httpkit::rt
