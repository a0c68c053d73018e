// Waiter: one wait by a fiber or a plain thread, woken once by notify() or a deadline.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "httpkit/context.hpp"
#include "runtime/timer_heap.hpp"

namespace httpkit::rt {

struct Fiber;

// Waiter is the one parking mechanism under every blocking call (I/O, Event, Mutex,
// Channel, Context, sleep). It lives on the waiter's stack. Exactly one of notify()
// and the deadline wins; the winner enqueues the fiber (or signals the thread), so a
// notify that comes before the fiber has parked is not lost and never resumes it twice.
class Waiter {
 public:
  Waiter() noexcept;  // binds to the calling fiber, or to the calling thread
  Waiter(const Waiter&) = delete;
  Waiter& operator=(const Waiter&) = delete;

  // wait_until parks until notify() or until deadline; returns true when notified.
  bool wait_until(TimePoint deadline = TimePoint::max());
  // notify wakes the waiter; thread-safe; returns false if it was already woken.
  bool notify() noexcept;
  bool notified() const noexcept { return state_.load(std::memory_order_acquire) == kNotified; }

  Waiter* next = nullptr;  // links for the wait queue this waiter is in
  Waiter* prev = nullptr;
  bool queued = false;

 private:
  static constexpr int kWaiting = 0, kNotified = 1, kTimedOut = 2;
  static void on_timer(Timer* t) noexcept;
  bool wait_thread(TimePoint deadline);

  Fiber* fiber_;
  std::atomic<int> state_{kWaiting};
  Timer timer_;
  std::mutex mu_;                // thread waiters only
  std::condition_variable cv_;   // thread waiters only
};

}  // namespace httpkit::rt
