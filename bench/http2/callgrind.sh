#!/usr/bin/env bash
# HTTP/2 cost in instructions: examples/hello under valgrind's callgrind serving h2c
# (prior knowledge) to h2load, counting the server's instructions per request. Unlike
# requests per second this does not move with other jobs on a shared machine, so it is
# the figure to compare code changes by; run.sh gives the side-by-side rates.
#
#   bash bench/http2/callgrind.sh [--hello PATH] [--requests N] [--out DIR] [--annotate] [--tls]
#
# Start `valgrind --tool=callgrind hello --threads 1 --h2c`, warm up with 5,000 requests,
# zero the counters (callgrind_control -z), run `h2load -c 64 -m 10 -n N`, dump (-d), and
# divide the dump's instruction total by N. --annotate writes the top functions
# (callgrind_annotate --inclusive=no) to OUT/top.txt. --tls serves h2 over TLS instead
# (a throw-away ECDSA P-256 certificate in OUT, ALPN h2), so the count includes the crypto.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HELLO=$ROOT/build/release/examples/hello/hello
REQUESTS=20000
ANNOTATE=0
TLS=0
PORT=18291
OUT=""

while (($#)); do
  case $1 in
    --hello) HELLO=$2; shift ;;
    --requests) REQUESTS=$2; shift ;;
    --annotate) ANNOTATE=1 ;;
    --tls) TLS=1 ;;
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

if ((TLS)); then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -keyout "$OUT/key.pem" -out "$OUT/cert.pem" 2>/dev/null
  URL=https://127.0.0.1:$PORT/plaintext
  serve=(--tls "$OUT/cert.pem" "$OUT/key.pem")
  probe=(--http2 -k)
else
  URL=http://127.0.0.1:$PORT/plaintext
  serve=(--h2c)
  probe=(--http2-prior-knowledge)
fi
valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out" \
  "$HELLO" --addr 127.0.0.1:$PORT --threads 1 "${serve[@]}" >"$OUT/stdout.log" 2>"$OUT/valgrind.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 200); do curl -s -o /dev/null "${probe[@]}" "$URL" && break; sleep 0.2; done
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
awk -v i="$ir" -v r="$REQUESTS" 'BEGIN {printf "%d requests, %.0f instructions, %.0f instructions/request\n", r, i, i / r}'
