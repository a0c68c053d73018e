// Mutex: a mutual-exclusion lock that parks fibers (Go's sync.Mutex).
#pragma once

#include <mutex>

#include "httpkit/cond_var.hpp"

namespace httpkit {

// Mutex may be held across blocking calls (I/O, sleeps): a fiber waiting for it parks.
// It is not recursive. Satisfies Lockable, so std::lock_guard and std::unique_lock work.
class Mutex {
 public:
  void lock();
  bool try_lock();
  void unlock();

 private:
  std::mutex mu_;
  CondVar cv_;
  bool locked_ = false;  // guarded by mu_
};

}  // namespace httpkit
