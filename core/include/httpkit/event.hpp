// Event: a flag fibers and threads can wait for.
#pragma once

#include <mutex>

#include "httpkit/cond_var.hpp"

namespace httpkit {

// Event starts unset; set() wakes every waiter and keeps later waits from blocking until
// reset(). Thread-safe.
class Event {
 public:
  void set();
  void reset();
  bool is_set() const;
  void wait();
  // wait_until returns is_set() (false on timeout).
  bool wait_until(TimePoint deadline);
  bool wait_for(Duration d) { return wait_until(Clock::now() + d); }

 private:
  mutable std::mutex mu_;
  CondVar cv_;
  bool set_ = false;  // guarded by mu_
};

}  // namespace httpkit
