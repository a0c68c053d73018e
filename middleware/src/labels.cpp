// labels middleware and pprof::with_labels: fiber labels for the CPU profiler.
#include "httpkit/middleware/labels.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

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
    std::string method;
    std::string pattern;
    runtime::Labels labels;
  };
  thread_local std::array<Entry, 64> cache;
  // A mux's patterns have stable addresses, so the address is a cheap hash; equal
  // patterns at other addresses only miss the cache.
  const std::size_t h = (reinterpret_cast<std::uintptr_t>(pattern.data()) >> 3) ^ pattern.size() * 31 ^
                        method.size() * 7 ^ static_cast<unsigned char>(method.empty() ? 0 : method[0]);
  Entry& e = cache[h % cache.size()];
  if (!e.labels.empty() && e.method == method && e.pattern == pattern) return e.labels;
  std::vector<runtime::Label> items{{"method", std::string(method)}};
  if (!pattern.empty()) items.push_back({"route", std::string(pattern)});
  e.labels = runtime::Labels(std::move(items));
  e.method = method;
  e.pattern = pattern;
  return e.labels;
}

// set_route_site names the fiber "METHOD pattern" for stall reports and fiber dumps,
// with the pattern's own method left out ("GET /burn" serving HEAD is "HEAD /burn").
// Formatted on the stack: set_fiber_site copies it.
void set_route_site(std::string_view method, std::string_view pattern) noexcept {
  if (const std::size_t sp = pattern.find(' '); sp != std::string_view::npos) pattern.remove_prefix(sp + 1);
  char site[96];
  std::size_t n = 0;
  for (std::string_view part : {method, std::string_view(" "), pattern}) {
    const std::size_t k = std::min(part.size(), sizeof site - n);
    std::copy_n(part.data(), k, site + n);
    n += k;
  }
  runtime::set_fiber_site(std::string_view(site, n));
}

// RouteLabeler is the labels middleware's frame: it labels the fiber for the request
// and, as the request's RouteObserver, labels it again with the route when a ServeMux
// inside routes (Request::set_pattern). Destroyed when the middleware returns (also by
// an exception): the fiber's labels and the request's observer are put back.
class RouteLabeler final : public RouteObserver {
 public:
  explicit RouteLabeler(Request& r) : r_(r), outer_(r.route_observer()) {
    label(r);
    r.set_route_observer(this);
  }
  RouteLabeler(const RouteLabeler&) = delete;
  RouteLabeler& operator=(const RouteLabeler&) = delete;
  ~RouteLabeler() {
    r_.set_route_observer(outer_);
    runtime::set_fiber_labels(previous_);
  }

  void routed(const Request& r) noexcept override {
    if (outer_) outer_->routed(r);
    if (r.pattern().empty()) return;  // 404 or 405: keep the method label
    try {
      label(r);
    } catch (...) {  // out of memory building a new label set: keep the current labels
    }
  }

 private:
  // label wears {method, route} on top of the labels the fiber had when the middleware
  // started; with no earlier labels (the usual case) that is the cached set itself.
  void label(const Request& r) {
    const runtime::Labels& mine = route_labels(r.method(), r.pattern());
    runtime::set_fiber_labels(previous_.empty() ? mine : previous_.with(mine.items()));
    if (!r.pattern().empty()) set_route_site(r.method(), r.pattern());
  }

  Request& r_;
  RouteObserver* outer_;
  const runtime::Labels previous_ = runtime::fiber_labels();
};

}  // namespace

namespace middleware {

Middleware labels() {
  return [](Handler next) -> Handler {
    return [next = std::move(next)](ResponseWriter& w, Request& r) {
      RouteLabeler labeler(r);
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
