#!/usr/bin/env python3
"""Headless Chromium loads a page from proto_page_server over https (issue 5).

    browser_test.py SERVER h2|http1

The server prints its port and the SHA-256 of its certificate's public key; Chromium
trusts exactly that key (--ignore-certificate-errors-spki-list), loads
https://127.0.0.1:PORT/ and dumps the DOM after the page's script has fetched /proto.
Both the document and the fetch must report the protocol of the mode, with the exact
strings below: HTTP/2.0 and ALPN h2, or HTTP/1.1 when the server runs with --http1.
Every process is bounded in time and killed on every exit path.
"""
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

CHROMIUM = os.environ.get("HTTPKIT_CHROMIUM", "/usr/bin/chromium")
SERVER_START_TIMEOUT = 30  # seconds: TestPki runs openssl five times, under ASan
CHROMIUM_TIMEOUT = 60  # seconds: a cold start on a loaded 2-core CI machine
SERVER_EXIT_TIMEOUT = 15  # seconds: the server's graceful shutdown is 5 s at most

# What the page's two elements must read, per mode (see proto_page_server.cpp).
WANT = {
    "h2": {"page": "page proto=HTTP/2.0 alpn=h2", "fetch": "fetch proto=HTTP/2.0"},
    "http1": {"page": "page proto=HTTP/1.1 alpn=http/1.1", "fetch": "fetch proto=HTTP/1.1"},
}


class Failure(Exception):
    pass


def start_server(server, mode, log):
    """Starts the server; returns (process, port, spki) once it printed both lines."""
    args = [server] + (["--http1"] if mode == "http1" else [])
    print("$ " + " ".join(args), flush=True)
    p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)
    lines = queue.Queue()

    def read():
        for line in p.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)  # EOF

    threading.Thread(target=read, daemon=True).start()
    got = {}
    try:
        while "port" not in got or "spki" not in got:
            try:
                line = lines.get(timeout=SERVER_START_TIMEOUT)
            except queue.Empty:
                raise Failure(f"server printed no port and spki within {SERVER_START_TIMEOUT} s (got {got})")
            if line is None:
                raise Failure(f"server exited {p.wait()} before printing its port and spki (got {got})")
            key, _, value = line.partition("=")
            got[key] = value
    except BaseException:
        p.kill()
        p.wait()
        raise
    return p, int(got["port"]), got["spki"]


def stop_server(p):
    """Closes the server's stdin (its signal to stop) and returns its exit code."""
    try:
        p.stdin.close()
    except OSError:
        pass
    try:
        return p.wait(timeout=SERVER_EXIT_TIMEOUT)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        return None


def describe_exit(code):
    if code is None:
        return f"still running after {SERVER_EXIT_TIMEOUT} s, killed"
    if code < 0:
        return f"killed by {signal.Signals(-code).name}"
    return f"exited {code}"


def kill_group(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_chromium(url, spki, tmp):
    """Runs headless Chromium on url; returns (dumped DOM, stderr)."""
    home = os.path.join(tmp, "home")
    os.makedirs(home)
    args = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + os.path.join(tmp, "profile"),
        "--ignore-certificate-errors-spki-list=" + spki,
        "--virtual-time-budget=5000",  # lets the page's fetch finish before the dump
        "--dump-dom", url,
    ]
    print("$ " + " ".join(args), flush=True)
    # Its own process group, so a hung browser is killed with its helper processes;
    # its own HOME, so nothing is written to the real one (~/.pki).
    env = dict(os.environ, HOME=home)
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True, env=env)
    try:
        out, err = p.communicate(timeout=CHROMIUM_TIMEOUT)
    except subprocess.TimeoutExpired:
        kill_group(p)
        out, err = p.communicate()
        raise Failure(f"chromium did not finish within {CHROMIUM_TIMEOUT} s\nstderr:\n{chromium_log(err)}")
    finally:
        kill_group(p)  # helpers that outlived the browser
    if p.returncode != 0:
        raise Failure(f"chromium exited {p.returncode}\nstdout:\n{out[-4000:]}\nstderr:\n{chromium_log(err)}")
    return out, err


def chromium_log(err):
    """Chromium's stderr without the D-Bus complaints of a machine without a session bus."""
    return "\n".join(l for l in err.splitlines() if "dbus" not in l.lower())[-4000:]


def element_text(dom, element_id):
    m = re.search(r'<p id="' + element_id + r'">(.*?)</p>', dom, re.S)
    return m.group(1) if m else None


def check_dom(dom, err, mode):
    problems = []
    for element_id, want in WANT[mode].items():
        got = element_text(dom, element_id)
        if got is None:
            problems.append(f'#{element_id}: missing (not our page? a certificate error page?)')
        elif got != want:
            problems.append(f"#{element_id}: got {got!r}, want {want!r}")
    if problems:
        raise Failure("the page does not show the expected protocol:\n  " + "\n  ".join(problems) +
                      "\ndumped DOM:\n" + dom[-4000:] + "\nchromium stderr:\n" + chromium_log(err))
    for element_id in WANT[mode]:
        print(f"#{element_id}: {element_text(dom, element_id)}")


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in WANT:
        print("usage: browser_test.py SERVER h2|http1", file=sys.stderr)
        return 2
    server, mode = sys.argv[1], sys.argv[2]
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        print(f"FAIL: {CHROMIUM} not found: install the Debian package chromium with scripts/install-deps.sh "
              "(or set HTTPKIT_CHROMIUM to a Chromium binary)", file=sys.stderr)
        return 1

    tmp = tempfile.mkdtemp(prefix="httpkit-browser-")
    log_path = os.path.join(tmp, "server.log")
    p = None
    try:
        with open(log_path, "w") as log:
            try:
                p, port, spki = start_server(server, mode, log)
                dom, err = run_chromium(f"https://127.0.0.1:{port}/", spki, tmp)
                if p.poll() is not None:
                    raise Failure(f"the server died while Chromium loaded the page: {describe_exit(p.returncode)}")
                check_dom(dom, err, mode)
            finally:
                code = stop_server(p) if p else None
            if code != 0:
                raise Failure(f"server {describe_exit(code)} at the end, want exit 0")
        print(f"PASS: {mode}")
        return 0
    except Failure as e:
        print("FAIL: " + str(e), file=sys.stderr)
        with open(log_path) as log:
            text = log.read()
        if text:
            print("server stderr:\n" + text[-4000:], file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
