// Fiber: one goroutine-like thread of execution with its own pooled stack.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include <boost/context/fiber.hpp>
#include <boost/context/stack_context.hpp>

#include "httpkit/context.hpp"
#include "httpkit/runtime.hpp"
#include "runtime/sanitizer.hpp"

namespace httpkit::rt {

class Scheduler;

// Fiber belongs to the scheduler that created it and never migrates. All fields are
// touched only by that scheduler's thread. Fiber objects are pooled by the scheduler.
struct Fiber {
  // entry runs the fiber's work: either fn(arg) (no allocation, for the server's hot
  // path) or func (for go()).
  void (*fn)(void*) = nullptr;
  void* arg = nullptr;
  std::function<void()> func;

  boost::context::fiber ctx;     // this fiber's suspended context while it is not running
  boost::context::fiber caller;  // the scheduler's context while this fiber runs
  boost::context::stack_context stack{};
  san::StackInfo san_stack;      // this fiber's stack, for sanitizer switches
  void* asan_fake_stack = nullptr;

  Scheduler* sched = nullptr;
  bool running = false;          // has a stack and context (from its first resume to its end)
  bool queued = false;           // in the local run queue
  Fiber* next = nullptr;         // run-queue link
  Fiber* live_prev = nullptr;    // the scheduler's list of live fibers (for dumps)
  Fiber* live_next = nullptr;
  // labels: the profiler labels, one reference owned (runtime::set_fiber_labels). Read by
  // this thread's SIGPROF handler, hence the pointer is swapped in one store.
  const runtime::detail::LabelNode* labels = nullptr;
  std::uint64_t id = 0;
  TimePoint started{};

  // site names what the fiber does for stall reports ("GET /users/{id}").
  static constexpr std::size_t kSiteCap = 96;
  char site[kSiteCap] = {};
  std::uint8_t site_len = 0;

  std::string_view site_view() const noexcept { return {site, site_len}; }
  void set_site(std::string_view s) noexcept;
  // set_labels retains n, publishes it, then releases the old set: a signal arriving in
  // between sees one set or the other, both alive.
  void set_labels(const runtime::detail::LabelNode* n) noexcept;

  // suspend switches back to the scheduler; returns when the fiber is resumed.
  void suspend() noexcept;
};

// current_fiber returns the fiber running on this thread, or nullptr on a plain thread
// or on the scheduler's own stack.
Fiber* current_fiber() noexcept;

}  // namespace httpkit::rt
