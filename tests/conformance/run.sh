#!/usr/bin/env bash
# The conformance run of ctest: start HELLO (examples/hello) on a free port of
# 127.0.0.1, h2c or TLS with a throw-away certificate, and play every h2conform case
# against it, as an external suite would (decision 0054).
#
#   bash tests/conformance/run.sh HELLO H2CONFORM h2c|tls [CASE-ID-PREFIX...]
set -euo pipefail

HELLO=$1 H2CONFORM=$2 MODE=$3
shift 3
WORK=$(mktemp -d)
pid=""
cleanup() {
  if [[ -n $pid ]]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

serve=(--h2c)
probe=(--http2-prior-knowledge)
scheme=http
tls=()
if [[ $MODE == tls ]]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
  serve=(--tls "$WORK/cert.pem" "$WORK/key.pem")
  probe=(--http2 -k)
  scheme=https
  tls=(--tls)
fi

# A port another process holds makes hello exit at once: try the next one.
for _ in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 30000))
  "$HELLO" --addr 127.0.0.1:$port --threads 1 "${serve[@]}" 2>"$WORK/hello.log" &
  pid=$!
  for _ in $(seq 100); do
    curl -s -o /dev/null "${probe[@]}" "$scheme://127.0.0.1:$port/" && break 2
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
done
[[ -n $pid ]] || { echo "hello did not start:"; cat "$WORK/hello.log"; exit 1; }

"$H2CONFORM" --port "$port" "${tls[@]}" "$@"
kill -0 "$pid" || { echo "hello died during the run:"; cat "$WORK/hello.log"; exit 1; }
