// ServeMux benchmarks over the GitHub API routes of go-http-routing-benchmark:
// a static and a parameterised lookup, every route in turn, and registering 10,000
// patterns. bench/mux/go/ runs the same workloads on Go's ServeMux; run.sh prints
// the ratios. Each lookup benchmark also reports allocs_per_req, which must be 0.
#include <benchmark/benchmark.h>

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "httpkit/serve_mux.hpp"
#include "httpkit/test/request.hpp"

namespace {

using httpkit::Request;
using httpkit::ResponseWriter;

struct RouteLine {
  std::string method, path;
};

std::vector<RouteLine> load_routes() {
  std::ifstream in(HTTPKIT_MUX_ROUTES_FILE);
  if (!in) throw std::runtime_error("cannot open " HTTPKIT_MUX_ROUTES_FILE);
  std::vector<RouteLine> out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    auto sp = line.find(' ');
    out.push_back({line.substr(0, sp), line.substr(sp + 1)});
  }
  return out;
}

// pattern turns "/repos/:owner" into "/repos/{owner}"; request_path into "/repos/owner".
std::string pattern(const std::string& path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] != ':') {
      out += path[i];
      continue;
    }
    std::size_t end = path.find('/', i);
    if (end == std::string::npos) end = path.size();
    out += "{" + path.substr(i + 1, end - i - 1) + "}";
    i = end - 1;
  }
  return out;
}

std::string request_path(std::string path) {
  std::erase(path, ':');
  return path;
}

class NullWriter final : public ResponseWriter {
 public:
  httpkit::Header& header() override { return header_; }
  void write_header(int) override {}
  using ResponseWriter::write;
  httpkit::IoResult write(std::span<const std::byte> d) override { return {d.size(), {}}; }

 private:
  httpkit::Header header_;
};

const std::vector<RouteLine>& routes() {
  static const std::vector<RouteLine> r = load_routes();
  return r;
}

const httpkit::ServeMux& github_mux() {
  static const httpkit::ServeMux mux = [] {
    httpkit::ServeMux m;
    for (const auto& r : routes()) m.handle(r.method + " " + pattern(r.path), [](ResponseWriter&, Request&) {});
    return m;
  }();
  return mux;
}

void run_lookups(benchmark::State& state, std::vector<Request> reqs) {
  const auto& mux = github_mux();
  NullWriter w;
  for (auto& r : reqs) mux(w, r);  // warm up: the requests keep their path-value storage
  std::size_t before = httpkit::bench::allocations();
  for (auto _ : state) {
    for (auto& r : reqs) mux(w, r);
    benchmark::ClobberMemory();
  }
  double n = static_cast<double>(state.iterations()) * static_cast<double>(reqs.size());
  state.counters["allocs_per_req"] = static_cast<double>(httpkit::bench::allocations() - before) / n;
  state.counters["reqs_per_iter"] = static_cast<double>(reqs.size());
}

void BM_GithubStatic(benchmark::State& state) {
  std::vector<Request> reqs;
  reqs.push_back(httpkit::test::new_request("GET", "/user/repos"));
  run_lookups(state, std::move(reqs));
}
BENCHMARK(BM_GithubStatic);

void BM_GithubParam(benchmark::State& state) {
  std::vector<Request> reqs;
  reqs.push_back(httpkit::test::new_request("GET", "/repos/julienschmidt/httprouter/stargazers"));
  run_lookups(state, std::move(reqs));
}
BENCHMARK(BM_GithubParam);

void BM_GithubAll(benchmark::State& state) {
  std::vector<Request> reqs;
  for (const auto& r : routes()) reqs.push_back(httpkit::test::new_request(r.method, request_path(r.path)));
  run_lookups(state, std::move(reqs));
}
BENCHMARK(BM_GithubAll);

// BM_Register10000: a fresh mux and 10,000 non-conflicting patterns per iteration
// (the same patterns as bench/mux/go).
void BM_Register10000(benchmark::State& state) {
  std::vector<std::string> patterns;
  for (int i = 0; i < 10000; ++i) {
    patterns.push_back("GET /svc" + std::to_string(i % 100) + "/res" + std::to_string(i / 100) + "/{id}");
  }
  httpkit::Handler h = [](ResponseWriter&, Request&) {};
  for (auto _ : state) {
    httpkit::ServeMux mux;
    for (const auto& p : patterns) mux.handle(p, h);
    benchmark::DoNotOptimize(mux);
  }
}
BENCHMARK(BM_Register10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
