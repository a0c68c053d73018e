// CondVar: a condition variable that parks fibers instead of blocking their thread.
#pragma once

#include <mutex>

#include "httpkit/context.hpp"

namespace httpkit {

// CondVar works like std::condition_variable over a std::mutex, but a fiber that waits
// parks (its scheduler runs other fibers) and a plain thread that waits blocks. The
// mutex should guard only short critical sections. Waiters are woken in FIFO order.
// notify_one/notify_all must be called with the mutex held.
class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  void wait(std::unique_lock<std::mutex>& lock) { wait_until(lock, TimePoint::max()); }
  // wait_until returns false when deadline passed without a notify.
  bool wait_until(std::unique_lock<std::mutex>& lock, TimePoint deadline);
  template <class Pred>
  void wait(std::unique_lock<std::mutex>& lock, Pred pred) {
    while (!pred()) wait(lock);
  }
  template <class Pred>
  bool wait_until(std::unique_lock<std::mutex>& lock, TimePoint deadline, Pred pred) {
    while (!pred()) {
      if (!wait_until(lock, deadline)) return pred();
    }
    return true;
  }
  void notify_one() noexcept;
  void notify_all() noexcept;

 private:
  void* head_ = nullptr;  // rt::Waiter list, guarded by the caller's mutex
  void* tail_ = nullptr;
};

}  // namespace httpkit
