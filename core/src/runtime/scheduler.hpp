// Scheduler: one per thread, with its run queue, epoll netpoller, timers and eventfd.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/fiber.hpp"
#include "runtime/stack_pool.hpp"
#include "runtime/timer_heap.hpp"

namespace httpkit::rt {

class Waiter;

// PollDesc is one fd's registration with a scheduler's epoll (edge-triggered). A fiber
// that got EAGAIN parks as reader or writer; input events (readable, hang-up, error)
// that no reader waits for go to notify (an idle keep-alive connection, a client
// hang-up during a handler, input that arrived while the connection's fiber was busy).
// notify runs on the scheduler's stack and may only enqueue work, never free the PollDesc.
struct PollDesc {
  int fd = -1;
  Scheduler* sched = nullptr;
  Waiter* reader = nullptr;
  Waiter* writer = nullptr;
  void (*notify)(PollDesc*, std::uint32_t events) = nullptr;
  void* owner = nullptr;
};

// Scheduler runs fibers on its thread. Work arrives locally (spawn, ready from the same
// thread) or remotely (ready/post from other threads: a locked queue plus an eventfd
// wake-up, written only when the scheduler sleeps in epoll_wait).
class Scheduler {
 public:
  explicit Scheduler(int index);
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;
  ~Scheduler();

  // run is the thread's loop; returns after stop().
  void run();
  void stop();

  // spawn creates a fiber running fn(arg) or func; scheduler thread only.
  Fiber* spawn(void (*fn)(void*), void* arg);
  Fiber* spawn(std::function<void()> func);
  // ready makes a parked fiber runnable; any thread.
  void ready(Fiber* f);
  // post runs fn on this scheduler's thread (on its own fiber); any thread.
  void post(std::function<void()> fn);

  // Netpoller; scheduler thread only.
  void poll_add(PollDesc& pd, bool exclusive = false);
  void poll_remove(PollDesc& pd) noexcept;

  // Timers; scheduler thread only.
  void arm(Timer& t, TimePoint when) { timers_.arm(t, when); }
  void cancel(Timer& t) noexcept { timers_.cancel(t); }

  int index() const noexcept { return index_; }
  Fiber* running() const noexcept { return running_; }
  // current returns this thread's scheduler, or nullptr off the runtime's threads.
  static Scheduler* current() noexcept;

  // snapshot appends this scheduler's live fibers; scheduler thread only.
  void snapshot(std::vector<runtime::FiberInfo>& out) const;
  // thread_stack: the scheduler thread's own stack bounds [lo, hi) (for the profiler).
  std::uintptr_t thread_stack_lo() const noexcept { return thread_stack_lo_; }
  std::uintptr_t thread_stack_hi() const noexcept { return thread_stack_hi_; }

  const san::StackInfo& main_stack() const noexcept { return main_stack_; }
  san::StackInfo& main_stack() noexcept { return main_stack_; }

 private:
  void start(Fiber* f);
  void resume(Fiber* f);
  void push_local(Fiber* f) noexcept;
  Fiber* pop_local() noexcept;
  void drain_remote();
  void fire_timers();
  void poll(bool block);
  void recycle(Fiber* f) noexcept;
  void pool_object(Fiber* f) noexcept;
  bool park_finished(Fiber* f) noexcept;
  Fiber* adopt_parked(Fiber* fresh) noexcept;
  void link_live(Fiber* f) noexcept;
  void unlink_live(Fiber* f) noexcept;
  void report_stall(Fiber* f, std::chrono::milliseconds held);

  int index_;
  int epfd_ = -1;
  int eventfd_ = -1;

  Fiber* run_head_ = nullptr;  // local FIFO of runnable fibers
  Fiber* run_tail_ = nullptr;
  Fiber* running_ = nullptr;
  // clock_: the coarse time at the end of the last resume or epoll_wait. The stall check
  // measures a resume from it, and spawn stamps new fibers with it: at the coarse
  // clock's ~4 ms resolution that is as good as a read, and saves two per switch.
  TimePoint clock_{};
  TimerHeap timers_;
  StackPool stacks_;
  std::vector<std::unique_ptr<Fiber>> fiber_pool_;  // ended fibers: no stack, no context
  std::vector<Fiber*> finished_;  // parked after their work, stack and context kept (park_finished, adopt_parked)
  std::uint64_t next_fiber_id_ = 0;
  Fiber* live_head_ = nullptr;  // every spawned, unfinished fiber (snapshot)
  std::uintptr_t thread_stack_lo_ = 0;
  std::uintptr_t thread_stack_hi_ = 0;
  san::StackInfo main_stack_;

  std::mutex remote_mu_;  // guards remote_ready_, remote_posts_
  std::vector<Fiber*> remote_ready_;
  std::vector<std::function<void()>> remote_posts_;
  std::atomic<bool> sleeping_{false};
  std::atomic<bool> stop_requested_{false};
};

// Runtime owns the scheduler threads (GOMAXPROCS of them). It starts on first use and
// lives until the process exits: fibers may run during static destruction otherwise.
class Runtime {
 public:
  static Runtime& get();
  Scheduler& pick() noexcept;  // round-robin, for work from outside the runtime
  Scheduler& at(std::size_t i) noexcept { return *schedulers_[i]; }
  std::size_t size() const noexcept { return schedulers_.size(); }

 private:
  void stop_at_exit() noexcept;
  explicit Runtime(int threads);
  std::vector<std::unique_ptr<Scheduler>> schedulers_;
  std::vector<std::thread> threads_;
  std::atomic<std::size_t> next_{0};
};

// Process-wide counters (runtime::stats()).
struct Counters {
  std::atomic<long long> fibers_live{0};
  std::atomic<long long> stalls{0};
};
Counters& counters() noexcept;

}  // namespace httpkit::rt
