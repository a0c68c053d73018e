// The public runtime API (httpkit/runtime.hpp) over the schedulers.
#include "httpkit/runtime.hpp"

#include <atomic>
#include <thread>

#include "runtime/blocking_pool.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/waiter.hpp"

namespace httpkit {
namespace {

std::atomic<int> configured_threads{0};
std::atomic<bool> started{false};

}  // namespace

namespace rt {

Runtime& Runtime::get() {
  // Leaked on purpose: scheduler threads run until the process exits.
  static Runtime* runtime = [] {
    started.store(true);
    int n = configured_threads.load();
    if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return new Runtime(n);
  }();
  return *runtime;
}

}  // namespace rt

void go(std::function<void()> fn) {
  if (auto* s = rt::Scheduler::current()) {
    s->spawn(std::move(fn));
    return;
  }
  rt::Runtime::get().pick().post(std::move(fn));
}

void yield() {
  rt::Fiber* f = rt::current_fiber();
  if (!f) {
    std::this_thread::yield();
    return;
  }
  f->sched->ready(f);
  f->suspend();
}

void sleep_until(TimePoint t) {
  rt::Waiter w;
  w.wait_until(t);
}

void sleep_for(Duration d) { sleep_until(Clock::now() + d); }

bool in_fiber() noexcept { return rt::current_fiber() != nullptr; }

namespace runtime {

bool set_threads(int n) noexcept {
  if (started.load()) return false;
  configured_threads.store(n);
  return true;
}

int threads() { return static_cast<int>(rt::Runtime::get().size()); }

void set_fiber_site(std::string_view site) noexcept {
  if (rt::Fiber* f = rt::current_fiber()) f->set_site(site);
}

Stats stats() noexcept {
  return {rt::counters().fibers_live.load(), rt::counters().stalls.load()};
}

}  // namespace runtime

namespace detail {

void run_blocking_impl(std::function<void()> fn) {
  if (!in_fiber()) {
    fn();
    return;
  }
  rt::Waiter w;
  rt::BlockingPool::get().submit([&] {
    fn();
    w.notify();
  });
  w.wait_until();
}

}  // namespace detail
}  // namespace httpkit
