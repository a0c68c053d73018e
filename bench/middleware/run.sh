#!/usr/bin/env bash
# Middleware overhead: server CPU per request of examples/hello with and without the
# default chain (recover, request_id, access_log to a file, metrics, labels), measured
# in the same run, rounds interleaved (plain, chain, plain, chain, ...).
#
#   bash bench/middleware/run.sh [--rounds N] [--duration S] [--build-dir DIR] [--no-build]
#
# The server runs on CPU 0 (taskset -c 0, --threads 1), wrk on CPU 1 (-t1 -c64). CPU per
# request = (utime + stime of the server process, from /proc/PID/stat, all its threads
# including the access log's) / requests completed. Target (issue 4): the chain costs at
# most 15% more. Figures go to bench/RESULTS-middleware.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD_DIR=$ROOT/build/h-mw-rel
ROUNDS=5
DURATION=10
BUILD=1
PORT=18190
OUT=$ROOT/build/bench-results/middleware
CLK_TCK=$(getconf CLK_TCK)

while (($#)); do
  case $1 in
    --rounds) ROUNDS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --build-dir) BUILD_DIR=$2; shift ;;
    --no-build) BUILD=0 ;;
    -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if ((BUILD)); then
  # The release preset's flags (-O2 -g), in a build tree of its own.
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG -g" \
    -DHTTPKIT_BUILD_TESTS=OFF >/dev/null
  ninja -C "$BUILD_DIR" -j2 hello >/dev/null
fi
HELLO=$BUILD_DIR/examples/hello/hello
mkdir -p "$OUT"

# cpu_ticks PID: utime + stime (fields 14 and 15 of /proc/PID/stat; the command name
# in field 2 may hold spaces, so count from after its closing parenthesis).
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

# measure MODE: prints "requests ticks" for one wrk run against a fresh server.
measure() {
  local mode=$1 args=() pid
  [[ $mode == chain ]] && args=(--middleware --access-log "$OUT/access.log")
  rm -f "$OUT/access.log"
  # The server's output (stall warnings on a loaded machine) must not mix with ours.
  taskset -c 0 "$HELLO" --addr 127.0.0.1:$PORT --threads 1 "${args[@]}" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/plaintext" && break; sleep 0.1; done
  taskset -c 1 wrk -t1 -c64 -d2s "http://127.0.0.1:$PORT/plaintext" >/dev/null  # warm-up
  local before after requests
  before=$(cpu_ticks "$pid")
  requests=$(taskset -c 1 wrk -t1 -c64 -d"${DURATION}s" "http://127.0.0.1:$PORT/plaintext" |
             awk '/requests in/ {print $1}')
  after=$(cpu_ticks "$pid")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$requests $((after - before))"
}

declare -a plain_ns chain_ns
for ((round = 1; round <= ROUNDS; round++)); do
  for mode in plain chain; do
    read -r requests ticks < <(measure "$mode")
    ns=$(awk -v t="$ticks" -v r="$requests" -v hz="$CLK_TCK" 'BEGIN {printf "%.0f", t / hz * 1e9 / r}')
    echo "round $round $mode: $requests requests, $ticks ticks, $ns ns CPU/request" >&2
    if [[ $mode == plain ]]; then plain_ns+=("$ns"); else chain_ns+=("$ns"); fi
  done
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
p=$(median "${plain_ns[@]}")
c=$(median "${chain_ns[@]}")
ratio=$(awk -v p="$p" -v c="$c" 'BEGIN {printf "%.3f", c / p}')

# The CPU-time section replaces everything from its heading on; what comes before it
# (the instruction counts of callgrind.sh, written by hand) is kept.
RESULTS=$ROOT/bench/RESULTS-middleware.md
kept=""
[[ -f $RESULTS ]] && kept=$(awk '/^## CPU time/ {exit} {print}' "$RESULTS")
[[ -n $kept ]] || kept="# Middleware overhead (bench/middleware/run.sh, bench/middleware/callgrind.sh)"
cat > "$RESULTS" <<MD
$kept

## CPU time (run.sh)

Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%Y-%m-%d); load average $(cut -d' ' -f1-3 /proc/loadavg).
Command: \`bash bench/middleware/run.sh --rounds $ROUNDS --duration $DURATION\` (Release -O2 -g build,
server \`taskset -c 0 hello --threads 1 [--middleware --access-log FILE]\`, load
\`taskset -c 1 wrk -t1 -c64 -d${DURATION}s /plaintext\`, rounds interleaved).

Server CPU per request = (utime + stime from /proc/PID/stat) / requests, all server
threads (the access log's writer thread included).

| | median ns CPU/request | rounds |
|---|---|---|
| hello, no middleware | $p | ${plain_ns[*]} |
| hello, default chain (recover, request_id, access_log to a file, metrics, labels) | $c | ${chain_ns[*]} |
| ratio chain / plain | **$ratio** | target ≤ 1.15 |
MD
echo "plain $p ns, chain $c ns, ratio $ratio"
