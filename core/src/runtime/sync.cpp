// CondVar, Mutex, Event and WaitGroup: every fiber-aware primitive is a std::mutex for
// short critical sections plus CondVar, whose waits park through rt::Waiter.
#include <stdexcept>

#include "httpkit/cond_var.hpp"
#include "httpkit/event.hpp"
#include "httpkit/mutex.hpp"
#include "httpkit/wait_group.hpp"
#include "runtime/waiter.hpp"

namespace httpkit {
namespace {

using rt::Waiter;

void push_back(void*& head, void*& tail, Waiter* w) noexcept {
  w->next = nullptr;
  w->prev = static_cast<Waiter*>(tail);
  if (tail) {
    static_cast<Waiter*>(tail)->next = w;
  } else {
    head = w;
  }
  tail = w;
  w->queued = true;
}

void unlink(void*& head, void*& tail, Waiter* w) noexcept {
  if (w->prev) w->prev->next = w->next; else head = w->next;
  if (w->next) w->next->prev = w->prev; else tail = w->prev;
  w->next = w->prev = nullptr;
  w->queued = false;
}

}  // namespace

bool CondVar::wait_until(std::unique_lock<std::mutex>& lock, TimePoint deadline) {
  Waiter w;
  push_back(head_, tail_, &w);
  lock.unlock();
  const bool notified = w.wait_until(deadline);
  lock.lock();
  if (w.queued) unlink(head_, tail_, &w);  // timed out: take ourselves off the list
  return notified;
}

void CondVar::notify_one() noexcept {
  // A waiter whose deadline just passed is still queued until it retakes the mutex; its
  // notify() fails, and the wake must go to the next waiter instead of being lost.
  while (auto* w = static_cast<Waiter*>(head_)) {
    unlink(head_, tail_, w);
    if (w->notify()) return;
  }
}

void CondVar::notify_all() noexcept {
  while (head_) notify_one();
}

void Mutex::lock() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !locked_; });
  locked_ = true;
}

bool Mutex::try_lock() {
  std::lock_guard lock(mu_);
  if (locked_) return false;
  locked_ = true;
  return true;
}

void Mutex::unlock() {
  std::lock_guard lock(mu_);
  locked_ = false;
  cv_.notify_one();
}

void Event::set() {
  std::lock_guard lock(mu_);
  set_ = true;
  cv_.notify_all();
}

void Event::reset() {
  std::lock_guard lock(mu_);
  set_ = false;
}

bool Event::is_set() const {
  std::lock_guard lock(mu_);
  return set_;
}

void Event::wait() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return set_; });
}

bool Event::wait_until(TimePoint deadline) {
  std::unique_lock lock(mu_);
  return cv_.wait_until(lock, deadline, [&] { return set_; });
}

void WaitGroup::add(int n) {
  std::lock_guard lock(mu_);
  count_ += n;
  if (count_ < 0) throw std::logic_error("httpkit: negative WaitGroup counter");
  if (count_ == 0) cv_.notify_all();
}

void WaitGroup::wait() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return count_ == 0; });
}

}  // namespace httpkit
