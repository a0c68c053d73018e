#include "runtime/waiter.hpp"

#include "runtime/scheduler.hpp"

namespace httpkit::rt {

Waiter::Waiter() noexcept : fiber_(current_fiber()) {
  timer_.fire = &Waiter::on_timer;
  timer_.arg = this;
}

bool Waiter::notify() noexcept {
  Fiber* f = fiber_;
  if (f == nullptr) {
    std::lock_guard lock(mu_);
    int expected = kWaiting;
    if (!state_.compare_exchange_strong(expected, kNotified)) return false;
    cv_.notify_one();
    return true;
  }
  int expected = kWaiting;
  if (!state_.compare_exchange_strong(expected, kNotified, std::memory_order_acq_rel)) return false;
  f->sched->ready(f);
  return true;
}

void Waiter::on_timer(Timer* t) noexcept {
  auto* w = static_cast<Waiter*>(t->arg);
  int expected = kWaiting;
  if (w->state_.compare_exchange_strong(expected, kTimedOut, std::memory_order_acq_rel)) {
    w->fiber_->sched->ready(w->fiber_);
  }
}

bool Waiter::wait_until(TimePoint deadline) {
  if (fiber_ == nullptr) return wait_thread(deadline);
  Scheduler* s = fiber_->sched;
  if (deadline != TimePoint::max()) {
    if (deadline <= Clock::now()) {
      int expected = kWaiting;
      if (state_.compare_exchange_strong(expected, kTimedOut)) return false;
      // A notify won the race and enqueued this fiber: park once to consume that wake.
    } else {
      s->arm(timer_, deadline);
    }
  }
  fiber_->suspend();
  s->cancel(timer_);
  return state_.load(std::memory_order_acquire) == kNotified;
}

bool Waiter::wait_thread(TimePoint deadline) {
  std::unique_lock lock(mu_);
  auto woken = [&] { return state_.load() != kWaiting; };
  if (deadline == TimePoint::max()) {
    cv_.wait(lock, woken);
  } else if (!cv_.wait_until(lock, deadline, woken)) {
    int expected = kWaiting;
    state_.compare_exchange_strong(expected, kTimedOut);
  }
  return state_.load() == kNotified;
}

}  // namespace httpkit::rt
