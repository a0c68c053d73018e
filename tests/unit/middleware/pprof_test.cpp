// The profiler end to end: a CPU-burning GET /burn profiled for 2 s, read back by
// `go tool pprof`; the fiber dump; with_labels.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "httpkit/event.hpp"
#include "httpkit/middleware.hpp"
#include "httpkit/middleware/labels.hpp"
#include "httpkit/middleware/pprof.hpp"
#include "httpkit/runtime.hpp"
#include "httpkit/test/server.hpp"
#include "support.hpp"

using namespace httpkit;

// burn_cpu spins for d of CPU, yielding each millisecond so the scheduler's other
// fibers (the profile request) keep their timing. External linkage: its name must show.
__attribute__((noinline)) double burn_cpu(std::chrono::milliseconds d) {
  volatile double x = 1.0;
  const auto end = Clock::now() + d;
  while (Clock::now() < end) {
    const auto slice = Clock::now() + std::chrono::milliseconds(1);
    while (Clock::now() < slice) x = x * 1.0000001 + 0.0000001;
    yield();
  }
  return x;
}

namespace {

ServeMux app(Event& parked, Event& release) {
  ServeMux mux;
  RouteGroup labelled = mux.group("/", {middleware::labels()});
  labelled.handle("GET /burn", [](ResponseWriter& w, Request&) {
    w.write(std::to_string(burn_cpu(std::chrono::milliseconds(100))));
  });
  labelled.handle("GET /slow", [&](ResponseWriter& w, Request& r) {
    pprof::with_labels(r.context(), {{"tenant", "acme"}}, [&](const Context& ctx) {
      parked.set();
      release.wait_for(std::chrono::seconds(10));
      w.write(std::string(pprof::labels_of(ctx).get("tenant")));
    });
  });
  mux.handle("/debug/pprof/", pprof::debug_mux());
  return mux;
}

std::string go_pprof(const std::string& args) {
  const std::string go = HTTPKIT_GO_BINARY;
  if (go.empty()) FAIL("Go not found: install golang-1.23 (scripts/install-deps.sh)");
  return mwtest::sh("HOME=/tmp GOTOOLCHAIN=local " + go + " tool pprof " + args);
}

// profile_burn loads GET /burn from two clients while profiling 2 s, then checks with
// `go tool pprof` that burn_cpu is among the top entries and route=GET /burn the most
// frequent route tag.
void profile_burn(test::Server& srv) {
  std::atomic<bool> stop{false};
  std::vector<std::thread> load;
  for (int i = 0; i < 2; ++i) {
    load.emplace_back([&] {
      while (!stop) mwtest::curl(srv.url() + "/burn");
    });
  }
  const std::string file = mwtest::temp_path("cpu.pb.gz");
  const std::string got = mwtest::curl("-o " + file + " -w '%{http_code}' '" + srv.url() + "/debug/pprof/profile?seconds=2'");
  stop = true;
  for (auto& t : load) t.join();
  REQUIRE(got == "200");

  const std::string top = go_pprof("-top -symbolize=none " + file);
  INFO(top);
  // The handler's function holds a large share of the samples, counted with what it
  // calls ("cum%"): its flat share is split with the clock calls it makes, and in a
  // Debug build their order in the flat listing is a matter of sampling luck.
  std::istringstream rows(top);
  std::string row;
  double burn_cum = -1;
  while (std::getline(rows, row)) {
    if (row.find("burn_cpu") == std::string::npos) continue;
    std::istringstream fields(row);
    std::string flat, flat_pct, sum_pct, cum, cum_pct;
    fields >> flat >> flat_pct >> sum_pct >> cum >> cum_pct;
    if (cum_pct.ends_with('%')) burn_cum = std::stod(cum_pct);
    break;
  }
  CHECK(burn_cum >= 20.0);

  const std::string tags = go_pprof("-tags -symbolize=none " + file);
  INFO(tags);
  const std::size_t route = tags.find(" route: Total ");
  REQUIRE(route != std::string::npos);
  std::istringstream route_rows(tags.substr(route));
  std::getline(route_rows, row);
  std::getline(route_rows, row);  // the most frequent value comes first
  CHECK(row.find("GET /burn") != std::string::npos);
}

// default_chain is examples/hello's default chain (recover, request_id, access_log to a
// file, metrics, labels) around a whole ServeMux: labels() runs before the mux routes
// and learns the route through the request's RouteObserver (docs/decisions/0024).
Handler default_chain(ServeMux mux, middleware::Metrics& metrics) {
  middleware::AccessLogOptions log;
  log.logger = middleware::file_logger("pprof_test.access", mwtest::temp_path("pprof_access.log"));
  return chain(std::move(mux), {middleware::recover(), middleware::request_id(), middleware::access_log(log),
                                metrics.middleware(), middleware::labels()});
}

ServeMux routed_app() {
  ServeMux mux;
  mux.handle("GET /burn", [](ResponseWriter& w, Request&) {
    w.write(std::to_string(burn_cpu(std::chrono::milliseconds(100))));
  });
  // /site/{name} answers "<route label>|<its fiber's site>|<method label>", found in
  // the fiber dump by its route label.
  mux.handle("GET /site/{name}", [](ResponseWriter& w, Request&) {
    const runtime::Labels mine = runtime::fiber_labels();
    std::string site;
    for (const runtime::FiberInfo& f : runtime::fibers()) {
      if (f.labels.node() == mine.node()) site = f.site;
    }
    w.write(std::string(mine.get("route")) + "|" + site + "|" + std::string(mine.get("method")));
  });
  mux.handle("/debug/pprof/", pprof::debug_mux());
  return mux;
}

}  // namespace

TEST_CASE("CPU profile of GET /burn: go tool pprof shows the handler and route=GET /burn", "[pprof]") {
  Event parked, release;
  test::Server srv(app(parked, release));
  profile_burn(srv);
}

TEST_CASE("labels() around a whole ServeMux in the default chain: pprof shows route=GET /burn", "[pprof]") {
  middleware::Metrics metrics;
  test::Server srv(default_chain(routed_app(), metrics));
  profile_burn(srv);
}

TEST_CASE("labels() around a ServeMux: routing relabels the fiber and names its site", "[pprof]") {
  middleware::Metrics metrics;
  test::Server srv(default_chain(routed_app(), metrics));
  CHECK(mwtest::curl(srv.url() + "/site/x") == "GET /site/{name}|GET /site/{name}|GET");
  // Unrouted: the mux sets an empty pattern, the observer keeps the method label.
  CHECK(mwtest::curl("-o /dev/null -w '%{http_code}' " + srv.url() + "/nowhere") == "404");
}

TEST_CASE("labels(): a RouteObserver installed outside is told too and restored after", "[pprof]") {
  struct Counting final : RouteObserver {
    int calls = 0;
    void routed(const Request&) noexcept override { ++calls; }
  } outer;
  // The handler runs on the server's thread: it reports through its response, and
  // Catch2 asserts only on this one.
  ServeMux mux;
  mux.handle("GET /x/{id}", [](ResponseWriter& w, Request&) { w.write(runtime::fiber_labels().get("route")); });
  Handler h = chain(std::move(mux), {middleware::labels()});
  Handler wrapped = [&](ResponseWriter& w, Request& r) {
    r.set_route_observer(&outer);
    h(w, r);
    const bool restored = r.route_observer() == &outer;
    r.set_route_observer(nullptr);
    w.write(std::string("|calls=") + std::to_string(outer.calls) + (restored ? "|restored" : "|lost"));
  };
  test::Server srv(wrapped);
  CHECK(mwtest::curl(srv.url() + "/x/1") == "GET /x/{id}|calls=1|restored");
}

TEST_CASE("/debug/pprof/fibers lists live fibers with state and labels", "[pprof]") {
  Event parked, release;
  test::Server srv(app(parked, release));
  std::string slow_body;
  std::thread client([&] { slow_body = mwtest::curl(srv.url() + "/slow"); });
  REQUIRE(parked.wait_for(std::chrono::seconds(5)));
  const std::string dump = mwtest::curl(srv.url() + "/debug/pprof/fibers");
  release.set();
  client.join();
  INFO(dump);
  CHECK(dump.starts_with("fibers: "));
  const std::size_t slow = dump.find("labels {method=\"GET\", route=\"GET /slow\", tenant=\"acme\"}");
  REQUIRE(slow != std::string::npos);
  const std::size_t line = dump.rfind('\n', slow);
  CHECK(dump.substr(line, slow - line).find("[waiting, ") != std::string::npos);
  CHECK(dump.find("[running, ") != std::string::npos);  // the fiber taking the snapshot
  CHECK(slow_body == "acme");
  const std::string index = mwtest::curl(srv.url() + "/debug/pprof/");
  CHECK(index.find("href=\"fibers\"") != std::string::npos);
}

TEST_CASE("fiber labels: go() inherits them, and they are restored after with_labels", "[pprof]") {
  Event done;
  std::string inner_label, child_label, after;
  go([&] {
    pprof::with_labels(Context::background(), {{"job", "import"}}, [&](const Context&) {
      inner_label = std::string(runtime::fiber_labels().get("job"));
      Event child_done;
      go([&] {
        child_label = std::string(runtime::fiber_labels().get("job"));
        child_done.set();
      });
      child_done.wait();
    });
    after = runtime::fiber_labels().empty() ? "empty" : "still labelled";
    done.set();
  });
  REQUIRE(done.wait_for(std::chrono::seconds(5)));
  CHECK(inner_label == "import");
  CHECK(child_label == "import");
  CHECK(after == "empty");
}
