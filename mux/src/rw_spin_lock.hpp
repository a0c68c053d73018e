// RwSpinLock: the ServeMux's reader-writer lock. Lookups (readers) hold it for the
// ~100 ns of a match and never across a fiber switch; registrations (writers) are
// rare and short. A pthread rwlock costs two library calls per lookup; this costs
// one compare-and-swap and one subtraction. Writers are preferred: once one waits,
// new readers wait too, so a stream of lookups cannot starve a registration.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>

namespace httpkit::mux_detail {

class RwSpinLock {
 public:
  void lock_shared() noexcept {
    for (;;) {
      std::uint32_t s = state_.load(std::memory_order_relaxed);
      if ((s & kWriter) == 0 && state_.compare_exchange_weak(s, s + 1, std::memory_order_acquire)) return;
      std::this_thread::yield();  // a registration is running: it takes microseconds
    }
  }
  void unlock_shared() noexcept { state_.fetch_sub(1, std::memory_order_release); }

  void lock() {
    writers_.lock();  // one writer at a time
    state_.fetch_or(kWriter, std::memory_order_acquire);
    while ((state_.load(std::memory_order_acquire) & ~kWriter) != 0) std::this_thread::yield();
  }
  void unlock() {
    state_.store(0, std::memory_order_release);
    writers_.unlock();
  }

 private:
  static constexpr std::uint32_t kWriter = 1u << 31;
  std::atomic<std::uint32_t> state_{0};  // kWriter | number of readers
  std::mutex writers_;
};

}  // namespace httpkit::mux_detail
