// Channel<T>: a bounded, closable FIFO between fibers and threads (Go's chan T).
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

#include "httpkit/cond_var.hpp"
#include "httpkit/error.hpp"

namespace httpkit {

// Channel holds at most capacity values (capacity >= 1). send blocks while it is full,
// recv while it is empty. After close(): send fails with errc::closed (Go panics; we
// return the error), recv drains what is left and then returns std::nullopt.
// Thread-safe; blocked fibers park.
template <class T>
class Channel {
 public:
  explicit Channel(std::size_t capacity) : capacity_(capacity) {
    if (capacity == 0) throw std::invalid_argument("httpkit: Channel capacity must be at least 1");
  }
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  std::error_code send(T value) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
    if (closed_) return errc::closed;
    items_.push_back(std::move(value));
    not_empty_.notify_one();
    return {};
  }

  // try_send never blocks: errc::timeout when full, errc::closed when closed.
  std::error_code try_send(T value) {
    std::lock_guard lock(mu_);
    if (closed_) return errc::closed;
    if (items_.size() >= capacity_) return errc::timeout;
    items_.push_back(std::move(value));
    not_empty_.notify_one();
    return {};
  }

  std::optional<T> recv() { return recv_until(TimePoint::max()); }

  // recv_until gives up at deadline (std::nullopt, with closed() still false).
  std::optional<T> recv_until(TimePoint deadline) {
    std::unique_lock lock(mu_);
    if (!not_empty_.wait_until(lock, deadline, [&] { return closed_ || !items_.empty(); })) return std::nullopt;
    if (items_.empty()) return std::nullopt;
    T value = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return value;
  }

  void close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }
  bool closed() const {
    std::lock_guard lock(mu_);
    return closed_;
  }
  std::size_t size() const {
    std::lock_guard lock(mu_);
    return items_.size();
  }

 private:
  const std::size_t capacity_;
  mutable std::mutex mu_;
  CondVar not_empty_;
  CondVar not_full_;
  std::deque<T> items_;  // guarded by mu_
  bool closed_ = false;  // guarded by mu_
};

}  // namespace httpkit
