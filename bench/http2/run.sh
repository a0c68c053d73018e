#!/usr/bin/env bash
# HTTP/2 benchmark: examples/hello against h2o, nginx and Go, interleaved in one run.
#
#   bash bench/http2/run.sh [--rounds N] [--duration S] [--only a,b,...] [--hello PATH]
#                           [--rps-per-client N]
#
# Workloads (server pinned to CPU 0, client to CPU 1):
#   h2c  h2load -c 64 -m 10 -t 1 on /plaintext, cleartext prior knowledge (Go: n/a)
#   cpu  the same at a fixed offered rate, --rps-per-client x 64 (default 5,000 x 64 =
#        320,000 req/s, below httpkit's and h2o's top rates; httpkit and h2o only): the
#        server's CPU per request (utime + stime of it and its children), which compares
#        capacity where req/s at full load cannot, once h2load itself is the limit
#   tls  the same as h2c over TLS, ALPN h2
#   dl   one stream, 1 GiB: h2load -n 1 -c 1 -w 30 -W 30 (h2c; Go over TLS)
#   hs   TLS full handshakes per second: h2load, 2000 connections x 1 request
# Medians over rounds go to build/bench-results/http2/results.tsv and to stdout as a
# Markdown table; the raw outputs stay next to it.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DIR=$ROOT/bench/http2
OUT=$ROOT/build/bench-results/http2
SCRATCH=$OUT/scratch
ROUNDS=3
DURATION=10
SERVERS=(httpkit h2o nginx go)
HELLO=$ROOT/build/bench/examples/hello/hello
RPS_PER_CLIENT=5000
PORT=28443
TLSPORT=28444
PID=""

while (($#)); do
  case $1 in
    --rounds) ROUNDS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --only) IFS=, read -r -a SERVERS <<<"$2"; shift ;;
    --hello) HELLO=$2; shift ;;
    --rps-per-client) RPS_PER_CLIENT=$2; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[bench-h2 %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
stop() {
  if [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null; then kill "$PID"; sleep 0.3; kill -9 "$PID" 2>/dev/null || true; fi
  PID=""
}
trap stop EXIT

prepare() {
  rm -rf "$SCRATCH" && mkdir -p "$SCRATCH/root" "$OUT/raw"
  printf 'Hello, World!' >"$SCRATCH/root/plaintext"
  truncate -s 1073741824 "$SCRATCH/root/download"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$SCRATCH/key.pem" -out "$SCRATCH/cert.pem" 2>/dev/null
  for f in h2o nginx; do
    sed -e "s|@PORT@|$PORT|g" -e "s|@TLSPORT@|$TLSPORT|g" -e "s|@DIR@|$SCRATCH|g" -e "s|@CERT@|$SCRATCH/cert.pem|g" \
      -e "s|@KEY@|$SCRATCH/key.pem|g" "$DIR/peers/$f.conf.in" >"$SCRATCH/$f.conf"
  done
  mkdir -p "$ROOT/build/bench-go"
  (cd "$DIR/peers/go" && GOFLAGS=-mod=mod GOPROXY=off GOCACHE=$ROOT/build/bench-go/cache \
    GOPATH=$ROOT/build/bench-go/path timeout 300 /usr/lib/go-1.23/bin/go build -o "$ROOT/build/bench-go/h2peer" .)
}

# start NAME: runs the server on CPU 0; h2c on $PORT (except Go), TLS on $TLSPORT.
start() {
  case $1 in
    httpkit) taskset -c 0 "$HELLO" --threads 1 --h2c --addr 127.0.0.1:$PORT >"$SCRATCH/httpkit.log" 2>&1 &
             PID=$!
             # a second process for TLS would double the CPU: TLS runs use start_tls
             ;;
    h2o) taskset -c 0 h2o -c "$SCRATCH/h2o.conf" >"$SCRATCH/h2o.log" 2>&1 & PID=$! ;;
    nginx) taskset -c 0 nginx -c "$SCRATCH/nginx.conf" -p "$SCRATCH" -e "$SCRATCH/error.log" & PID=$! ;;
    go) taskset -c 0 "$ROOT/build/bench-go/h2peer" --addr 127.0.0.1:$TLSPORT --cert "$SCRATCH/cert.pem" \
          --key "$SCRATCH/key.pem" >"$SCRATCH/go.log" 2>&1 & PID=$! ;;
  esac
  sleep 1
}
start_tls() {
  if [[ $1 == httpkit ]]; then
    taskset -c 0 "$HELLO" --threads 1 --addr 127.0.0.1:$TLSPORT --tls "$SCRATCH/cert.pem" "$SCRATCH/key.pem" \
      >"$SCRATCH/httpkit-tls.log" 2>&1 &
    PID=$!
    sleep 1
  else
    start "$1"
  fi
}

url() {  # url NAME KIND PATH
  if [[ $2 == h2c && $1 != go ]]; then echo "http://127.0.0.1:$PORT$3"; else echo "https://127.0.0.1:$TLSPORT$3"; fi
}

rps() { awk '/^finished in/ {gsub(",", "", $4); print $4}' "$1"; }
mbps() {  # "finished in 1.2s, 0.83 req/s, 850.20MB/s" -> 850.20
  awk '/^finished in/ {match($6, /^[0-9.]+/); v=substr($6, 1, RLENGTH); u=substr($6, RLENGTH+1);
       if (u ~ /^GB/) v*=1000; if (u ~ /^KB/) v/=1000; if (u ~ /^B/) v/=1e6; print v}' "$1"
}

# server_ticks PID: utime + stime of the process (every thread) and of its children,
# in clock ticks; the command name may hold spaces, so fields count after its ")".
server_ticks() {
  local p total=0
  for p in "$1" $(pgrep -P "$1" || true); do
    total=$((total + $(sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
  done
  echo "$total"
}

measure() {  # measure NAME KIND ROUND -> prints the figure
  local name=$1 kind=$2 r=$3 raw="$OUT/raw/$1-$2-$3.txt"
  case $kind in
    h2c|tls) taskset -c 1 h2load -t 1 -c 64 -m 10 -D "$DURATION" --warm-up-time 1 "$(url "$name" "$kind" /plaintext)" \
               >"$raw" 2>&1; rps "$raw" ;;
    cpu) local t0 t1 done_
         t0=$(server_ticks "$PID")
         taskset -c 1 h2load -t 1 -c 64 -m 10 --rps "$RPS_PER_CLIENT" -D "$DURATION" "$(url "$name" h2c /plaintext)" \
           >"$raw" 2>&1
         t1=$(server_ticks "$PID")
         done_=$(awk '/^requests:/ {print $8}' "$raw")  # "requests: N total, N started, N done, N succeeded"
         awk -v t=$((t1 - t0)) -v n="${done_:-0}" -v hz="$(getconf CLK_TCK)" \
           'BEGIN { if (n > 0) printf "%.3f\n", t / hz * 1e6 / n }' ;;
    dl) local path=/download
        [[ $name == httpkit || $name == go ]] && path="/download?bytes=1073741824"
        taskset -c 1 h2load -t 1 -n 1 -c 1 -m 1 -w 30 -W 30 "$(url "$name" h2c "$path")" >"$raw" 2>&1; mbps "$raw" ;;
    hs) # One request per connection, 2000 connections: every request pays a full
        # handshake (no tickets: h2load does not resume). openssl s_time was tried and
        # rejected: without TCP_NODELAY it waits on delayed ACKs (~100 handshakes/s).
        taskset -c 1 h2load -t 1 -c 2000 -n 2000 -m 1 "$(url "$name" tls /plaintext)" >"$raw" 2>&1; rps "$raw" ;;
  esac
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR) print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }

main() {
  [[ -x $HELLO ]] || { echo "missing $HELLO (cmake --preset bench && cmake --build --preset bench)" >&2; exit 1; }
  prepare
  : >"$OUT/results.tsv"
  for r in $(seq "$ROUNDS"); do
    for s in "${SERVERS[@]}"; do
      for kind in h2c cpu dl tls hs; do
        [[ $s == go && $kind == h2c ]] && continue
        [[ $kind == cpu && $s != httpkit && $s != h2o ]] && continue
        [[ $kind == hs && $s != httpkit && $s != nginx ]] && continue
        if [[ $kind == tls || $kind == hs ]]; then start_tls "$s"; else start "$s"; fi
        local v; v=$(measure "$s" "$kind" "$r" || true)
        stop
        log "round $r $s $kind: ${v:-failed}"
        printf '%s\t%s\t%s\t%s\n' "$s" "$kind" "$r" "${v:-}" >>"$OUT/results.tsv"
      done
    done
  done
  echo "| server | h2c req/s (64x10) | server CPU µs/req at $((RPS_PER_CLIENT * 64)) req/s (h2c) | TLS h2 req/s (64x10) | 1 GiB one stream MB/s | TLS handshakes/s |"
  echo "|---|---|---|---|---|---|"
  for s in "${SERVERS[@]}"; do
    local row="| $s"
    for kind in h2c cpu tls dl hs; do
      row+=" | $(awk -v s="$s" -v k="$kind" '$1==s && $2==k && $4!="" {print $4}' "$OUT/results.tsv" | median)"
    done
    echo "$row |"
  done
  # Rounds swing with the host, and each round runs every server back to back: the
  # median of per-round ratios is the steadier comparison (the target reads both).
  echo
  echo "| httpkit ÷ peer, median of per-round ratios (rounds above 1) | h2c req/s | server CPU per request (lower is better) | TLS h2 req/s | TLS handshakes/s |"
  echo "|---|---|---|---|---|"
  local peer
  for peer in h2o nginx; do
    [[ " ${SERVERS[*]} " == *" $peer "* && " ${SERVERS[*]} " == *" httpkit "* ]] || continue
    row="| $peer"
    for kind in h2c cpu tls hs; do
      row+=" | $(awk -v p="$peer" -v k="$kind" -F'\t' '
        $2 == k && $4 != "" { v[$1, $3] = $4; rounds[$3] = 1 }
        END {
          for (r in rounds) if (v["httpkit", r] != "" && v[p, r] > 0) { x = v["httpkit", r] / v[p, r]; print x }
        }' "$OUT/results.tsv" | sort -n | awk '{a[NR] = $1; if ($1 > 1) up++}
        END { if (!NR) { print "–"; exit }
              m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
              printf "%.2fx (%d of %d)\n", m, up, NR }')"
    done
    echo "$row |"
  done
}

main
