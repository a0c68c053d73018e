// BlockingPool: the threads run_blocking hands blocking calls to.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace httpkit::rt {

// kMaxBlockingThreads bounds the pool: blocking calls beyond it queue rather than
// spawning threads without limit (Go's runtime grows threads; a bounded pool keeps a
// runaway caller from exhausting the process).
inline constexpr std::size_t kMaxBlockingThreads = 64;

// BlockingPool starts threads on demand, up to kMaxBlockingThreads, and keeps them.
class BlockingPool {
 public:
  static BlockingPool& get();
  void submit(std::function<void()> task);

 private:
  void worker();

  std::mutex mu_;  // guards everything below
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  std::size_t threads_ = 0;
  std::size_t idle_ = 0;
};

}  // namespace httpkit::rt
