// MetricsState: the counters behind Metrics, shared by the middleware, the
// connection hook and the exposition handler.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "httpkit/conn.hpp"
#include "httpkit/server.hpp"

namespace httpkit::middleware {
namespace detail {
inline namespace metrics_internal {

// Prometheus' default latency buckets (client_golang DefBuckets), in seconds.
inline constexpr std::array<double, 11> kLatencyBuckets{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10};
// Response sizes from 64 B to 4 MiB, by factors of 4.
inline constexpr std::array<double, 9> kSizeBuckets{64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304};
// RFC 9110 section 9 methods plus PATCH (RFC 5789); anything else is "OTHER".
inline constexpr std::array<std::string_view, 10> kMethods{"GET",     "HEAD",    "POST",  "PUT",   "DELETE",
                                                    "CONNECT", "OPTIONS", "TRACE", "PATCH", "OTHER"};
inline constexpr std::string_view kUnmatched = "unmatched";

inline std::size_t method_index(std::string_view m) noexcept {
  for (std::size_t i = 0; i + 1 < kMethods.size(); ++i) {
    if (kMethods[i] == m) return i;
  }
  return kMethods.size() - 1;
}

template <std::size_t N>
struct Histogram {
  std::array<std::atomic<std::uint64_t>, N + 1> counts{};  // per bucket, last is +Inf
  std::atomic<std::uint64_t> sum{};                        // in units of 1/scale
  void observe(double v, double scale, const std::array<double, N>& bounds) noexcept {
    std::size_t i = 0;
    while (i < N && v > bounds[i]) ++i;
    counts[i].fetch_add(1, std::memory_order_relaxed);
    sum.fetch_add(static_cast<std::uint64_t>(v * scale), std::memory_order_relaxed);
  }
};

// CodeTable counts requests by (method, status) without locks: a fixed open-addressing
// table whose slots are claimed with a CAS; a rare overflow goes to a locked map.
struct CodeTable {
  static constexpr std::size_t kSlots = 64;
  struct Slot {
    std::atomic<std::uint32_t> key{0};
    std::atomic<std::uint64_t> count{0};
  };
  std::array<Slot, kSlots> slots;
  mutable std::mutex overflow_mu;
  std::map<std::uint32_t, std::uint64_t> overflow;  // guarded by overflow_mu

  void add(std::uint32_t key);
};

}  // namespace metrics_internal

struct RouteSeries {
  std::string route;
  CodeTable codes;
  Histogram<kLatencyBuckets.size()> latency;
  Histogram<kSizeBuckets.size()> size;
};

struct MetricsState {
  std::uint64_t id;  // distinguishes instances in the per-thread cache
  std::shared_mutex mu;
  std::unordered_map<std::string, std::unique_ptr<RouteSeries>> routes;  // guarded by mu
  std::atomic<std::int64_t> in_flight{0};
  std::array<std::atomic<std::int64_t>, 3> conn_gauges{};  // new, active, idle
  std::atomic<std::uint64_t> hijacked{0};

  RouteSeries& series(std::string_view route);
  RouteSeries& series_slow(std::string_view route);
  // conn_state must be called on the connection's thread (as Server::conn_state is).
  void conn_state(const Conn& c, ConnState s);
  std::string render();
  void render_gauges(std::string& out);
};

}  // namespace detail
}  // namespace httpkit::middleware
