#!/usr/bin/env python3
"""make bench, `clawtower serve` part: memory and API latency, as figures beside baselines measured
in the same run (never pass/fail).

  scripts/bench_serve.py BIN WORK [STATE_DIR]

BIN is the release `clawtower`; WORK holds `report-speed-1000000.sqlite` (the report_speed
example's 1M calls over 90 days); STATE_DIR, when given, is a synthetic OpenClaw home whose
import runs while commands are timed (how long a command takes while the ledger ingests — the
desktop app's commands are the same API functions over the same read pool).
"""
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BIN, WORK = sys.argv[1], sys.argv[2]
STATE = sys.argv[3] if len(sys.argv) > 3 else None
CALLS = int(os.environ.get("BENCH_CALLS", "1000000"))
ROUNDS = 300


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        kb = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))
    return kb / 1024


class Serve:
    """`clawtower serve` on a free port over DATA (and OpenClaw home HOME)."""

    def __init__(self, data: str, home: str):
        self.proc = subprocess.Popen(
            [BIN, "--data-dir", data, "serve", "--bind", "127.0.0.1:0", "--openclaw-home", home],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "CLAWTOWER_LOG": "warn"})
        self.port = self.token = None
        for line in self.proc.stderr:
            m = re.search(r"http://127\.0\.0\.1:(\d+)/#token=(\S+)", line)
            if m:
                self.port, self.token = int(m.group(1)), m.group(2)
                break
        if not self.port:
            raise SystemExit("clawtower serve printed no link")
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port)

    def call(self, method: str, path: str, body: bytes | None = None) -> float:
        headers = {"Host": f"127.0.0.1:{self.port}", "Authorization": f"Bearer {self.token}"}
        t0 = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - t0
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status}")
        return elapsed * 1000

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def timed(serve: Serve, label: str, method: str, path: str, body: bytes | None = None, rounds=ROUNDS):
    serve.call(method, path, body)  # warm
    times = sorted(serve.call(method, path, body) for _ in range(rounds))
    p50, p99 = statistics.median(times), times[int(len(times) * 0.99) - 1]
    print(f"  {label:34} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms")
    return p50, p99


def main():
    tmp = tempfile.mkdtemp(prefix="clawtower-bench-serve-")
    home = os.path.join(tmp, "no-openclaw")
    try:
        empty = Serve(os.path.join(tmp, "empty"), home)
        time.sleep(2)
        idle = rss_mb(empty.proc.pid)
        empty.stop()
        data = os.path.join(tmp, "million")
        os.makedirs(data, mode=0o700)
        source = os.path.join(WORK, f"report-speed-{CALLS}.sqlite")
        # The write-ahead log too, when the example left one: without it the copy lacks calls.
        for suffix in ("", "-wal"):
            if os.path.exists(source + suffix):
                shutil.copy(source + suffix, os.path.join(data, "clawtower.sqlite" + suffix))
        serve = Serve(data, home)
        time.sleep(2)
        print(f"  serve idle RSS: {idle:.0f} MB empty, {rss_mb(serve.proc.pid):.0f} MB with {CALLS:,} calls stored")
        base, _ = timed(serve, "GET /healthz (baseline)", "GET", "/healthz")
        for label, path, body in [
            ("spend_summary", "/api/v1/rpc/spend_summary", b""),
            ("top_spend day", "/api/v1/rpc/top_spend", b'{"period":"day"}'),
            ("top_spend month", "/api/v1/rpc/top_spend", b'{"period":"month"}'),
            ("budget_board", "/api/v1/rpc/budget_board", b""),
        ]:
            p50, _ = timed(serve, f"{label} ({CALLS:,} calls)", "POST", path, body)
            print(f"  {'':34} p50 / healthz p50: {p50 / base:.1f}")
        print(f"  serve RSS after the calls: {rss_mb(serve.proc.pid):.0f} MB")
        serve.stop()
        if STATE:
            during_import(os.path.join(tmp, "ingesting"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def during_import(data: str):
    """spend_summary, back to back, from the start of the runtime's import of STATE until the ledger
    stops growing; the import's progress is read on a second connection."""
    import json
    import threading
    busy = Serve(data, STATE)
    watcher = http.client.HTTPConnection("127.0.0.1", busy.port)
    counts = []

    def ledger_calls() -> int:
        watcher.request("POST", "/api/v1/rpc/doctor", headers={
            "Host": f"127.0.0.1:{busy.port}", "Authorization": f"Bearer {busy.token}"})
        checks = json.loads(watcher.getresponse().read())["data"]["checks"]
        detail = next(c["detail"] for c in checks if c["id"] == "ledger")
        return int(re.sub(r"[^0-9]", "", detail.split(" ")[0]) or 0)

    done = threading.Event()

    def watch():
        t0 = time.monotonic()
        while True:
            counts.append((time.monotonic() - t0, ledger_calls()))
            if len(counts) >= 3 and counts[-1][1] == counts[-2][1] == counts[-3][1] and counts[-1][1] > 0:
                done.set()
                return
            time.sleep(0.25)

    threading.Thread(target=watch, daemon=True).start()
    times = []
    while not done.is_set():
        times.append(busy.call("POST", "/api/v1/rpc/spend_summary", b""))
    busy.stop()
    times.sort()
    growing = next((t for t, n in reversed(counts) if n != counts[-1][1]), 0)
    print(f"  spend_summary while the runtime imported {STATE} ({counts[-1][1]:,} calls, import "
          f"~{growing:.1f} s): {len(times)} calls, p50 {statistics.median(times):.2f} ms, "
          f"p99 {times[int(len(times) * 0.99) - 1]:.2f} ms, max {times[-1]:.0f} ms")


if __name__ == "__main__":
    main()
