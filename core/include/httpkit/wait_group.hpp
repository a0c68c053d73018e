// WaitGroup: wait for a collection of fibers to finish (Go's sync.WaitGroup).
#pragma once

#include <mutex>

#include "httpkit/cond_var.hpp"

namespace httpkit {

// WaitGroup counts outstanding work: add(n) before starting it, done() when each
// finishes, wait() until the count is zero. A negative count throws std::logic_error,
// as Go panics. Thread-safe.
class WaitGroup {
 public:
  void add(int n = 1);
  void done() { add(-1); }
  void wait();

 private:
  std::mutex mu_;
  CondVar cv_;
  long count_ = 0;  // guarded by mu_
};

}  // namespace httpkit
