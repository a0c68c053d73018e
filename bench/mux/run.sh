#!/usr/bin/env bash
# Runs the ServeMux benchmarks of httpkit (Google Benchmark) and of Go's own
# ServeMux on the same routes and requests, pinned to one core, and prints the
# median time per request (or per registration run) and the ratio C++/Go.
#
#   bench/mux/run.sh [BUILD_DIR]      (default: build/bench, the `bench` preset)
#
# Needs a Release build with HTTPKIT_BUILD_BENCH=ON and a Go toolchain (1.22+).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(realpath "${1:-$root/build/bench}")  # absolute: Go rejects a relative GOPATH
bin=$build/bench/mux/httpkit_bench_mux
go=${GO:-$(command -v /usr/lib/go-1.23/bin/go || command -v go)}
runs=${RUNS:-3}
cpu=${CPU:-0}

[[ -x $bin ]] || { echo "missing $bin: cmake --preset bench && cmake --build --preset bench" >&2; exit 1; }
[[ -n $go ]] || { echo "no Go toolchain" >&2; exit 1; }

work=$build/bench/mux/go-work
mkdir -p "$work"
export GOCACHE=$work/cache GOPATH=$work/gopath GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local GOTELEMETRY=off
(cd "$here/go" && "$go" build -o "$work/muxbench" .)

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), pinned to CPU $cpu"
echo "go: $("$go" version)"

taskset -c "$cpu" "$bin" --benchmark_repetitions="$runs" --benchmark_report_aggregates_only=true \
  --benchmark_format=json > "$work/cpp.json"
taskset -c "$cpu" "$work/muxbench" -routes "$here/github_routes.txt" -runs "$runs" > "$work/go.txt"

python3 - "$work/cpp.json" "$work/go.txt" <<'PY'
import json, sys
cpp = {}
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    if b.get("aggregate_name") != "median":
        continue
    name = b["run_name"].removeprefix("BM_")
    scale = {"ns": 1, "us": 1e3, "ms": 1e6}[b["time_unit"]]
    per = b.get("reqs_per_iter", 1)
    cpp[name] = (b["real_time"] * scale / per, b.get("allocs_per_req", float("nan")))
go = {}
for line in open(sys.argv[2]):
    name, ns, allocs = line.split()
    go[name] = (float(ns), float(allocs))
print(f"{'workload':<16}{'C++ ns':>14}{'Go ns':>14}{'C++/Go':>9}{'C++ allocs':>12}{'Go allocs':>11}")
for name in ["GithubStatic", "GithubParam", "GithubAll", "Register10000"]:
    c, g = cpp[name], go[name]
    unit = " (per request)" if name != "Register10000" else " (10,000 patterns)"
    ca = f"{c[1]:.2f}" if name != "Register10000" else "-"
    print(f"{name:<16}{c[0]:>14.1f}{g[0]:>14.1f}{c[0]/g[0]:>9.2f}{ca:>12}{g[1]:>11.2f}{unit}")
PY
