// debug_mux: the /debug/pprof/ endpoints (Go's net/http/pprof).
#include <charconv>

#include <fmt/format.h>

#include "httpkit/middleware/pprof.hpp"
#include "httpkit/response_controller.hpp"
#include "httpkit/status.hpp"

namespace httpkit::pprof {
namespace {

// kDefaultProfileSeconds: Go's /debug/pprof/profile default.
constexpr int kDefaultProfileSeconds = 30;
// kMaxProfileSeconds bounds a request's profile (an hour), so a typo cannot pin it forever.
constexpr int kMaxProfileSeconds = 3600;

void index(ResponseWriter& w, Request&) {
  w.header().set("Content-Type", "text/html; charset=utf-8");
  w.write(R"(<html><head><title>/debug/pprof/</title></head><body>
<p>/debug/pprof/</p>
<ul>
<li><a href="profile?seconds=30">profile</a>: CPU profile (?seconds=N); open with <code>go tool pprof URL</code></li>
<li><a href="fibers">fibers</a>: every live fiber with state, age, site and labels</li>
</ul>
</body></html>
)");
}

int seconds_param(const Request& r) {
  const Values query = r.url().query();
  const std::string s(query.get("seconds"));
  int n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || n <= 0) return kDefaultProfileSeconds;
  return std::min(n, kMaxProfileSeconds);
}

// profile runs a CPU profile; its write deadline is pushed past the profile's end so
// that a server write_timeout shorter than the profile does not cut it (Go instead
// refuses: "profile duration exceeds server's WriteTimeout").
void profile(ResponseWriter& w, Request& r) {
  const int seconds = seconds_param(r);
  ResponseController(w).set_write_deadline(Clock::now() + std::chrono::seconds(seconds + 10));
  Result<std::string> p = profile_cpu(std::chrono::seconds(seconds));
  if (!p) {
    error(w, "Could not enable CPU profiling: " + p.error().message(), kStatusInternalServerError);
    return;
  }
  w.header().set("Content-Type", "application/octet-stream");
  w.header().set("Content-Disposition", "attachment; filename=\"profile\"");
  w.header().set("X-Content-Type-Options", "nosniff");
  w.write(*p);
}

std::string format_labels(const runtime::Labels& labels) {
  std::string out = "{";
  for (const runtime::Label& l : labels.items()) {
    if (out.size() > 1) out += ", ";
    out += fmt::format("{}=\"{}\"", l.key, l.value);
  }
  return out + "}";
}

// fibers lists every live fiber, like Go's goroutine?debug=1 listing without stacks:
//   fiber 2049 [waiting, 1.250s] scheduler 1 site "GET /users/7" labels {method="GET"}
void fibers(ResponseWriter& w, Request&) {
  std::vector<runtime::FiberInfo> all = runtime::fibers();
  std::string out = fmt::format("fibers: {} live\n\n", all.size());
  for (const auto& f : all) {
    out += fmt::format("fiber {} [{}, {:.3f}s] scheduler {} site \"{}\" labels {}\n", f.id, f.state,
                       std::chrono::duration<double>(f.age).count(), f.scheduler, f.site, format_labels(f.labels));
  }
  w.header().set("Content-Type", "text/plain; charset=utf-8");
  w.write(out);
}

}  // namespace

ServeMux debug_mux() {
  ServeMux mux;
  mux.handle("GET /debug/pprof/{$}", index);
  mux.handle("GET /debug/pprof/profile", profile);
  mux.handle("GET /debug/pprof/fibers", fibers);
  return mux;
}

}  // namespace httpkit::pprof
