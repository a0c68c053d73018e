// Fiber labels (Go's runtime/pprof labels), live-fiber dumps and the profiler's view of
// the running fiber.
#include <algorithm>
#include <memory>

#include "httpkit/runtime.hpp"
#include "httpkit/wait_group.hpp"
#include "runtime/scheduler.hpp"

namespace httpkit::runtime {
namespace detail {

void LabelNode::release() const noexcept {
  if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

}  // namespace detail

namespace {

// normalize sorts by key and keeps the last value given for a key (Go's LabelSet is a
// sorted list with unique keys; pprof.Labels' later pairs win).
std::vector<Label> normalize(std::vector<Label> items) {
  std::stable_sort(items.begin(), items.end(), [](const Label& a, const Label& b) { return a.key < b.key; });
  std::vector<Label> out;
  out.reserve(items.size());
  for (auto& l : items) {
    if (!out.empty() && out.back().key == l.key) {
      out.back().value = std::move(l.value);
    } else {
      out.push_back(std::move(l));
    }
  }
  return out;
}

}  // namespace

Labels::Labels(std::vector<Label> items) {
  if (items.empty()) return;
  auto* n = new detail::LabelNode();
  n->items = normalize(std::move(items));
  node_ = n;
}

Labels Labels::with(std::span<const Label> more) const {
  std::vector<Label> all(items().begin(), items().end());
  all.insert(all.end(), more.begin(), more.end());
  return Labels(std::move(all));
}

std::span<const Label> Labels::items() const noexcept {
  if (!node_) return {};
  return node_->items;
}

std::string_view Labels::get(std::string_view key) const noexcept {
  for (const Label& l : items()) {
    if (l.key == key) return l.value;
  }
  return {};
}

void set_fiber_labels(const Labels& labels) noexcept {
  if (rt::Fiber* f = rt::current_fiber()) f->set_labels(labels.node());
}

Labels fiber_labels() noexcept {
  rt::Fiber* f = rt::current_fiber();
  if (!f || !f->labels) return {};
  f->labels->retain();
  return Labels::adopt(f->labels);
}

std::vector<FiberInfo> fibers() {
  rt::Runtime& runtime = rt::Runtime::get();
  std::vector<std::vector<FiberInfo>> parts(runtime.size());
  WaitGroup wg;
  wg.add(static_cast<int>(runtime.size()));
  for (std::size_t i = 0; i < runtime.size(); ++i) {
    rt::Scheduler& s = runtime.at(i);
    s.post([&s, &part = parts[i], &wg] {
      s.snapshot(part);
      wg.done();
    });
  }
  wg.wait();
  std::vector<FiberInfo> all;
  for (auto& p : parts) std::move(p.begin(), p.end(), std::back_inserter(all));
  return all;
}

// sample_context reads only this thread's scheduler and its running fiber, which the
// interrupted code cannot be changing concurrently (the signal runs on that thread);
// Fiber::set_labels publishes a retained node before releasing the old one.
SampleContext sample_context() noexcept {
  rt::Scheduler* s = rt::Scheduler::current();
  if (!s) return {};
  rt::Fiber* f = s->running();
  if (!f) return {nullptr, s->thread_stack_lo(), s->thread_stack_hi()};
  const detail::LabelNode* n = f->labels;
  if (n) n->retain();
  const auto hi = reinterpret_cast<std::uintptr_t>(f->stack.sp);
  return {n, hi - f->stack.size, hi};
}

}  // namespace httpkit::runtime
