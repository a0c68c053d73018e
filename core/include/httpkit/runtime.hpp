// The runtime: goroutine-like fibers on per-thread schedulers (DESIGN.md section 3).
#pragma once

#include <chrono>
#include <functional>
#include <type_traits>
#include <optional>
#include <string_view>
#include <utility>

#include "httpkit/context.hpp"

namespace httpkit {

// go runs fn on a new fiber (Go's `go` statement). Called from a fiber, the new fiber
// runs on the same scheduler thread (fibers never migrate); called from any other
// thread, it goes to one of the schedulers in turn. The runtime starts on first use.
// An exception escaping fn is logged and ends only that fiber.
void go(std::function<void()> fn);

// yield lets the other runnable fibers of this scheduler run first.
void yield();

// sleep_for and sleep_until park the calling fiber (or block the calling thread).
void sleep_for(Duration d);
void sleep_until(TimePoint t);

// in_fiber reports whether the caller runs on a fiber of the runtime.
bool in_fiber() noexcept;

namespace runtime {

// set_threads sets the number of scheduler threads (GOMAXPROCS). It takes effect only
// before the runtime starts (first go(), first server); 0 means one per core, which is
// the default. Returns false if the runtime already runs.
bool set_threads(int n) noexcept;
// threads returns the number of scheduler threads (starting the runtime if needed).
int threads();

// kStallThreshold: a fiber that keeps its scheduler thread longer than this without
// parking stalls every other fiber on that thread; it is logged once per site.
inline constexpr std::chrono::milliseconds kStallThreshold{100};

// set_fiber_site names what the current fiber is doing ("GET /users/{id}") for stall
// reports and fiber dumps. The string is copied (truncated to 95 bytes).
void set_fiber_site(std::string_view site) noexcept;

// Stats a caller can export (metrics middleware, /debug/pprof/fibers).
struct Stats {
  long long fibers_live = 0;    // fibers created and not yet finished
  long long stalls = 0;         // stall reports so far (each over kStallThreshold)
};
Stats stats() noexcept;

}  // namespace runtime

namespace detail {
void run_blocking_impl(std::function<void()> fn);
}

// run_blocking runs fn on a small pool of helper threads while the calling fiber parks,
// so a blocking call (a legacy driver, a large file read) does not stall the scheduler.
// Returns fn's result; an exception thrown by fn is rethrown in the caller.
// Called outside a fiber, it simply calls fn.
template <class F>
auto run_blocking(F&& fn) -> std::invoke_result_t<F> {
  using R = std::invoke_result_t<F>;
  std::exception_ptr error;
  if constexpr (std::is_void_v<R>) {
    detail::run_blocking_impl([&] {
      try { fn(); } catch (...) { error = std::current_exception(); }
    });
    if (error) std::rethrow_exception(error);
  } else {
    std::optional<R> result;
    detail::run_blocking_impl([&] {
      try { result.emplace(fn()); } catch (...) { error = std::current_exception(); }
    });
    if (error) std::rethrow_exception(error);
    return std::move(*result);
  }
}

}  // namespace httpkit
