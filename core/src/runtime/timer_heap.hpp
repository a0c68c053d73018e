// TimerHeap: a scheduler's timers, a binary min-heap with O(log n) cancel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "httpkit/context.hpp"

namespace httpkit::rt {

// Timer is owned by whoever arms it (a Waiter, a Conn); the heap only points at it, so
// arming and cancelling never allocate once the heap has grown.
struct Timer {
  TimePoint when{};
  void (*fire)(Timer*) = nullptr;
  void* arg = nullptr;
  std::size_t index = kNotArmed;  // position in the heap, or kNotArmed
  std::uint64_t seq = 0;          // orders timers with equal deadlines by arming order

  static constexpr std::size_t kNotArmed = static_cast<std::size_t>(-1);
  bool armed() const noexcept { return index != kNotArmed; }
};

// TimerHeap belongs to one scheduler thread; not thread-safe.
class TimerHeap {
 public:
  void arm(Timer& t, TimePoint when);
  void cancel(Timer& t) noexcept;
  bool empty() const noexcept { return heap_.empty(); }
  TimePoint next() const noexcept { return heap_.front()->when; }
  // pop_expired removes and returns the earliest timer due at or before now, or nullptr.
  Timer* pop_expired(TimePoint now) noexcept;
  std::size_t size() const noexcept { return heap_.size(); }

 private:
  bool less(const Timer* a, const Timer* b) const noexcept {
    return a->when < b->when || (a->when == b->when && a->seq < b->seq);
  }
  void place(std::size_t i, Timer* t) noexcept {
    heap_[i] = t;
    t->index = i;
  }
  void sift_up(std::size_t i) noexcept;
  void sift_down(std::size_t i) noexcept;
  void remove_at(std::size_t i) noexcept;

  std::vector<Timer*> heap_;
  std::uint64_t seq_ = 0;
};

}  // namespace httpkit::rt
