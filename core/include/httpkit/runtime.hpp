// The runtime: goroutine-like fibers on per-thread schedulers (DESIGN.md section 3).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

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

// Label is one key/value pair of a fiber's profiler labels (Go's pprof.Label).
struct Label {
  std::string key;
  std::string value;
};

namespace detail {
// LabelNode is the shared, immutable storage behind Labels. Its count is intrusive so
// that a SIGPROF handler can keep a node alive with one atomic increment.
struct LabelNode {
  mutable std::atomic<long> refs{1};
  std::vector<Label> items;  // sorted by key, keys unique; never changed after creation
  void retain() const noexcept { refs.fetch_add(1, std::memory_order_relaxed); }
  void release() const noexcept;
};
}  // namespace detail

// Labels is an immutable, shared set of labels (Go's pprof.LabelSet). Copies share one
// node; a fiber holds a pointer to it, so labelling costs no allocation per switch.
// Thread-safe to copy and read.
class Labels {
 public:
  Labels() = default;
  explicit Labels(std::vector<Label> items);  // later duplicates of a key win
  Labels(const Labels& o) noexcept : node_(o.node_) { if (node_) node_->retain(); }
  Labels(Labels&& o) noexcept : node_(std::exchange(o.node_, nullptr)) {}
  Labels& operator=(Labels o) noexcept { std::swap(node_, o.node_); return *this; }
  ~Labels() { if (node_) node_->release(); }

  // with returns these labels with more added (a key already present takes the new value).
  Labels with(std::span<const Label> more) const;
  std::span<const Label> items() const noexcept;
  std::string_view get(std::string_view key) const noexcept;  // "" when absent
  bool empty() const noexcept { return node_ == nullptr; }
  const detail::LabelNode* node() const noexcept { return node_; }
  // adopt takes over one reference the caller holds (the profiler's samples).
  static Labels adopt(const detail::LabelNode* n) noexcept { Labels l; l.node_ = n; return l; }

 private:
  const detail::LabelNode* node_ = nullptr;
};

// set_fiber_labels labels the calling fiber (pprof.SetGoroutineLabels); fibers started
// with go() inherit their creator's labels. No effect off the runtime's fibers.
void set_fiber_labels(const Labels& labels) noexcept;
// fiber_labels returns the calling fiber's labels (empty off the runtime's fibers).
Labels fiber_labels() noexcept;

// FiberInfo describes one live fiber for dumps (Go's goroutine profile, debug=2 style).
struct FiberInfo {
  std::uint64_t id = 0;
  int scheduler = 0;
  std::string_view state;  // "running", "runnable", "waiting" or "new"
  Duration age{};          // since the fiber was created (coarse clock, ~4 ms)
  std::string site;        // set_fiber_site, e.g. "GET /users/42"
  Labels labels;
};
// fibers returns every live fiber of every scheduler. Each scheduler takes its own
// snapshot on its thread, so fibers pay nothing for being listable; the caller waits.
std::vector<FiberInfo> fibers();

// SampleContext is what a SIGPROF handler may know about the code it interrupted.
struct SampleContext {
  const detail::LabelNode* labels = nullptr;  // retained: the caller must release it
  std::uintptr_t stack_lo = 0;                // the running stack's bounds, [lo, hi);
  std::uintptr_t stack_hi = 0;                // both 0 when unknown (not a runtime thread)
};
// sample_context is async-signal-safe: no locks, no allocation. It describes the fiber
// running on the calling thread, or the scheduler's own stack between fibers.
SampleContext sample_context() noexcept;

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
