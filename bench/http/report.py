#!/usr/bin/env python3
"""Turns the tables bench/run.sh collected into the http section of bench/RESULTS.md.

Usage: report.py RESULTS_DIR RESULTS_MD
Reads results.tsv, idle.tsv, machine.txt, commands.txt and skipped.txt from
RESULTS_DIR and replaces the text between <!-- http:begin --> and <!-- http:end -->
in RESULTS_MD (creating the file or the section when absent).
"""
import statistics
import sys
from pathlib import Path

ORDER = ["ceiling", "httpkit", "nginx", "h2o", "go", "httplib"]
LABEL = {
    "ceiling": "ceiling (raw epoll, canned reply)",
    "httpkit": "httpkit examples/hello, 1 thread",
    "nginx": "nginx, 1 worker",
    "h2o": "h2o, 1 thread (static file)",
    "go": "Go net/http, GOMAXPROCS=1",
    "httplib": "cpp-httplib, pool of 1",
}
BEGIN, END = "<!-- http:begin -->", "<!-- http:end -->"


def read_tsv(path):
    if not path.exists():
        return []
    return [line.split("\t") for line in path.read_text().splitlines() if line.strip()]


def median(xs):
    return statistics.median(xs) if xs else None


def fmt_num(x, digits=0):
    if x is None:
        return "–"
    return f"{x:,.{digits}f}"


def fmt_ratio(x, ref):
    if x is None or not ref:
        return "–"
    return f"{x / ref:.2f}×"


def fmt_lat(us):
    if us is None or us < 0:
        return "–"
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.0f} µs"


class Runs:
    """Per (server, workload): the rounds' rates, CPU per request, p99s and errors."""

    def __init__(self, rows, clk_tck):
        self.data = {}
        for row in rows:
            rnd, name, wl, reqs, rps, p99, ticks, errs = row[:8]
            wrk_cpu, wall = (float(row[8]), float(row[9])) if len(row) >= 10 else (0.0, 0.0)
            machine = int(row[10]) if len(row) >= 11 else None
            user_ticks = int(row[11]) if len(row) >= 12 else None
            d = self.data.setdefault((name, wl), {"rps": [], "cpu": [], "user": [], "p99": [], "errs": 0,
                                                  "reqs": [], "server_busy": [], "wrk_busy": [],
                                                  "other_busy": [], "p99_by_round": {}, "cpu_by_round": {}})
            reqs, ticks = int(reqs), int(ticks)
            if wall > 0:
                d["server_busy"].append(100 * ticks / clk_tck / wall)
                d["wrk_busy"].append(100 * wrk_cpu / wall)
                if machine is not None:
                    other = machine / clk_tck - ticks / clk_tck - wrk_cpu
                    d["other_busy"].append(max(0.0, 100 * other / wall))
            d["rps"].append(float(rps))
            d["reqs"].append(reqs)
            if reqs > 0:
                d["cpu"].append(ticks * 1e6 / clk_tck / reqs)
                if user_ticks is not None:
                    d["user"].append(user_ticks * 1e6 / clk_tck / reqs)
            if reqs > 0:
                d["cpu_by_round"][rnd] = ticks * 1e6 / clk_tck / reqs
            if float(p99) >= 0:
                d["p99"].append(float(p99))
                d["p99_by_round"][rnd] = float(p99)
            d["errs"] += int(errs)

    def get(self, name, wl, key):
        d = self.data.get((name, wl))
        if not d:
            return None
        if key == "errs":
            return d["errs"]
        return median(d[key]) if d[key] else None

    def paired(self, key, name, ref, wl):
        """name's figure (key: "p99_by_round" or "cpu_by_round") over ref's, round by
        round (each round runs the servers back to back, so a round the host slowed
        hits them alike), as (median ratio, rounds name was lower, pairs)."""
        a = self.data.get((name, wl), {}).get(key, {})
        b = self.data.get((ref, wl), {}).get(key, {})
        ratios = [a[r] / b[r] for r in a if r in b and b[r] > 0]
        if not ratios:
            return None, 0, 0
        return median(ratios), sum(x < 1 for x in ratios), len(ratios)

    def spread(self, name, wl):
        d = self.data.get((name, wl))
        if not d or len(d["rps"]) < 2:
            return ""
        return f" ({min(d['rps']):,.0f}–{max(d['rps']):,.0f})"


# Below this many completed requests a run is a failure to serve the workload, not a rate.
MIN_REQUESTS = 100

# Why a server cannot complete a workload, when the cause is known and by design.
KNOWN_FAILURES = {
    ("httplib", "pipeline"): "closes each connection after 5 requests (keep-alive max), "
                             "so no 16-deep batch completes",
}


def workload_table(runs, wl, servers, skipped, with_p99=True):
    head = "| server | req/s, median (min–max) | req/s ÷ ceiling | req/s ÷ nginx " \
           "| server CPU µs/req | CPU ÷ ceiling | CPU ÷ nginx | user µs/req |"
    align = "|---|---:|---:|---:|---:|---:|---:|---:|"
    if with_p99:
        head += " p99 | p99 ÷ nginx |"
        align += "---:|---:|"
    out = [head + " server busy | wrk busy | others | errors |", align + "---:|---:|---:|---:|"]
    blanks = "|" * (13 if with_p99 else 11)  # one cell per remaining column
    ref_rps = {r: runs.get(r, wl, "rps") for r in ("ceiling", "nginx")}
    ref_cpu = {r: runs.get(r, wl, "cpu") for r in ("ceiling", "nginx")}
    ref_p99 = runs.get("nginx", wl, "p99")
    for s in servers:
        rps = runs.get(s, wl, "rps")
        if rps is None:
            out.append(f"| {LABEL.get(s, s)} | {skipped.get(s, 'no result')} {blanks}")
            continue
        reqs = runs.get(s, wl, "reqs")
        if reqs < MIN_REQUESTS:
            why = KNOWN_FAILURES.get((s, wl), "")
            out.append(f"| {LABEL.get(s, s)} | no usable result: wrk completed {reqs:.0f} requests"
                       f"{'; ' + why if why else ''} {blanks}")
            continue
        cpu, p99, user = runs.get(s, wl, "cpu"), runs.get(s, wl, "p99"), runs.get(s, wl, "user")
        row = (f"| {LABEL.get(s, s)} | {fmt_num(rps)}{runs.spread(s, wl)} "
               f"| {fmt_ratio(rps, ref_rps['ceiling'])} | {fmt_ratio(rps, ref_rps['nginx'])} "
               f"| {fmt_num(cpu, 2)} | {fmt_ratio(cpu, ref_cpu['ceiling'])} | {fmt_ratio(cpu, ref_cpu['nginx'])} "
               f"| {fmt_num(user, 2)} |")
        if with_p99:
            row += f" {fmt_lat(p99)} | {fmt_ratio(p99, ref_p99)} |"
        busy = [runs.get(s, wl, k) for k in ("server_busy", "wrk_busy", "other_busy")]
        row += "".join(f" {b:.0f} % |" if b is not None else " – |" for b in busy)
        out.append(row + f" {runs.get(s, wl, 'errs')} |")
    return out


def idle_stats(rows):
    per = {}
    for rnd, name, _, opened, failed, before, after in rows:
        opened, before, after = int(opened), int(before), int(after)
        d = per.setdefault(name, {"kib": [], "opened": [], "failed": 0, "before": [], "after": []})
        if opened > 0:
            d["kib"].append((after - before) / opened)
        d["opened"].append(opened)
        d["failed"] += int(failed)
        d["before"].append(before)
        d["after"].append(after)
    return per


def idle_table(per, servers, skipped, skipped_idle, n):
    out = [
        f"| server | KiB per connection, median | ÷ nginx | connections answered (of {n}) "
        "| RSS before → after, median |",
        "|---|---:|---:|---:|---:|",
    ]
    ref = median(per.get("nginx", {}).get("kib", []))
    for s in servers:
        d = per.get(s)
        if not d:
            why = skipped_idle.get(s) or skipped.get(s, "no result")
            out.append(f"| {LABEL.get(s, s)} | {why} | | | |")
            continue
        kib = median(d["kib"])
        out.append(
            f"| {LABEL.get(s, s)} | {fmt_num(kib, 2)} | {fmt_ratio(kib, ref)} "
            f"| {min(d['opened']):,} | {median(d['before']) / 1024:.1f} MiB → {median(d['after']) / 1024:.1f} MiB |"
        )
    return out


def targets(runs, per):
    """DESIGN issue #2 section 9 targets for httpkit, checked against this run."""
    rows = ["| target | measured | verdict |", "|---|---:|---|"]
    cpu, ceil = runs.get("httpkit", "c64", "cpu"), runs.get("ceiling", "c64", "cpu")
    pipe, npipe = runs.get("httpkit", "pipeline", "rps"), runs.get("nginx", "pipeline", "rps")
    kib = median(per.get("httpkit", {}).get("kib", []))
    p99, np99 = runs.get("httpkit", "c256", "p99"), runs.get("nginx", "c256", "p99")

    def verdict(ok):
        return "not measured" if ok is None else ("met" if ok else "**missed**")

    # Rounds swing with the host (req/s by a third on a busy day, and a slowed round
    # bills the server more CPU per request), so the verdicts on CPU and p99 also ask
    # the paired figure, the median of per-round ratios: both must meet the target.
    r = cpu / ceil if cpu and ceil else None
    paired, lower, pairs = runs.paired("cpu_by_round", "httpkit", "ceiling", "c64")
    ok = None if r is None or paired is None else (r <= 1.15 and paired <= 1.15)
    rows.append(f"| CPU per request at 64 connections ≤ 1.15× ceiling | {fmt_ratio(cpu, ceil)} (ratio of medians); "
                f"{fmt_ratio(paired, 1.0)} (median of per-round ratios) | {verdict(ok)} |")
    r = pipe / npipe if pipe and npipe else None
    rows.append(f"| pipelined throughput ≥ 4× nginx | {fmt_ratio(pipe, npipe)} "
                f"| {verdict(None if r is None else r >= 4)} |")
    rows.append(f"| 10,000 idle connections ≤ 1 KiB each | {fmt_num(kib, 2)} KiB "
                f"| {verdict(None if kib is None else kib <= 1.0)} |")
    r = p99 / np99 if p99 and np99 else None
    paired, lower, pairs = runs.paired("p99_by_round", "httpkit", "nginx", "c256")
    ok = None if r is None or paired is None else (r <= 1.0 and paired <= 1.0)
    rows.append(f"| p99 at 256 connections ≤ nginx's | {fmt_ratio(p99, np99)} (ratio of medians); "
                f"{fmt_ratio(paired, 1.0)} (median of per-round ratios), lower in {lower} of {pairs} rounds "
                f"| {verdict(ok)} |")
    return rows


def main():
    res, md = Path(sys.argv[1]), Path(sys.argv[2])
    facts = dict(line.split("=", 1) for line in (res / "machine.txt").read_text().splitlines() if "=" in line)
    clk = int(facts.get("clk_tck", "100"))
    runs = Runs(read_tsv(res / "results.tsv"), clk)
    per = idle_stats(read_tsv(res / "idle.tsv"))
    skipped, skipped_idle = {}, {}
    for row in read_tsv(res / "skipped.txt"):
        if len(row) == 3:
            skipped_idle[row[0]] = row[2]
        else:
            skipped[row[0]] = row[1]
    present = {k[0] for k in runs.data} | set(per) | set(skipped)
    servers = [s for s in ORDER if s in present]
    n_idle = int(facts.get("idle_conns", "10000"))
    dur, rounds = facts.get("duration"), facts.get("rounds")
    depth, pconns = facts.get("pipeline_depth"), facts.get("pipeline_conns")

    s = [BEGIN, "## HTTP/1.1 servers (bench/run.sh)", ""]
    s += [
        f"Measured {facts.get('date')} on {facts.get('nproc')} CPUs ({facts.get('cpu')}), "
        f"{facts.get('kernel')}. Every server on CPU 0 (`taskset -c 0`, one thread or worker), "
        f"wrk on CPU 1 (`taskset -c 1 wrk -t1`). {rounds} round(s) of {dur} s per workload, "
        "servers interleaved round by round (A B C A B C); figures are medians over rounds, "
        "with the spread of req/s in parentheses. Ratios divide by the ceiling's or nginx's "
        "median from the same run: for req/s higher is better, for CPU per request and p99 "
        "lower is better.",
        "",
        "Server CPU per request = (utime + stime from /proc/PID/stat after the run − before) "
        "÷ requests wrk completed. One wrk thread on one core saturates near the ceiling's "
        "rate, so at 64 and 256 connections req/s partly measures wrk; CPU per request is "
        "the fairer figure of the server's own cost. It still depends on load: a server that "
        "is not saturated handles fewer requests per epoll wakeup, so compare CPU per request "
        "between servers running at similar rates. \"user µs/req\" is the utime part alone: "
        "the server's own code, without the kernel's socket work that every server here does "
        "alike; it moves less with the host than the total does.",
        "",
        "Busy columns: the server's CPU time and wrk's (user + sys) over the wall time of the "
        "run, medians. When neither is near 100 %, both sides spent the run waiting for each "
        "other's wake-ups and req/s measures wake-up latency on this machine (a KVM guest, "
        "whose idle vCPUs halt and wake at the host's pace), not the server. \"others\" is "
        "the CPU time everything else on the machine used meanwhile (user + system from "
        "/proc/stat less the server's and wrk's), in % of one CPU: this machine may be shared "
        "with other work. Each measurement waited for the machine to go quiet first and was "
        f"taken again (up to {facts.get('retries', '?')} times) when others used more than "
        f"{facts.get('others_max', '?')} % of a CPU meanwhile; a row still above that was disturbed.",
        "",
        f"Load average at start and end of the run: {facts.get('loadavg_start', '?')} / "
        f"{facts.get('loadavg_end', '?')}.",
        "",
        f"Versions: nginx {facts.get('nginx')}, h2o {facts.get('h2o')}, Go {facts.get('go')} "
        f"(Debian's golang-go), cpp-httplib {facts.get('httplib')}, wrk {facts.get('wrk')}.",
        "",
    ]
    limit = float(facts.get("others_max", "25"))
    disturbed = [k for k, d in runs.data.items() if d["other_busy"] and median(d["other_busy"]) > limit]
    if disturbed:
        s += [f"**Disturbed run:** in {len(disturbed)} of {len(runs.data)} server × workload cells, other "
              f"processes on the machine used more than {limit:.0f} % of a CPU (median; see the \"others\" "
              "column). Their req/s and p99 measure the machine's load more than the servers; CPU per "
              "request and idle-connection memory hold up better. Run again on a quiet machine before "
              "quoting them.", ""]
    if not any(name == "httpkit" for name, _ in runs.data):
        s += [f"httpkit: {skipped.get('httpkit', 'no result')}; its targets are not measured yet.", ""]
    s += ["### Targets for httpkit (issue #2, section 9)", ""] + targets(runs, per) + [""]
    s += ["### Plaintext, keep-alive, 64 connections", ""] + workload_table(runs, "c64", servers, skipped) + [""]
    s += ["### Plaintext, keep-alive, 256 connections", ""] + workload_table(runs, "c256", servers, skipped) + [""]
    s += [f"### Plaintext, pipelined {depth} deep, {pconns} connections", ""]
    s += ["wrk times pipelined requests per batch and at times reports 0 µs percentiles for them, so this table has no p99.", ""]
    s += workload_table(runs, "pipeline", servers, skipped, with_p99=False) + [""]
    s += [f"### {n_idle:,} idle keep-alive connections", "",
          "Fresh server, one warm-up request, then VmRSS (from /proc/PID/status) before and after "
          f"{n_idle:,} connections that each made one request and stay open; "
          "KiB per connection = growth ÷ connections answered.", ""]
    s += idle_table(per, servers, skipped, skipped_idle, n_idle) + [""]
    s += ["### Commands", "", "```", f"# whole run", facts.get("argv", "bash bench/run.sh")]
    s += [line for line in (res / "commands.txt").read_text().splitlines()] if (res / "commands.txt").exists() else []
    s += ["```", "", "Raw wrk and idle-client outputs: `build/bench-results/raw/`.", END]
    section = "\n".join(s) + "\n"

    if md.exists():
        text = md.read_text()
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            tail = rest.split(END, 1)[1].lstrip("\n")
            text = head + section + ("\n" + tail if tail else "")
        else:
            text = text.rstrip("\n") + "\n\n" + section
    else:
        text = "# Benchmark results\n\nWritten by the bench scripts; each section is replaced by its own run.\n\n" + section
    md.write_text(text)


if __name__ == "__main__":
    main()
