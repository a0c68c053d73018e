#!/usr/bin/env bash
# HTTP benchmark: httpkit's examples/hello against its peers, side by side in one run.
#
#   bash bench/run.sh [--quick] [--rounds N] [--duration S] [--only a,b,...] [--no-build]
#                     [--quiet-wait S] [--quiet-budget S]
#
# Each server runs pinned to CPU 0 (taskset -c 0), wrk to CPU 1 (taskset -c 1 wrk -t1).
# Servers are interleaved round by round (A B C A B C) so drift on the machine hits
# them all alike; the report quotes medians over rounds and ratios against the
# ceiling (raw epoll, canned response) and nginx. Results replace the section between
# <!-- http:begin --> and <!-- http:end --> in bench/RESULTS.md; raw wrk outputs stay
# under build/bench-results/.
# The machine may be shared: each measurement first waits (up to --quiet-wait seconds,
# 60; --quiet-budget seconds in all, 600) for other processes to go quiet, and is taken
# again (twice at most) if they used the CPUs meanwhile; the least disturbed one counts.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HTTP_DIR=$ROOT/bench/http
OUT=$ROOT/build/bench-results
RAW=$OUT/raw
SCRATCH=$OUT/scratch
TSV=$OUT/results.tsv
CMDS=$OUT/commands.txt

ROUNDS=3
DURATION=10
BUILD=1
ONLY=""
SERVERS=(ceiling httpkit nginx h2o go httplib)
IDLE_CONNS=10000
PIPELINE_DEPTH=16
PIPELINE_CONNS=256
OTHERS_MAX=25   # % of one CPU that other processes may use during a measurement
RETRIES=2
QUIET_WAIT=60     # seconds one measurement may wait for other work to calm down
QUIET_BUDGET=600  # seconds the whole run may spend waiting, so it ends in bounded time
CLK_TCK=$(getconf CLK_TCK)
HOST=127.0.0.1
BASE_PORT=18080

SERVER_PID=""
CLIENT_PID=""

usage() {
  awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "${BASH_SOURCE[0]}"
  exit "${1:-0}"
}

parse_args() {
  while (($#)); do
    case $1 in
      --quick) ROUNDS=1 DURATION=3 QUIET_BUDGET=120 ;;
      --rounds) ROUNDS=$2; shift ;;
      --duration) DURATION=$2; shift ;;
      --only) ONLY=$2; shift ;;
      --no-build) BUILD=0 ;;
      --quiet-wait) QUIET_WAIT=$2; shift ;;
      --quiet-budget) QUIET_BUDGET=$2; shift ;;
      -h|--help) usage 0 ;;
      *) echo "unknown option: $1" >&2; usage 2 ;;
    esac
    shift
  done
  if [[ -n $ONLY ]]; then IFS=, read -r -a SERVERS <<<"$ONLY"; fi
}

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# Servers and clients must never outlive the script, whatever way it ends.
cleanup() {
  local pid
  for pid in "$CLIENT_PID" "$SERVER_PID"; do
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      sleep 0.2
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- building

# The whole tree (bench preset) gives httpkit's hello; when it does not build yet,
# the peers still build standalone so the rest of the comparison can run.
build_all() {
  local blog=$OUT/build.log
  : >"$blog"
  log "building (bench preset), log in $blog"
  if (cd "$ROOT" && timeout 1200 cmake --preset bench && timeout 1200 cmake --build --preset bench) >>"$blog" 2>&1; then
    PEER_BIN=$ROOT/build/bench/bench/http
  else
    log "bench preset failed (see $blog); building bench/http standalone"
    timeout 600 cmake -S "$HTTP_DIR" -B "$ROOT/build/bench-http" -G Ninja -DCMAKE_BUILD_TYPE=Release >>"$blog" 2>&1
    timeout 600 cmake --build "$ROOT/build/bench-http" >>"$blog" 2>&1
    PEER_BIN=$ROOT/build/bench-http
  fi
  build_go_peer >>"$blog" 2>&1 || log "Go peer failed to build (see $blog)"
}

# Debian's Go (golang-go), offline: no module downloads, caches inside build/.
build_go_peer() {
  local dir=$ROOT/build/bench-go
  mkdir -p "$dir"
  (cd "$HTTP_DIR/peers/go" && GOFLAGS=-mod=mod GOPROXY=off GOCACHE=$dir/cache GOPATH=$dir/path \
    timeout 300 /usr/bin/go build -o "$dir/gopeer" .)
}

locate_binaries() {
  if [[ -z ${PEER_BIN:-} ]]; then
    PEER_BIN=$ROOT/build/bench/bench/http
    [[ -x $PEER_BIN/bench_http_ceiling ]] || PEER_BIN=$ROOT/build/bench-http
  fi
  HELLO=$ROOT/build/bench/examples/hello/hello
  GOPEER=$ROOT/build/bench-go/gopeer
  IDLE=$PEER_BIN/bench_http_idle_conns
  [[ -x $IDLE ]] || { echo "missing $IDLE: build first" >&2; exit 1; }
}

# ---------------------------------------------------------------- servers

port_of() {
  local i
  for i in "${!ALL_SERVERS[@]}"; do
    if [[ ${ALL_SERVERS[$i]} == "$1" ]]; then echo $((BASE_PORT + i + 1)); return; fi
  done
  return 1
}
ALL_SERVERS=(ceiling httpkit nginx h2o go httplib)

# Prints why a server cannot run here, or nothing when it can.
unavailable() {
  case $1 in
    ceiling) [[ -x $PEER_BIN/bench_http_ceiling ]] || echo "not built" ;;
    httpkit) [[ -x $HELLO ]] || echo "not built yet ($HELLO absent)" ;;
    nginx) command -v nginx >/dev/null || echo "nginx not installed (scripts/install-deps.sh --bench)" ;;
    h2o) command -v h2o >/dev/null || echo "h2o not installed (scripts/install-deps.sh --bench)" ;;
    go) [[ -x $GOPEER ]] || echo "Go peer not built" ;;
    httplib) [[ -x $PEER_BIN/bench_http_httplib ]] || echo "cpp-httplib peer not built" ;;
    *) echo "unknown server" ;;
  esac
}

# The exact command line for a server (config files are written here too).
server_cmd() {
  local name=$1 port=$2 dir=$SCRATCH/$1
  mkdir -p "$dir"
  case $name in
    ceiling) echo "$PEER_BIN/bench_http_ceiling --addr $HOST:$port" ;;
    httpkit) echo "$HELLO --addr $HOST:$port --threads 1" ;;
    nginx)
      sed -e "s|@PORT@|$port|g" -e "s|@DIR@|$dir|g" "$HTTP_DIR/peers/nginx.conf.in" >"$dir/nginx.conf"
      echo "nginx -c $dir/nginx.conf -p $dir -e $dir/error.log" ;;
    h2o)
      mkdir -p "$dir/root"
      printf 'Hello, World!' >"$dir/root/plaintext"
      sed -e "s|@PORT@|$port|g" -e "s|@DIR@|$dir|g" "$HTTP_DIR/peers/h2o.conf.in" >"$dir/h2o.conf"
      echo "h2o -c $dir/h2o.conf" ;;
    go) echo "env GOMAXPROCS=1 $GOPEER -addr $HOST:$port" ;;
    httplib) echo "$PEER_BIN/bench_http_httplib --addr $HOST:$port" ;;
  esac
}

# Records the first command line used for each server and workload, for the report,
# with paths relative to the repository.
note_cmd() {
  local what=$1 line=${2//$ROOT\//}
  grep -qF "# $what" "$CMDS" 2>/dev/null || printf '# %s\n%s\n' "$what" "$line" >>"$CMDS"
}

port_busy() { ss -Htln "sport = :$1" | grep -q .; }

# Starts a server pinned to CPU 0 and waits until it answers GET /plaintext.
start_server() {
  local name=$1 port cmd
  port=$(port_of "$name")
  if port_busy "$port"; then echo "port $port already in use" >&2; return 1; fi
  cmd=$(server_cmd "$name" "$port")
  note_cmd "server $name" "taskset -c 0 $cmd"
  # shellcheck disable=SC2086  # cmd is a plain word list built above
  taskset -c 0 $cmd >>"$SCRATCH/$name.log" 2>&1 &
  SERVER_PID=$!
  local i
  for i in $(seq 100); do
    if curl -fsS -o /dev/null --max-time 1 "http://$HOST:$port/plaintext" 2>/dev/null; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "$name did not come up on port $port (log: $SCRATCH/$name.log)" >&2
  stop_server
  return 1
}

stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  local i
  for i in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# utime+stime of every thread of the process, in clock ticks. The command name may
# hold spaces, so fields are counted after its closing parenthesis.
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
# utime alone: the server's own code, without the kernel's socket work (which a
# server shares with the ceiling and cannot avoid).
user_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12}'; }

# user+nice+system ticks of the whole machine (interrupt time left out: loopback
# traffic of the benchmark itself lands there). Less the server's and wrk's own time,
# it shows what else ran during a measurement: this machine may be shared.
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4; exit}' /proc/stat; }

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# ---------------------------------------------------------------- workloads

# Runs wrk pinned to CPU 1 and appends one line to the results table:
# round server workload requests req/s p99_us server_cpu_ticks errors wrk_cpu_s wall_s
# machine_ticks server_user_ticks. The machine may be shared, so a measurement during which other
# processes used more than OTHERS_MAX % of a CPU is taken again (up to RETRIES times).
run_wrk() {
  local round=$1 name=$2 workload=$3 conns=$4; shift 4
  local port out line attempt others
  port=$(port_of "$name")
  out=$RAW/$name.$workload.r$round.txt
  local cmd=(taskset -c 1 wrk -t1 -c"$conns" -d"${DURATION}s" --latency "$@" "http://$HOST:$port/plaintext")
  [[ $workload == pipeline ]] && cmd+=(-- "$PIPELINE_DEPTH")
  note_cmd "workload $workload" "${cmd[*]}"
  local best="" best_others=100000
  for attempt in $(seq 0 "$RETRIES"); do
    wait_quiet
    line=$(measure_wrk "$out.try$attempt" "$round" "$name" "$workload" "${cmd[@]}")
    others=$(others_pct "$line")
    if ((others < best_others)); then
      best=$line best_others=$others
      mv "$out.try$attempt" "$out"
      mv "$out.try$attempt.time" "$out.time"
    fi
    ((others <= OTHERS_MAX)) && break
    log "$name $workload: other processes used ${others}% of a CPU meanwhile (attempt $((attempt + 1)))"
    ((QUIET_BUDGET > 0)) || break  # no waiting left: a retry would be as disturbed
  done
  rm -f "$out".try*
  echo "$best" >>"$TSV"
}

# One wrk run; prints its results-table line. wrk's own CPU and wall time tell
# whether the client or the server was the limit (or neither: then both waited on
# wake-ups and req/s measures latency).
measure_wrk() {
  local out=$1 round=$2 name=$3 workload=$4; shift 4
  local before after user_before user_after sys_before sys_after wrk_time
  before=$(cpu_ticks "$SERVER_PID")
  user_before=$(user_ticks "$SERVER_PID")
  sys_before=$(machine_ticks)
  timeout $((DURATION + 30)) /usr/bin/time -f '%U %S %e' -o "$out.time" "$@" >"$out" 2>&1 ||
    log "wrk exited non-zero for $name $workload"
  after=$(cpu_ticks "$SERVER_PID")
  user_after=$(user_ticks "$SERVER_PID")
  sys_after=$(machine_ticks)
  wrk_time=$(tail -1 "$out.time" | awk 'NF == 3 {printf "%.2f\t%.2f", $1 + $2, $3; exit} {printf "0\t0"}')
  printf '%s\t%s\t%s\t%s\n' "$(parse_wrk "$out" "$round" "$name" "$workload" $((after - before)))" \
    "$wrk_time" $((sys_after - sys_before)) $((user_after - user_before))
}

# Waits (at most QUIET_WAIT seconds) until the rest of the machine uses under
# OTHERS_MAX % of a CPU, sampled over one second while our server sits idle: a
# compiler running on the other core would otherwise be measured as the server.
# The whole run may spend at most QUIET_BUDGET seconds waiting, so it stays bounded
# in time when the machine never calms down.
wait_quiet() {
  local start=$SECONDS deadline=$((SECONDS + QUIET_WAIT)) a b busy
  while :; do
    a=$(machine_ticks); sleep 1; b=$(machine_ticks)
    busy=$(((b - a) * 100 / CLK_TCK))
    ((busy <= OTHERS_MAX)) && break
    if ((SECONDS >= deadline || SECONDS - start >= QUIET_BUDGET)); then
      log "machine still busy (${busy}% of a CPU); measuring anyway"
      break
    fi
    sleep 2
  done
  QUIET_BUDGET=$((QUIET_BUDGET - (SECONDS - start)))
  ((QUIET_BUDGET > 0)) || QUIET_BUDGET=0
}

# CPU % (of one CPU, rounded) that neither the server nor wrk used during a run.
others_pct() {
  awk -F'\t' -v clk="$CLK_TCK" '{
    other = $11 / clk - $7 / clk - $9
    printf "%d", ($10 > 0 && other > 0) ? 100 * other / $10 + 0.5 : 0
  }' <<<"$1"
}

# Pulls totals, rate, p99 (in microseconds) and error counts out of wrk's report.
parse_wrk() {
  awk -v round="$2" -v name="$3" -v wl="$4" -v ticks="$5" '
    function us(v) {
      if (v ~ /us$/) return v + 0
      if (v ~ /ms$/) return v * 1000
      if (v ~ /m$/) return v * 60e6
      if (v ~ /s$/) return v * 1e6
      return v + 0
    }
    / requests in / { reqs = $1 }
    /^Requests\/sec:/ { rps = $2 }
    /^ +99%/ { p99 = us($2) }
    /Socket errors:/ { gsub(",", ""); errs += $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx responses:/ { errs += $NF }
    END {
      if (reqs == "") reqs = 0
      if (rps == "") rps = 0
      if (p99 == "") p99 = -1
      printf "%s\t%s\t%s\t%d\t%.1f\t%.1f\t%d\t%d\n", round, name, wl, reqs, rps, p99, ticks, errs
    }' "$1"
}

# Fresh server, one warm request, then IDLE_CONNS keep-alive connections that each
# made one request: the growth of VmRSS over the connection count is the per-connection cost.
run_idle() {
  local round=$1 name=$2 port base grown ready_line out
  port=$(port_of "$name")
  out=$RAW/$name.idle.r$round.txt
  base=$(rss_kib "$SERVER_PID")
  note_cmd "workload idle" "taskset -c 1 $IDLE --addr $HOST:$port --conns $IDLE_CONNS --timeout 60 --hold 300"
  taskset -c 1 "$IDLE" --addr "$HOST:$port" --conns "$IDLE_CONNS" --timeout 60 --hold 300 >"$out" 2>&1 &
  CLIENT_PID=$!
  local i
  for i in $(seq 700); do
    grep -q '^ready' "$out" && break
    kill -0 "$CLIENT_PID" 2>/dev/null || break
    sleep 0.1
  done
  sleep 1  # let the server finish bookkeeping for the last connections
  grown=$(rss_kib "$SERVER_PID")
  ready_line=$(grep '^ready' "$out" || echo "ready 0 $IDLE_CONNS")
  kill "$CLIENT_PID" 2>/dev/null || true
  wait "$CLIENT_PID" 2>/dev/null || true
  CLIENT_PID=""
  echo "rss_before_kib $base rss_after_kib $grown" >>"$out"
  # round server workload open failed rss_before rss_after
  printf '%s\t%s\tidle\t%s\t%s\t%s\t%s\n' "$round" "$name" \
    "$(awk '{print $2}' <<<"$ready_line")" "$(awk '{print $3}' <<<"$ready_line")" "$base" "$grown" >>"$OUT/idle.tsv"
}

# Why a server sits out the idle-connection test, or nothing.
idle_skip_reason() {
  case $1 in
    # One pool thread serves one connection at a time until its keep-alive times
    # out (5 s), so 10,000 connections would take hours, not measure memory.
    httplib) echo "thread per connection: one pool thread cannot hold 10,000 connections" ;;
  esac
}

bench_server() {
  local round=$1 name=$2
  log "round $round: $name"
  start_server "$name" || { log "$name failed to start, skipped this round"; return 0; }
  # Warm-up, not recorded: page faults, lazy initialisation, Go's heap growth.
  timeout 30 taskset -c 1 wrk -t1 -c64 -d1s "http://$HOST:$(port_of "$name")/plaintext" >/dev/null 2>&1 || true
  run_wrk "$round" "$name" c64 64
  run_wrk "$round" "$name" c256 256
  run_wrk "$round" "$name" pipeline "$PIPELINE_CONNS" -s "$HTTP_DIR/pipeline.lua"
  stop_server
  if [[ -z $(idle_skip_reason "$name") ]]; then
    start_server "$name" || return 0
    run_idle "$round" "$name"
    stop_server
  fi
}

# ---------------------------------------------------------------- report

machine_facts() {
  echo "nproc=$(nproc)"
  echo "cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "kernel=$(uname -sr)"
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "wrk=$(wrk -v 2>&1 | awk 'NR==1 {print $2}')"
  echo "nginx=$(nginx -v 2>&1 | sed 's/.*nginx\///')"
  echo "h2o=$(h2o --version 2>/dev/null | awk 'NR==1 {print $3}')"
  echo "go=$(/usr/bin/go version | awk '{print $3}')"
  echo "httplib=$(dpkg-query -W -f='${Version}' libcpp-httplib-dev 2>/dev/null || echo '?')"
  echo "rounds=$ROUNDS"
  echo "duration=$DURATION"
  echo "idle_conns=$IDLE_CONNS"
  echo "pipeline_depth=$PIPELINE_DEPTH"
  echo "pipeline_conns=$PIPELINE_CONNS"
  echo "clk_tck=$CLK_TCK"
  echo "others_max=$OTHERS_MAX"
  echo "retries=$RETRIES"
  echo "argv=$ARGV"
  echo "loadavg_start=$LOADAVG_START"
  echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)"
}

main() {
  ARGV="bash bench/run.sh${*:+ $*}"
  LOADAVG_START=$(cut -d' ' -f1-3 /proc/loadavg)
  parse_args "$@"
  local tool
  for tool in wrk taskset curl ss python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "$tool missing: scripts/install-deps.sh --bench" >&2; exit 1; }
  done
  rm -rf "$RAW" "$SCRATCH"
  mkdir -p "$RAW" "$SCRATCH"
  ((BUILD)) && build_all
  locate_binaries
  : >"$TSV"
  : >"$OUT/idle.tsv"
  : >"$CMDS"
  : >"$OUT/skipped.txt"

  local run=() name why
  for name in "${SERVERS[@]}"; do
    why=$(unavailable "$name")
    if [[ -n $why ]]; then
      log "skipping $name: $why"
      printf '%s\t%s\n' "$name" "$why" >>"$OUT/skipped.txt"
    else
      run+=("$name")
    fi
    why=$(idle_skip_reason "$name")
    [[ -z $why ]] || printf '%s\tidle\t%s\n' "$name" "$why" >>"$OUT/skipped.txt"
  done

  local round
  for round in $(seq "$ROUNDS"); do
    for name in "${run[@]}"; do bench_server "$round" "$name"; done
  done

  machine_facts >"$OUT/machine.txt"
  python3 "$HTTP_DIR/report.py" "$OUT" "$ROOT/bench/RESULTS.md"
  log "wrote bench/RESULTS.md (raw outputs in ${OUT#"$ROOT"/})"
}

main "$@"
