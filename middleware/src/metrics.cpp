// Metrics: lock-free counters per route, fed by the middleware and the conn_state hook.
#include "httpkit/middleware/metrics.hpp"

#include <exception>

#include "metrics_state.hpp"
#include "recording_writer.hpp"
#include "request_clock.hpp"

namespace httpkit::middleware {
namespace detail {

void CodeTable::add(std::uint32_t key) {
  for (std::size_t n = 0, i = (key * 2654435761u) % kSlots; n < kSlots; ++n, i = (i + 1) % kSlots) {
    std::uint32_t k = slots[i].key.load(std::memory_order_acquire);
    if (k == 0 && slots[i].key.compare_exchange_strong(k, key, std::memory_order_acq_rel)) k = key;
    if (k == key) {
      slots[i].count.fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
  std::lock_guard lock(overflow_mu);
  ++overflow[key];
}

namespace {

std::atomic<std::uint64_t> next_state_id{1};

// A small per-thread direct-mapped cache from route to series: most requests find their
// series without touching the shared lock. Entries are checked by content, so a stale
// pointer key can never attribute a request to the wrong route.
struct CacheEntry {
  std::uint64_t state = 0;
  RouteSeries* series = nullptr;
};
thread_local std::array<CacheEntry, 32> route_cache;

}  // namespace

RouteSeries& MetricsState::series(std::string_view route) {
  CacheEntry& e = route_cache[(reinterpret_cast<std::uintptr_t>(route.data()) >> 3 ^ route.size()) % route_cache.size()];
  if (e.state == id && e.series->route == route) return *e.series;
  RouteSeries& s = series_slow(route);
  e = {id, &s};
  return s;
}

RouteSeries& MetricsState::series_slow(std::string_view route) {
  {
    std::shared_lock lock(mu);
    if (auto it = routes.find(std::string(route)); it != routes.end()) return *it->second;
  }
  std::unique_lock lock(mu);
  auto& slot = routes[std::string(route)];
  if (!slot) {
    slot = std::make_unique<RouteSeries>();
    slot->route = route;
  }
  return *slot;
}

// conn_state keeps each open connection's last state so that a transition moves one
// unit between gauges; Hijacked and Closed connections leave the table. The table is
// per thread, without a lock: Server::conn_state runs on the connection's fiber and a
// connection never leaves its scheduler thread. Keys carry the instance's id, so that
// instances sharing a thread (and a reused Conn address) never mix.
void MetricsState::conn_state(const Conn& c, ConnState s) {
  struct Key {
    std::uint64_t state;
    const Conn* conn;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept {
      return std::hash<const void*>{}(k.conn) ^ (k.state * 0x9e3779b97f4a7c15ULL);
    }
  };
  thread_local std::unordered_map<Key, ConnState, KeyHash> states;
  auto gauge = [this](ConnState st) -> std::atomic<std::int64_t>* {
    switch (st) {
      case ConnState::New: return &conn_gauges[0];
      case ConnState::Active: return &conn_gauges[1];
      case ConnState::Idle: return &conn_gauges[2];
      default: return nullptr;
    }
  };
  auto [it, inserted] = states.try_emplace(Key{id, &c}, s);
  if (!inserted) {
    if (auto* g = gauge(it->second)) g->fetch_sub(1, std::memory_order_relaxed);
    it->second = s;
  }
  if (auto* g = gauge(s)) g->fetch_add(1, std::memory_order_relaxed);
  if (s == ConnState::Hijacked) hijacked.fetch_add(1, std::memory_order_relaxed);
  if (s == ConnState::Hijacked || s == ConnState::Closed) states.erase(it);
}

}  // namespace detail

Metrics::Metrics() : state_(std::make_shared<detail::MetricsState>()) {
  state_->id = detail::next_state_id.fetch_add(1);
}

Middleware Metrics::middleware() {
  return [s = state_](Handler next) -> Handler {
    return [s, next = std::move(next)](ResponseWriter& w, Request& r) {
      s->in_flight.fetch_add(1, std::memory_order_relaxed);
      detail::RecordingWriter rec(w);
      struct Observe {  // also when next throws: the request happened
        detail::MetricsState& s;
        Request& r;
        detail::RecordingWriter& rec;
        detail::RequestClock clock;
        ~Observe() {
          const double seconds = std::chrono::duration<double>(clock.finish() - clock.start()).count();
          std::string_view route = r.pattern().empty() ? detail::kUnmatched : r.pattern();
          detail::RouteSeries& series = s.series(route);
          // Nothing written: the server answers 200, or, when next threw, recover answers
          // 500 (or the connection is dropped); a hijacked connection has no status (0).
          int status = rec.status();
          if (!rec.wrote() && !rec.hijacked()) status = std::uncaught_exceptions() > 0 ? 500 : 200;
          const auto code = static_cast<std::uint32_t>(status);
          series.codes.add(static_cast<std::uint32_t>(detail::method_index(r.method()) + 1) << 16 | code);
          series.latency.observe(seconds, 1e9, detail::kLatencyBuckets);
          series.size.observe(static_cast<double>(rec.bytes()), 1, detail::kSizeBuckets);
          s.in_flight.fetch_sub(1, std::memory_order_relaxed);
        }
      } observe{*s, r, rec, detail::RequestClock(r)};
      next(rec, r);
    };
  };
}

std::function<void(const Conn&, ConnState)> Metrics::conn_state_hook() {
  return [s = state_](const Conn& c, ConnState st) { s->conn_state(c, st); };
}

Handler Metrics::handler() {
  return [s = state_](ResponseWriter& w, Request&) {
    std::string body = s->render();
    w.header().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    w.write(body);
  };
}

}  // namespace httpkit::middleware
