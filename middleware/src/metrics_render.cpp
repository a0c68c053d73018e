// Metrics rendering: the Prometheus text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format).
#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "httpkit/runtime.hpp"
#include "metrics_state.hpp"

namespace httpkit::middleware::detail {
namespace {

using Out = std::back_insert_iterator<std::string>;

// label_value escapes backslash, double quote and newline, as the format requires.
std::string label_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out.append("\\n");
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(Out(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

template <std::size_t N>
void histogram(std::string& out, std::string_view name, const std::string& route, const Histogram<N>& h,
               const std::array<double, N>& bounds, double scale) {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= N; ++i) {
    cumulative += h.counts[i].load(std::memory_order_relaxed);
    const std::string le = i < N ? fmt::format("{}", bounds[i]) : "+Inf";
    fmt::format_to(Out(out), "{}_bucket{{route=\"{}\",le=\"{}\"}} {}\n", name, route, le, cumulative);
  }
  fmt::format_to(Out(out), "{}_sum{{route=\"{}\"}} {}\n", name, route,
                 static_cast<double>(h.sum.load(std::memory_order_relaxed)) / scale);
  fmt::format_to(Out(out), "{}_count{{route=\"{}\"}} {}\n", name, route, cumulative);
}

void request_counts(std::string& out, const RouteSeries& s, const std::string& route) {
  std::map<std::uint32_t, std::uint64_t> counts;
  for (const auto& slot : s.codes.slots) {
    if (std::uint32_t k = slot.key.load(std::memory_order_acquire)) counts[k] += slot.count.load(std::memory_order_relaxed);
  }
  {
    std::lock_guard lock(s.codes.overflow_mu);
    for (auto [k, n] : s.codes.overflow) counts[k] += n;
  }
  for (auto [k, n] : counts) {
    fmt::format_to(Out(out), "httpkit_http_requests_total{{method=\"{}\",route=\"{}\",code=\"{}\"}} {}\n",
                   kMethods[(k >> 16) - 1], route, k & 0xffff, n);
  }
}

}  // namespace

std::string MetricsState::render() {
  std::vector<const RouteSeries*> series;
  {
    std::shared_lock lock(mu);
    for (const auto& [name, s] : routes) series.push_back(s.get());
  }
  std::sort(series.begin(), series.end(), [](auto* a, auto* b) { return a->route < b->route; });
  std::string out;
  family(out, "httpkit_http_requests_total", "counter", "HTTP requests served, by method, route pattern and status.");
  for (const auto* s : series) request_counts(out, *s, label_value(s->route));
  family(out, "httpkit_http_request_duration_seconds", "histogram", "Time to serve a request, by route pattern.");
  for (const auto* s : series) {
    histogram(out, "httpkit_http_request_duration_seconds", label_value(s->route), s->latency, kLatencyBuckets, 1e9);
  }
  family(out, "httpkit_http_response_size_bytes", "histogram", "Response body bytes written, by route pattern.");
  for (const auto* s : series) {
    histogram(out, "httpkit_http_response_size_bytes", label_value(s->route), s->size, kSizeBuckets, 1);
  }
  render_gauges(out);
  return out;
}

void MetricsState::render_gauges(std::string& out) {
  family(out, "httpkit_http_requests_in_flight", "gauge", "Requests being served now.");
  fmt::format_to(Out(out), "httpkit_http_requests_in_flight {}\n", in_flight.load(std::memory_order_relaxed));
  family(out, "httpkit_http_connections", "gauge", "Open HTTP connections by state (from Server::conn_state).");
  constexpr std::array<std::string_view, 3> kStates{"new", "active", "idle"};
  for (std::size_t i = 0; i < kStates.size(); ++i) {
    fmt::format_to(Out(out), "httpkit_http_connections{{state=\"{}\"}} {}\n", kStates[i],
                   conn_gauges[i].load(std::memory_order_relaxed));
  }
  family(out, "httpkit_http_connections_hijacked_total", "counter", "Connections taken over by handlers.");
  fmt::format_to(Out(out), "httpkit_http_connections_hijacked_total {}\n", hijacked.load(std::memory_order_relaxed));
  const runtime::Stats rs = runtime::stats();
  family(out, "httpkit_fibers", "gauge", "Live fibers (goroutine-like threads) of the runtime.");
  fmt::format_to(Out(out), "httpkit_fibers {}\n", rs.fibers_live);
  family(out, "httpkit_scheduler_stalls_total", "counter",
         "Times a fiber held a scheduler thread longer than the stall threshold (100 ms) without parking.");
  fmt::format_to(Out(out), "httpkit_scheduler_stalls_total {}\n", rs.stalls);
}

}  // namespace httpkit::middleware::detail
