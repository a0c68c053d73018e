// labels middleware and pprof::with_labels: fiber labels for the CPU profiler.
#include "httpkit/middleware/labels.hpp"

#include <array>

#include "httpkit/middleware/pprof.hpp"

namespace httpkit {
namespace {

// kLabelsKey: the context key (its address) of with_labels' label set.
constexpr char kLabelsKey = 0;

// RestoreLabels puts the fiber's previous labels back when a scope ends, also when it
// ends by an exception.
struct RestoreLabels {
  runtime::Labels previous = runtime::fiber_labels();
  ~RestoreLabels() { runtime::set_fiber_labels(previous); }
};

// route_labels returns the label set for (method, pattern) from a small per-thread
// cache, so a request allocates nothing once its route has been seen on this thread.
// Entries are compared by content: a reused pattern address cannot mislabel.
const runtime::Labels& route_labels(std::string_view method, std::string_view pattern) {
  struct Entry {
    runtime::Labels labels;
  };
  thread_local std::array<Entry, 64> cache;
  const std::size_t h = std::hash<std::string_view>{}(pattern) * 31 + std::hash<std::string_view>{}(method);
  Entry& e = cache[h % cache.size()];
  if (!e.labels.empty() && e.labels.get("method") == method && e.labels.get("route") == pattern) return e.labels;
  std::vector<runtime::Label> items{{"method", std::string(method)}};
  if (!pattern.empty()) items.push_back({"route", std::string(pattern)});
  e.labels = runtime::Labels(std::move(items));
  return e.labels;
}

}  // namespace

namespace middleware {

Middleware labels() {
  return [](Handler next) -> Handler {
    return [next = std::move(next)](ResponseWriter& w, Request& r) {
      RestoreLabels restore;
      const runtime::Labels& mine = route_labels(r.method(), r.pattern());
      runtime::set_fiber_labels(restore.previous.empty() ? mine : restore.previous.with(mine.items()));
      next(w, r);
    };
  };
}

}  // namespace middleware

namespace pprof {

runtime::Labels labels_of(const Context& ctx) {
  const auto* l = ctx.value_as<runtime::Labels>(&kLabelsKey);
  return l ? *l : runtime::Labels();
}

// Go's pprof.Do: the new set extends the context's labels; the fiber wears it while fn runs.
void with_labels_impl(const Context& ctx, std::initializer_list<runtime::Label> labels,
                      const std::function<void(const Context&)>& fn) {
  runtime::Labels base = labels_of(ctx);
  if (base.empty()) base = runtime::fiber_labels();
  runtime::Labels set = base.with(std::span<const runtime::Label>(labels.begin(), labels.size()));
  Context inner = with_value(ctx, &kLabelsKey, set);
  RestoreLabels restore;
  runtime::set_fiber_labels(set);
  fn(inner);
}

}  // namespace pprof
}  // namespace httpkit
