#include "runtime/scheduler.hpp"

#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <system_error>
#include <utility>

#include <spdlog/spdlog.h>

#include "httpkit/runtime.hpp"
#include "runtime/waiter.hpp"

namespace httpkit::rt {
namespace {

thread_local Scheduler* tls_scheduler = nullptr;

// kMaxEvents: events taken per epoll_wait; more simply wait for the next round.
constexpr int kMaxEvents = 256;
// kPollEvery: how many fibers run before the netpoller is checked again, so a busy run
// queue cannot starve I/O and timers (Go checks netpoll every 61 schedticks).
constexpr int kPollEvery = 61;

// coarse_now is cheap (no syscall, ~4 ms resolution): enough to catch a 100 ms stall
// on every switch without paying for a precise clock twice per switch.
TimePoint coarse_now() noexcept {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return TimePoint(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
}

void fiber_main(Fiber* f) {
  try {
    if (f->fn) {
      f->fn(f->arg);
    } else {
      f->func();
    }
  } catch (const std::exception& e) {
    spdlog::error("httpkit: fiber {} ended by an uncaught exception: {}", f->id, e.what());
  } catch (...) {
    spdlog::error("httpkit: fiber {} ended by an uncaught exception", f->id);
  }
}

}  // namespace

Counters& counters() noexcept {
  static Counters* c = new Counters();  // leaked: scheduler threads may count during exit
  return *c;
}

Scheduler* Scheduler::current() noexcept { return tls_scheduler; }

Fiber* current_fiber() noexcept {
  Scheduler* s = tls_scheduler;
  return s ? s->running() : nullptr;
}

void Fiber::set_site(std::string_view s) noexcept {
  site_len = static_cast<std::uint8_t>(std::min(s.size(), kSiteCap - 1));
  std::memcpy(site, s.data(), site_len);
}

void Fiber::set_labels(const runtime::detail::LabelNode* n) noexcept {
  if (n) n->retain();
  const runtime::detail::LabelNode* old = labels;
  labels = n;
  std::atomic_signal_fence(std::memory_order_seq_cst);  // published before old is released
  if (old) old->release();
}

void Fiber::suspend() noexcept {
  san::start_switch(&asan_fake_stack, sched->main_stack());
  caller = std::move(caller).resume();
  san::finish_switch(asan_fake_stack, &sched->main_stack());
}

Scheduler::Scheduler(int index) : index_(index) {
  epfd_ = ::epoll_create1(EPOLL_CLOEXEC);
  eventfd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epfd_ < 0 || eventfd_ < 0) throw std::system_error(errno, std::system_category(), "httpkit: scheduler");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;  // nullptr marks the wake-up eventfd
  ::epoll_ctl(epfd_, EPOLL_CTL_ADD, eventfd_, &ev);
}

Scheduler::~Scheduler() {
  ::close(epfd_);
  ::close(eventfd_);
}

Fiber* Scheduler::spawn(void (*fn)(void*), void* arg) {
  Fiber* f = nullptr;
  if (!fiber_pool_.empty()) {
    f = fiber_pool_.back().release();
    fiber_pool_.pop_back();
  } else {
    f = new Fiber();
  }
  f->fn = fn;
  f->arg = arg;
  f->sched = this;
  f->id = ++next_fiber_id_ * 1024 + static_cast<std::uint64_t>(index_);
  f->started = clock_;
  f->site_len = 0;
  counters().fibers_live.fetch_add(1, std::memory_order_relaxed);
  link_live(f);
  push_local(f);
  return f;
}

// spawn for go(): the new fiber inherits its creator's labels, as goroutines do.
Fiber* Scheduler::spawn(std::function<void()> func) {
  Fiber* f = spawn(nullptr, nullptr);
  f->func = std::move(func);
  if (Fiber* creator = running_) f->set_labels(creator->labels);
  return f;
}

void Scheduler::link_live(Fiber* f) noexcept {
  f->live_prev = nullptr;
  f->live_next = live_head_;
  if (live_head_) live_head_->live_prev = f;
  live_head_ = f;
}

void Scheduler::unlink_live(Fiber* f) noexcept {
  if (f->live_prev) {
    f->live_prev->live_next = f->live_next;
  } else {
    live_head_ = f->live_next;
  }
  if (f->live_next) f->live_next->live_prev = f->live_prev;
  f->live_prev = f->live_next = nullptr;
}

void Scheduler::snapshot(std::vector<runtime::FiberInfo>& out) const {
  const TimePoint now = coarse_now();
  for (const Fiber* f = live_head_; f; f = f->live_next) {
    runtime::FiberInfo& info = out.emplace_back();
    info.id = f->id;
    info.scheduler = index_;
    info.state = f == running_ ? "running" : f->queued ? "runnable" : f->running ? "waiting" : "new";
    info.age = now - f->started;
    info.site.assign(f->site_view());
    if (f->labels) {
      f->labels->retain();
      info.labels = runtime::Labels::adopt(f->labels);
    }
  }
}

void Scheduler::recycle(Fiber* f) noexcept {
  counters().fibers_live.fetch_sub(1, std::memory_order_relaxed);
  unlink_live(f);
  f->set_labels(nullptr);
  san::tsan_destroy(f->san_stack.tsan_fiber);
  f->running = false;
  f->func = nullptr;
  pool_object(f);
}

// pool_object keeps an ended or never started fiber's object (no stack, no context)
// for the next spawn.
void Scheduler::pool_object(Fiber* f) noexcept {
  f->fn = nullptr;
  f->next = nullptr;
  if (fiber_pool_.size() < kMaxPooledStacks) {
    fiber_pool_.emplace_back(f);
  } else {
    delete f;
  }
}

// park_finished keeps a fiber whose work is done, stack and context included, for the
// next fiber to run (adopt_parked): that one then costs a switch instead of a context
// built and torn down (an HTTP/1 connection spawns a fiber per request that arrives
// after it idled, an HTTP/2 connection one per stream). Parked fibers and pooled
// stacks share the bound of kMaxPooledStacks. False: the fiber ends instead.
bool Scheduler::park_finished(Fiber* f) noexcept {
  if (finished_.size() + stacks_.pooled() >= kMaxPooledStacks || stop_requested_.load(std::memory_order_relaxed)) {
    return false;
  }
  counters().fibers_live.fetch_sub(1, std::memory_order_relaxed);
  unlink_live(f);
  f->set_labels(nullptr);
  f->func = nullptr;
  f->fn = nullptr;
  finished_.push_back(f);
  stacks_.set_parked(finished_.size());
  f->suspend();  // until adopt_parked hands it new work
  return true;
}

void Scheduler::push_local(Fiber* f) noexcept {
  f->next = nullptr;
  f->queued = true;
  if (run_tail_) {
    run_tail_->next = f;
  } else {
    run_head_ = f;
  }
  run_tail_ = f;
}

Fiber* Scheduler::pop_local() noexcept {
  Fiber* f = run_head_;
  if (f) {
    run_head_ = f->next;
    if (!run_head_) run_tail_ = nullptr;
    f->next = nullptr;
    f->queued = false;
  }
  return f;
}

void Scheduler::ready(Fiber* f) {
  if (tls_scheduler == this) {
    push_local(f);
    return;
  }
  {
    std::lock_guard lock(remote_mu_);
    remote_ready_.push_back(f);
  }
  if (sleeping_.load(std::memory_order_acquire)) {
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(eventfd_, &one, sizeof one);
  }
}

void Scheduler::post(std::function<void()> fn) {
  {
    std::lock_guard lock(remote_mu_);
    remote_posts_.push_back(std::move(fn));
  }
  std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(eventfd_, &one, sizeof one);
}

void Scheduler::stop() {
  stop_requested_.store(true);
  std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(eventfd_, &one, sizeof one);
}

void Scheduler::drain_remote() {
  std::vector<Fiber*> ready;
  std::vector<std::function<void()>> posts;
  {
    std::lock_guard lock(remote_mu_);
    if (remote_ready_.empty() && remote_posts_.empty()) return;
    ready.swap(remote_ready_);
    posts.swap(remote_posts_);
  }
  for (Fiber* f : ready) push_local(f);
  for (auto& fn : posts) spawn(std::move(fn));
}

void Scheduler::fire_timers() {
  if (timers_.empty()) return;
  const TimePoint now = Clock::now();
  while (Timer* t = timers_.pop_expired(now)) t->fire(t);
}

void Scheduler::poll_add(PollDesc& pd, bool exclusive) {
  pd.sched = this;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  if (exclusive) ev.events = EPOLLIN | EPOLLEXCLUSIVE;  // a shared listening socket: wake one scheduler
  ev.data.ptr = &pd;
  if (::epoll_ctl(epfd_, EPOLL_CTL_ADD, pd.fd, &ev) != 0) {
    throw std::system_error(errno, std::system_category(), "httpkit: epoll_ctl");
  }
}

void Scheduler::poll_remove(PollDesc& pd) noexcept {
  ::epoll_ctl(epfd_, EPOLL_CTL_DEL, pd.fd, nullptr);
}

void Scheduler::poll(bool block) {
  int timeout_ms = 0;
  if (block) {
    timeout_ms = -1;
    if (!timers_.empty()) {
      auto wait = std::chrono::ceil<std::chrono::milliseconds>(timers_.next() - Clock::now());
      timeout_ms = static_cast<int>(std::clamp<long long>(wait.count(), 0, 60'000));
    }
    sleeping_.store(true, std::memory_order_seq_cst);
    // A remote ready() that raced with the store above found sleeping_ false and did not
    // write the eventfd: look at the queue once more before sleeping.
    {
      std::lock_guard lock(remote_mu_);
      if (!remote_ready_.empty() || !remote_posts_.empty()) timeout_ms = 0;
    }
  }
  epoll_event events[kMaxEvents];
  int n = ::epoll_wait(epfd_, events, kMaxEvents, timeout_ms);
  sleeping_.store(false, std::memory_order_relaxed);
  clock_ = coarse_now();  // the wait may have been long: fibers spawned below start now
  for (int i = 0; i < n; ++i) {
    auto* pd = static_cast<PollDesc*>(events[i].data.ptr);
    const std::uint32_t ev = events[i].events;
    if (pd == nullptr) {
      std::uint64_t v;
      [[maybe_unused]] auto r = ::read(eventfd_, &v, sizeof v);
      continue;
    }
    // Read and write sides are dispatched separately: an input edge that arrives while a
    // fiber waits to write must still reach notify, or it would be lost (edge-triggered).
    // Writability nobody waits for is of no interest.
    if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP)) {
      if (pd->reader) {
        pd->reader->notify();
      } else if (pd->notify) {
        pd->notify(pd, ev);
      }
    }
    if ((ev & (EPOLLOUT | EPOLLERR | EPOLLHUP)) && pd->writer) pd->writer->notify();
  }
}

// start gives a fiber its stack and context on its first run, not at spawn: a burst of
// spawned fibers that finish one by one then needs one pooled stack, not one each.
void Scheduler::start(Fiber* f) {
  f->stack = stacks_.allocate();
  f->san_stack.bottom = static_cast<char*>(f->stack.sp) - f->stack.size;
  f->san_stack.size = f->stack.size;
  f->san_stack.tsan_fiber = san::tsan_create();
  f->ctx = boost::context::fiber(
      std::allocator_arg, boost::context::preallocated(f->stack.sp, f->stack.size, f->stack),
      PooledStackAllocator(stacks_), [f](boost::context::fiber&& caller) {
        f->caller = std::move(caller);
        san::finish_switch(nullptr, &f->sched->main_stack());
        do {
          fiber_main(f);
        } while (f->sched->park_finished(f));
        san::start_final_switch(f->sched->main_stack());  // this fiber's stack dies
        return std::move(f->caller);
      });
  f->running = true;
}

// adopt_parked hands a new fiber's work to a parked one (park_finished) at its first
// run, not at spawn: like a stack taken at first run (start), a burst of spawned
// fibers that finish one by one then keeps one parked fiber busy, not one each. The
// parked fiber becomes the new one (id, labels, place in the live list); the new
// one's object goes back to the pool.
Fiber* Scheduler::adopt_parked(Fiber* fresh) noexcept {
  Fiber* f = finished_.back();
  finished_.pop_back();
  stacks_.set_parked(finished_.size());
  f->fn = fresh->fn;
  f->arg = fresh->arg;
  f->func = std::move(fresh->func);
  f->id = fresh->id;
  f->started = fresh->started;
  f->site_len = fresh->site_len;
  std::memcpy(f->site, fresh->site, fresh->site_len);
  f->labels = std::exchange(fresh->labels, nullptr);  // the reference moves with them
  unlink_live(fresh);
  link_live(f);
  pool_object(fresh);
  return f;
}

void Scheduler::resume(Fiber* f) {
  if (!f->running) {
    if (finished_.empty()) {
      start(f);
    } else {
      f = adopt_parked(f);  // started already: this resume runs the new work
    }
  }
  running_ = f;
  const TimePoint start = clock_;
  void* fake = nullptr;
  san::start_switch(&fake, f->san_stack);
  f->ctx = std::move(f->ctx).resume();
  san::finish_switch(fake, nullptr);
  if (!f->ctx) san::tsan_switch_back(main_stack_);  // the fiber finished: see start_final_switch
  running_ = nullptr;
  clock_ = coarse_now();
  const auto held = std::chrono::duration_cast<std::chrono::milliseconds>(clock_ - start);
  if (held > runtime::kStallThreshold) report_stall(f, held);
  if (!f->ctx) recycle(f);
}

void Scheduler::report_stall(Fiber* f, std::chrono::milliseconds held) {
  counters().stalls.fetch_add(1, std::memory_order_relaxed);
  static auto* mu = new std::mutex();  // leaked, like the threads that use it
  static auto* reported = new std::set<std::string>();  // guarded by *mu; sites are few (routes)
  std::string site(f->site_view().empty() ? "(unnamed fiber)" : f->site_view());
  {
    std::lock_guard lock(*mu);
    if (!reported->insert(site).second) return;
  }
  spdlog::warn("httpkit: {} held scheduler thread {} for {} ms without parking; every other "
               "connection on that thread waited (use run_blocking for blocking calls)",
               site, index_, held.count());
}

void Scheduler::run() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void* addr = nullptr;
    std::size_t size = 0;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
      thread_stack_lo_ = reinterpret_cast<std::uintptr_t>(addr);
      thread_stack_hi_ = thread_stack_lo_ + size;
    }
    pthread_attr_destroy(&attr);
  }
  tls_scheduler = this;
  main_stack_.tsan_fiber = san::tsan_current();
  clock_ = coarse_now();
  while (!stop_requested_.load(std::memory_order_relaxed)) {
    int budget = kPollEvery;
    while (budget-- > 0) {
      Fiber* f = pop_local();
      if (!f) break;
      resume(f);
    }
    drain_remote();
    fire_timers();
    poll(/*block=*/run_head_ == nullptr);
    fire_timers();
  }
  tls_scheduler = nullptr;
}

Runtime::Runtime(int threads) {
  // Construct spdlog's registry before registering stop_at_exit, so that at exit the
  // schedulers stop before the logger they may still use is destroyed.
  spdlog::default_logger_raw();
  for (int i = 0; i < threads; ++i) schedulers_.push_back(std::make_unique<Scheduler>(i));
  for (int i = 0; i < threads; ++i) threads_.emplace_back([s = schedulers_[i].get()] { s->run(); });
  std::atexit([] { Runtime::get().stop_at_exit(); });
}

// stop_at_exit ends the scheduler loops when the process exits, as Go's runtime does
// when main returns: fibers still parked are abandoned, never resumed. Static objects
// are destroyed after this, with no scheduler thread left to touch them.
void Runtime::stop_at_exit() noexcept {
  for (auto& s : schedulers_) s->stop();
  for (auto& t : threads_) {
    if (t.get_id() != std::this_thread::get_id()) {
      t.join();
    } else {
      t.detach();  // exit() called from a fiber: this thread cannot wait for itself
    }
  }
}

Scheduler& Runtime::pick() noexcept {
  return *schedulers_[next_.fetch_add(1, std::memory_order_relaxed) % schedulers_.size()];
}

}  // namespace httpkit::rt
