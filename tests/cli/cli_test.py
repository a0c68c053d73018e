#!/usr/bin/env python3
"""End-to-end tests of the httpkit CLI: one case per invocation (see CMakeLists.txt).

The kit is installed into WORK/prefix from the build tree, a project `demo` is created
in WORK/demo with that prefix's `httpkit`, and the dev cases drive `httpkit dev` on a
free port while editing demo/src/routes.cpp.
"""
import http.client
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

BUILD = os.environ["HTTPKIT_BUILD_DIR"]
WORK = os.environ["HTTPKIT_CLI_WORK"]
PREFIX = os.path.join(WORK, "prefix")
DEMO = os.path.join(WORK, "demo")
HTTPKIT = os.path.join(PREFIX, "bin", "httpkit")
ROUTES = os.path.join(DEMO, "src", "routes.cpp")

RELOAD_TIMEOUT = 150  # seconds: a rebuild on a loaded 2-core CI machine


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def run(args, cwd=None, want=0):
    print("$ " + " ".join(args), flush=True)
    p = subprocess.run(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if want is not None and p.returncode != want:
        fail(f"{' '.join(args)} exited {p.returncode}, want {want}:\n{p.stdout[-4000:]}")
    return p


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, timeout=10):
    """GET on a fresh connection: (status, body); raises on any transport error."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("GET", path, headers={"Connection": "close"})
        r = c.getresponse()
        return r.status, r.read().decode()
    finally:
        c.close()


def wait_for_body(port, path, predicate, timeout):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            last = get(port, path)
            if predicate(last[1]):
                return last
        except OSError as e:
            last = e
        time.sleep(0.05)
    fail(f"GET {path}: no matching response within {timeout}s (last: {last!r})")


def edit_routes(old, new):
    with open(ROUTES) as f:
        text = f.read()
    check(old in text, f"{old!r} not in routes.cpp")
    with open(ROUTES, "w") as f:
        f.write(text.replace(old, new, 1))


class Dev:
    """`httpkit dev` in the demo project on a free port, its output in a log file."""

    def __init__(self):
        self.port = free_port()
        self.log_path = os.path.join(WORK, f"dev-{self.port}.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([HTTPKIT, "dev", "--addr", f"127.0.0.1:{self.port}"], cwd=DEMO,
                                     stdout=self.log, stderr=subprocess.STDOUT)

    def output(self):
        with open(self.log_path) as f:
            return f.read()

    def wait_for_log(self, pattern, count=1, timeout=RELOAD_TIMEOUT):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if len(re.findall(pattern, self.output())) >= count:
                return
            check(self.proc.poll() is None, "httpkit dev exited:\n" + self.output()[-3000:])
            time.sleep(0.1)
        fail(f"no {pattern!r} (x{count}) in the dev output within {timeout}s:\n" + self.output()[-3000:])

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=60)
        self.log.close()
        return code


def restore_routes():
    shutil.copy(os.path.join(WORK, "routes.cpp.orig"), ROUTES)


# --- cases -----------------------------------------------------------------------

def case_install():
    shutil.rmtree(PREFIX, ignore_errors=True)
    run(["cmake", "--install", BUILD, "--prefix", PREFIX])
    check(os.access(HTTPKIT, os.X_OK), "the CLI was not installed")
    check(os.path.isfile(os.path.join(PREFIX, "share/httpkit/app_template/src/routes.cpp")), "template not installed")
    check(os.path.isfile(os.path.join(PREFIX, "lib/pkgconfig/httpkit.pc")), "pkg-config file not installed")
    out = run([HTTPKIT, "version"]).stdout
    check(out.startswith("httpkit ") and PREFIX in out, "version: " + out)


def case_new_build_test():
    shutil.rmtree(DEMO, ignore_errors=True)
    out = run([HTTPKIT, "new", "demo"], cwd=WORK).stdout
    check("httpkit dev" in out, "no next steps printed:\n" + out)
    shutil.copy(ROUTES, os.path.join(WORK, "routes.cpp.orig"))
    again = run([HTTPKIT, "new", "demo"], cwd=WORK, want=1).stdout
    check("already exists" in again, "overwrite not refused:\n" + again)
    run([HTTPKIT, "new", "Bad Name"], cwd=WORK, want=2)

    run([HTTPKIT, "build"], cwd=DEMO)
    out = run([HTTPKIT, "test"], cwd=DEMO).stdout
    check("100% tests passed" in out, "demo tests:\n" + out)
    routes = run([HTTPKIT, "routes"], cwd=DEMO).stdout
    check(re.search(r"GET /hello/\{name\}\s+src/routes\.cpp:\d+", routes), "routes:\n" + routes)

    # A configuration error stops start-up with file, line and reason.
    bad = os.path.join(WORK, "bad.toml")
    with open(bad, "w") as f:
        f.write('[server]\naddr = ":8080"\nread_timeout = 5\n')
    p = run([os.path.join(DEMO, "build/dev/demo"), "--config", bad], want=2)
    check(f"{bad}:3: server.read_timeout: expected a string" in p.stdout, p.stdout)


def case_dev_edit_and_broken_build():
    restore_routes()
    dev = Dev()
    try:
        wait_for_body(dev.port, "/hello/ada", lambda b: b == "Hello, ada!\n", RELOAD_TIMEOUT)
        edit_routes('"Hello, "', '"Howdy, "')
        wait_for_body(dev.port, "/hello/ada", lambda b: b == "Howdy, ada!\n", RELOAD_TIMEOUT)

        edit_routes("void hello(", "void hello(int broken")  # a syntax error
        dev.wait_for_log(r"build failed; still serving the previous version")
        out = dev.output()
        check(re.search(r"src/routes\.cpp:\d+:\d+: error:", out), "no short compiler error shown:\n" + out[-3000:])
        check("FAILED:" not in out, "ninja's command lines were not filtered out")
        check(get(dev.port, "/hello/ada") == (200, "Howdy, ada!\n"), "the old version stopped serving")

        edit_routes("void hello(int broken", "void hello(")
        edit_routes('"Howdy, "', '"Hello again, "')
        wait_for_body(dev.port, "/hello/ada", lambda b: b == "Hello again, ada!\n", RELOAD_TIMEOUT)
    finally:
        code = dev.stop()
        restore_routes()
    check(code == 0, f"httpkit dev exited {code}")


def load(port, stop, counts, path="/hello/load"):
    """One client: fresh connection per request until stop; counts ok/failed."""
    while not stop.is_set():
        try:
            status, _ = get(port, path)
            counts["ok" if status == 200 else "failed"] += 1
        except OSError as e:
            counts["failed"] += 1
            counts.setdefault("errors", []).append(repr(e))


def stream_events(port, result):
    """GET /events (10 ticks, 1 s apart) while the reload happens: the old process must finish it."""
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("GET", "/events")
        r = c.getresponse()
        result["status"] = r.status
        result["body"] = r.read().decode()
    except OSError as e:
        result["error"] = repr(e)


def case_dev_reload_under_load():
    restore_routes()
    dev = Dev()
    stop = threading.Event()
    counts = {"ok": 0, "failed": 0}
    try:
        wait_for_body(dev.port, "/hello/x", lambda b: b.startswith("Hello"), RELOAD_TIMEOUT)
        clients = [threading.Thread(target=load, args=(dev.port, stop, counts)) for _ in range(4)]
        for t in clients:
            t.start()
        events = {}
        streamer = threading.Thread(target=stream_events, args=(dev.port, events))
        streamer.start()
        time.sleep(0.5)  # the stream is in flight on the current process
        for i in range(3):
            edit_routes('"Hello, "' if i == 0 else f'"V{i - 1} Hello, "', f'"V{i} Hello, "')
            wait_for_body(dev.port, "/hello/x", lambda b, i=i: b.startswith(f"V{i} Hello"), RELOAD_TIMEOUT)
        time.sleep(1)
        stop.set()
        for t in clients:
            t.join()
        streamer.join()
    finally:
        stop.set()
        code = dev.stop()
        restore_routes()
    print(f"requests: {counts['ok']} ok, {counts['failed']} failed", flush=True)
    check(counts["failed"] == 0, f"{counts['failed']} requests failed across reloads: {counts.get('errors', [])[:5]}")
    check(counts["ok"] > 50, "too few requests to mean anything")
    check(events.get("status") == 200 and events.get("body", "").count("data: tick") == 10,
          f"the SSE stream in flight during the reload did not complete: {events!r}")
    check(code == 0, f"httpkit dev exited {code}")


def case_dev_stop_drains():
    restore_routes()
    dev = Dev()
    wait_for_body(dev.port, "/hello/x", lambda b: b.startswith("Hello"), RELOAD_TIMEOUT)
    events = {}
    streamer = threading.Thread(target=stream_events, args=(dev.port, events))
    streamer.start()
    time.sleep(1.5)
    started = time.time()
    code = dev.stop()  # SIGTERM: dev forwards it; the app drains the stream, then exits
    streamer.join()
    check(code == 0, f"httpkit dev exited {code}")
    check(events.get("status") == 200 and events.get("body", "").count("data: tick") == 10,
          f"the slow request was cut: {events!r}")
    check(time.time() - started > 5, "dev returned before the in-flight request had finished")


class LiveEvents:
    """A raw client of the dev loop's live-reload stream: (event, data, log-so-far) in a queue."""

    def __init__(self, url, dev):
        m = re.match(r"http://127\.0\.0\.1:(\d+)(/\S*)", url)
        check(m, "bad live reload URL " + url)
        self.sock = socket.create_connection(("127.0.0.1", int(m[1])), timeout=5)
        self.sock.sendall(f"GET {m[2]} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
        self.sock.settimeout(None)
        self.dev = dev
        self.events = queue.Queue()
        self.head = ""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        f = self.sock.makefile("r", encoding="utf-8", newline="\n")
        while (line := f.readline()) not in ("\r\n", ""):
            self.head += line
        event, data = "message", []
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data.append(line[6:])
            elif line == "":
                if data:  # the dev output as it was when the event arrived: what had happened by then
                    self.events.put((event, "\n".join(data), self.dev.output()))
                event, data = "message", []

    def next(self, want, timeout=RELOAD_TIMEOUT):
        """The next event named in want (others are skipped, except that a reload or
        build-error not wanted fails the test): (event, data, dev output at arrival)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                ev = self.events.get(timeout=max(0.1, deadline - time.time()))
            except queue.Empty:
                break
            if ev[0] in want:
                return ev
            check(ev[0] not in ("reload", "build-error"), f"unexpected {ev[0]} event: {ev[1]!r}")
        fail(f"no {want} event within {timeout}s:\n" + self.dev.output()[-3000:])

    def close(self):
        self.sock.close()


def case_dev_live_reload():
    restore_routes()
    dev = Dev()
    try:
        wait_for_body(dev.port, "/hello/ada", lambda b: b == "Hello, ada!\n", RELOAD_TIMEOUT)
        m = re.search(r"live reload events on (http://\S+)", dev.output())
        check(m, "dev did not print the live reload URL:\n" + dev.output())
        url = m[1]

        # HTML pages carry the script pointing at the stream; other responses are untouched.
        status, page = get(dev.port, "/")
        check(status == 200 and "data-httpkit-live-reload" in page and url in page, "no script in the page:\n" + page)
        check(page.index("</html>") < page.index("<script data-httpkit-live-reload"), page)
        check(get(dev.port, "/hello/ada") == (200, "Hello, ada!\n"), "a text/plain response was changed")

        live = LiveEvents(url, dev)
        time.sleep(0.3)
        check("text/event-stream" in live.head and "Access-Control-Allow-Origin: *" in live.head, live.head)

        # A good edit: "building", then "reload" only once the new version is ready and serving.
        serving_before = dev.output().count("httpkit dev: serving http://")
        edit_routes('"Hello, "', '"Live, "')
        live.next({"building"})
        _, _, log_then = live.next({"reload"})
        check(log_then.count("httpkit dev: serving http://") == serving_before + 1,
              "reload sent before the new version was ready and serving:\n" + log_then[-2000:])
        wait_for_body(dev.port, "/hello/ada", lambda b: b == "Live, ada!\n", 5)

        # A broken edit: a build-error event carrying the compiler's message, no reload.
        edit_routes("void hello(", "void hello(int broken")
        _, message, _ = live.next({"build-error"})
        check(re.search(r"src/routes\.cpp:\d+:\d+: error:", message), "no compiler message in the event:\n" + message)
        check(get(dev.port, "/hello/ada") == (200, "Live, ada!\n"), "the old version stopped serving")
        # A page opened while the build is broken is told at once.
        late = LiveEvents(url, dev)
        _, replay, _ = late.next({"build-error"}, timeout=5)
        check(replay == message, "the last build error was not replayed to a new page")
        late.close()

        # The fix: reload again.
        edit_routes("void hello(int broken", "void hello(")
        live.next({"reload"})
        wait_for_body(dev.port, "/hello/ada", lambda b: b == "Live, ada!\n", 5)
        live.close()
    finally:
        code = dev.stop()
        restore_routes()
    check(code == 0, f"httpkit dev exited {code}")


if __name__ == "__main__":
    os.makedirs(WORK, exist_ok=True)
    globals()["case_" + sys.argv[1]]()
    print("ok")
