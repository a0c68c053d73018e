#!/usr/bin/env bash
# Dev-loop figures (issue 6): time from `httpkit new` to the first 200 (cold, no ccache),
# save-to-new-response for a one-line handler change, and failed requests across N
# reloads under continuous load. Prints a Markdown block for bench/RESULTS-devloop.md.
#   bench/devloop/run.sh [RELOADS=50]      (needs the kit in build/prefix: `make run` or
#   cmake --install build/release --prefix build/prefix; override with HTTPKIT_PREFIX)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
prefix=${HTTPKIT_PREFIX:-$root/build/prefix}
httpkit=$prefix/bin/httpkit
reloads=${1:-50}
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dev_pid=""
cleanup() { [[ -n $dev_pid ]] && kill -TERM "$dev_pid" 2>/dev/null && wait "$dev_pid" || true; rm -rf "$work"; }
trap cleanup EXIT

now() { date +%s.%N; }
# wait_body PATH PREFIX: poll (10 ms) until GET PATH starts with PREFIX. A request
# unanswered for 5 s is retried on a new connection, so a stall shows in the figure
# instead of hanging the script.
wait_body() {
  until curl -fs --max-time 5 "http://127.0.0.1:$port$1" 2>/dev/null | grep -q "^$2"; do sleep 0.01; done
}

# 1. Cold: new -> configure -> build -> first 200, with ccache off.
t0=$(now)
(cd "$work" && "$httpkit" new demo >/dev/null)
(cd "$work/demo" && CCACHE_DISABLE=1 exec "$httpkit" dev --addr "127.0.0.1:$port" >"$work/dev.log" 2>&1) &
dev_pid=$!
wait_body /hello/x Hello
cold=$(echo "$(now) - $t0" | bc)

# 2. Save to new response, 5 one-line edits; the median is reported.
routes=$work/demo/src/routes.cpp
edit_times=()
for i in 1 2 3 4 5; do
  sed -i "s/\"[A-Za-z0-9 ]*Hello, \"/\"E$i Hello, \"/" "$routes"
  t0=$(now)
  wait_body /hello/x "E$i Hello"
  edit_times+=("$(echo "$(now) - $t0" | bc)")
done
median_edit=$(printf '%s\n' "${edit_times[@]}" | sort -n | sed -n 3p)
# dev's own view of the same edits: rebuild start -> new version ready (ms), last 5.
ready_ms=$(grep -o 'ready in [0-9]* ms' "$work/dev.log" | tail -5 | grep -o '[0-9]*' | tr '\n' ' ')

# 3. Failed requests across N reloads under load (4 clients, a fresh connection per request).
python3 - "$port" "$work/load.out" <<'PY' &
import http.client, sys, threading, time, os
port, out = int(sys.argv[1]), sys.argv[2]
ok = failed = 0
lock = threading.Lock()
stop = False
def client():
    global ok, failed
    while not stop:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("GET", "/hello/load"); r = c.getresponse(); r.read(); c.close()
            good = r.status == 200
        except OSError:
            good = False
        with lock:
            if good: ok += 1
            else: failed += 1
ts = [threading.Thread(target=client) for _ in range(4)]
[t.start() for t in ts]
while not os.path.exists(out + ".stop"): time.sleep(0.05)
stop = True
[t.join() for t in ts]
open(out, "w").write(f"{ok} {failed}\n")
PY
load_pid=$!
t0=$(now)
for i in $(seq 1 "$reloads"); do
  sed -i "s/\"[A-Za-z0-9 ]*Hello, \"/\"R$i Hello, \"/" "$routes"
  wait_body /hello/x "R$i Hello"
done
reload_total=$(echo "$(now) - $t0" | bc)
touch "$work/load.out.stop"
wait "$load_pid"
read -r ok failed <"$work/load.out"

cat <<MD
### Dev loop ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -r))

| measure | value | target |
|---|---|---|
| \`httpkit new\` -> first 200, cold (ccache off) | ${cold} s | |
| save -> new response, median of 5 (${edit_times[*]}) | ${median_edit} s | <= 2 s |
| dev's "ready in" for those edits (build + start + /readyz) | ${ready_ms}ms | |
| failed requests across ${reloads} reloads under load | ${failed} of $((ok + failed)) | 0 |
| ${reloads} reloads took | ${reload_total} s | |

Command: \`bench/devloop/run.sh ${reloads}\` (kit in ${prefix}); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg).
The dev loop builds build/devloop (-O0 -g1, PCH, the app target only, linker: $(grep -o 'fuse-ld=[a-z]*' "$work/demo/build/devloop/CMakeCache.txt" | head -1 || echo bfd)).
MD
