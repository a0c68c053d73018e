#!/usr/bin/env bash
# HTTP/2 cost in instructions: examples/hello under valgrind's callgrind serving h2c
# (prior knowledge) to h2load, counting the server's instructions per request. Unlike
# requests per second this does not move with other jobs on a shared machine, so it is
# the figure to compare code changes by; run.sh gives the side-by-side rates.
#
#   bash bench/http2/callgrind.sh [--hello PATH] [--requests N] [--out DIR] [--annotate]
#
# Start `valgrind --tool=callgrind hello --threads 1 --h2c`, warm up with 5,000 requests,
# zero the counters (callgrind_control -z), run `h2load -c 64 -m 10 -n N`, dump (-d), and
# divide the dump's instruction total by N. --annotate writes the top functions
# (callgrind_annotate --inclusive=no) to OUT/top.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HELLO=$ROOT/build/release/examples/hello/hello
REQUESTS=20000
ANNOTATE=0
PORT=18291
OUT=""

while (($#)); do
  case $1 in
    --hello) HELLO=$2; shift ;;
    --requests) REQUESTS=$2; shift ;;
    --annotate) ANNOTATE=1 ;;
    --out) OUT=$2; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[[ -x $HELLO ]] || { echo "no $HELLO: build the release preset first (or pass --hello)" >&2; exit 2; }
OUT=${OUT:-$ROOT/build/bench-results/http2-callgrind}
mkdir -p "$OUT"
rm -f "$OUT"/callgrind.out*

URL=http://127.0.0.1:$PORT/plaintext
valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out" \
  "$HELLO" --addr 127.0.0.1:$PORT --threads 1 --h2c >"$OUT/stdout.log" 2>"$OUT/valgrind.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 200); do curl -s -o /dev/null --http2-prior-knowledge "$URL" && break; sleep 0.2; done
h2load -c 64 -m 10 -n 5000 "$URL" >/dev/null  # warm-up: connections, pools, HPACK tables
callgrind_control -z "$pid" >/dev/null 2>&1
report=$(h2load -c 64 -m 10 -n "$REQUESTS" "$URL")
callgrind_control -d "$pid" >/dev/null 2>&1
kill "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
trap - EXIT

succeeded=$(awk '/^requests:/ {print $8}' <<<"$report")
[[ $succeeded == "$REQUESTS" ]] || { echo "h2load: only $succeeded of $REQUESTS requests succeeded" >&2; exit 1; }
dump=$(ls "$OUT"/callgrind.out.* | sort -t. -k3 -n | head -1)
ir=$(awk '/^(summary|totals):/ {print $2; exit}' "$dump")
if ((ANNOTATE)); then
  callgrind_annotate --inclusive=no "$dump" 2>/dev/null | sed -n '1,70p' >"$OUT/top.txt"
  echo "top functions: $OUT/top.txt" >&2
fi
awk -v i="$ir" -v r="$REQUESTS" 'BEGIN {printf "%d requests, %d instructions, %.0f instructions/request\n", r, i, i / r}'
