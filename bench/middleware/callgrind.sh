#!/usr/bin/env bash
# Middleware overhead in instructions: examples/hello under valgrind's callgrind, with and
# without the default chain, counting the server's instructions (all threads, the access
# log's writer included) per request over a fixed load. Unlike CPU time this does not move
# with other jobs on a shared machine, so it is the primary figure; run.sh gives CPU time.
#
#   bash bench/middleware/callgrind.sh [--duration S] [--build-dir DIR] [--out DIR] [--annotate]
#
# Each mode: start `valgrind --tool=callgrind hello --threads 1`, warm up with wrk for 3 s,
# zero the counters (callgrind_control -z), run `wrk -t1 -c64 -dS`, dump (-d), and divide
# the dump's instruction total by the requests wrk completed. --annotate also prints the
# top functions of each dump (callgrind_annotate --inclusive=no).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD_DIR=$ROOT/build/h-mw-rel
DURATION=10
ANNOTATE=0
PORT=18191
OUT=""

while (($#)); do
  case $1 in
    --duration) DURATION=$2; shift ;;
    --build-dir) BUILD_DIR=$2; shift ;;
    --annotate) ANNOTATE=1 ;;
    --out) OUT=$2; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
HELLO=$BUILD_DIR/examples/hello/hello
OUT=${OUT:-$BUILD_DIR/bench-results/middleware-callgrind}
mkdir -p "$OUT"

# measure MODE: prints "requests instructions" for one run.
measure() {
  local mode=$1 args=() pid port=$PORT
  [[ $mode == chain ]] && args=(--middleware --access-log "$OUT/access.log") && port=$((PORT + 1))
  rm -f "$OUT/access.log" "$OUT/$mode".out*
  valgrind --tool=callgrind --callgrind-out-file="$OUT/$mode.out" \
    "$HELLO" --addr 127.0.0.1:$port --threads 1 "${args[@]}" >"$OUT/$mode.stdout.log" 2>"$OUT/$mode.valgrind.log" &
  pid=$!
  for _ in $(seq 200); do curl -s -o /dev/null "http://127.0.0.1:$port/plaintext" && break; sleep 0.2; done
  wrk -t1 -c64 -d3s "http://127.0.0.1:$port/plaintext" >/dev/null  # warm-up
  callgrind_control -z "$pid" >/dev/null 2>&1
  local requests
  requests=$(wrk -t1 -c64 -d"${DURATION}s" "http://127.0.0.1:$port/plaintext" | awk '/requests in/ {print $1}')
  callgrind_control -d "$pid" >/dev/null 2>&1
  kill "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  local dump
  dump=$(ls "$OUT/$mode".out.* | sort -t. -k3 -n | head -1)
  local ir
  ir=$(awk '/^(summary|totals):/ {print $2; exit}' "$dump")
  if ((ANNOTATE)); then
    callgrind_annotate --inclusive=no "$dump" 2>/dev/null | sed -n '1,60p' >"$OUT/$mode.top.txt"
  fi
  echo "$requests $ir"
}

declare -A per
for mode in plain chain; do
  read -r requests ir < <(measure "$mode")
  per[$mode]=$(awk -v i="$ir" -v r="$requests" 'BEGIN {printf "%.0f", i / r}')
  echo "$mode: $requests requests, $ir instructions, ${per[$mode]} instructions/request" >&2
done
ratio=$(awk -v p="${per[plain]}" -v c="${per[chain]}" 'BEGIN {printf "%.3f", c / p}')
echo "plain ${per[plain]} Ir/request, chain ${per[chain]} Ir/request, ratio $ratio"
