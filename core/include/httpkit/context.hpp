// Context: cancellation with a reason, deadlines and request-scoped values (Go's context).
#pragma once

#include <any>
#include <cstdint>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <system_error>
#include <utility>

namespace httpkit {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = std::chrono::nanoseconds;

class Context;
class CancelFunc;
class AfterFuncHandle;
namespace detail {
struct ContextNode;
// renew_context makes a cancelled context from with_cancel live again, if nobody but
// ctx and cancel holds it and its parent is still live; the server reuses request
// contexts this way so that a request costs no allocation. Returns false otherwise.
bool renew_context(Context& ctx, CancelFunc& cancel) noexcept;
// end_context is the server's cancel(reason) for a context it will renew: it skips the
// cancellation when nobody could observe it (only ctx and cancel hold the context and
// no child, waiter or after-func was registered on it).
void end_context(Context& ctx, CancelFunc& cancel, std::error_code reason);
}  // namespace detail

// Context carries a cancellation signal, an optional deadline and values across API
// boundaries. It is a cheap, copyable, thread-safe handle: cancellation may come from
// any thread and wakes fibers and threads waiting on it. Children are cancelled with
// their parents, never the reverse.
class Context {
 public:
  // A default-constructed Context is background(): never cancelled, no deadline.
  Context() = default;
  static Context background() { return {}; }

  // err is empty while the context is live, then the reason it ended: errc::canceled,
  // errc::deadline_exceeded, or the cause given to cancel (e.g. client_disconnected).
  std::error_code err() const;
  bool done() const { return static_cast<bool>(err()); }
  std::optional<TimePoint> deadline() const;
  // value returns the nearest value stored under key, or nullptr.
  const std::any* value(const void* key) const;
  template <class T>
  const T* value_as(const void* key) const {
    const std::any* v = value(key);
    return v ? std::any_cast<T>(v) : nullptr;
  }

  // wait blocks the calling fiber (or thread) until the context ends.
  void wait() const;
  // wait_until blocks until the context ends or t passes; returns done().
  bool wait_until(TimePoint t) const;

 private:
  friend class CancelFunc;
  friend class AfterFuncHandle;
  friend bool detail::renew_context(Context&, CancelFunc&) noexcept;
  friend void detail::end_context(Context&, CancelFunc&, std::error_code);
  friend std::pair<Context, CancelFunc> with_cancel(const Context&);
  friend std::pair<Context, CancelFunc> with_deadline(const Context&, TimePoint);
  friend Context with_value(const Context&, const void*, std::any);
  friend Context without_cancel(const Context&);
  friend AfterFuncHandle after_func(const Context&, std::function<void()>);
  explicit Context(std::shared_ptr<detail::ContextNode> node) : node_(std::move(node)) {}
  std::shared_ptr<detail::ContextNode> node_;
};

// CancelFunc ends its context (and every child) with a reason; calls after the first
// do nothing. Thread-safe.
class CancelFunc {
 public:
  CancelFunc() = default;
  void operator()(std::error_code reason = {}) const;

 private:
  friend std::pair<Context, CancelFunc> with_cancel(const Context&);
  friend std::pair<Context, CancelFunc> with_deadline(const Context&, TimePoint);
  friend bool detail::renew_context(Context&, CancelFunc&) noexcept;
  friend void detail::end_context(Context&, CancelFunc&, std::error_code);
  explicit CancelFunc(std::shared_ptr<detail::ContextNode> n) : node_(std::move(n)) {}
  std::shared_ptr<detail::ContextNode> node_;
};

// AfterFuncHandle::stop unregisters the callback; true if it had not run yet.
class AfterFuncHandle {
 public:
  AfterFuncHandle() = default;
  bool stop();

 private:
  friend AfterFuncHandle after_func(const Context&, std::function<void()>);
  std::shared_ptr<detail::ContextNode> node_;
  std::uint64_t id_ = 0;
};

std::pair<Context, CancelFunc> with_cancel(const Context& parent);
// with_deadline ends the context at t with errc::deadline_exceeded (or earlier with its parent).
std::pair<Context, CancelFunc> with_deadline(const Context& parent, TimePoint t);
inline std::pair<Context, CancelFunc> with_timeout(const Context& parent, Duration d) {
  return with_deadline(parent, Clock::now() + d);
}
Context with_value(const Context& parent, const void* key, std::any value);
// without_cancel keeps parent's values but is never cancelled (context.WithoutCancel).
Context without_cancel(const Context& parent);
// after_func runs fn on its own fiber once ctx ends (context.AfterFunc); at once if it
// has ended already, never for a context that cannot be cancelled.
AfterFuncHandle after_func(const Context& ctx, std::function<void()> fn);

}  // namespace httpkit
