#include "runtime/blocking_pool.hpp"

namespace httpkit::rt {

BlockingPool& BlockingPool::get() {
  static BlockingPool* pool = new BlockingPool();  // leaked: its threads live until exit
  return *pool;
}

void BlockingPool::submit(std::function<void()> task) {
  std::lock_guard lock(mu_);
  tasks_.push_back(std::move(task));
  if (idle_ == 0 && threads_ < kMaxBlockingThreads) {
    ++threads_;
    std::thread([this] { worker(); }).detach();
  } else {
    cv_.notify_one();
  }
}

void BlockingPool::worker() {
  std::unique_lock lock(mu_);
  for (;;) {
    ++idle_;
    cv_.wait(lock, [&] { return !tasks_.empty(); });
    --idle_;
    auto task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
}

}  // namespace httpkit::rt
