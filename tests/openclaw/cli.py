"""The Clawtower CLI as the real-gateway tests run it, and what the test modules share (the
OpenClaw versions selected, keeping or removing run dirs, comparing totals with OpenClaw's)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from gateway import poll, run_days, sum_calls, transcript_calls  # noqa: F401 (poll: re-exported to the tests)

REPO = Path(__file__).resolve().parent.parent.parent
# Clawtower's token fields and OpenClaw's (usage.cost totals, a sessions.usage entry's usage).
TOKEN_FIELDS = (("inputTokens", "input"), ("outputTokens", "output"), ("cacheReadTokens", "cacheRead"),
                ("cacheWriteTokens", "cacheWrite"))
NANO_USD = 1e-9


def clawtower_bin() -> str:
    """CLAWTOWER_BIN, else the debug build; fails the test with what to do when it is missing."""
    path = os.environ.get("CLAWTOWER_BIN") or str(REPO / "target" / "debug" / "clawtower")
    if not os.access(path, os.X_OK):
        pytest.fail(f"Clawtower CLI not found at {path} (build it with `make cli`, or set CLAWTOWER_BIN)")
    return path


def selected_versions(default: list[str]) -> list[str]:
    """The OpenClaw versions to test: CLAWTOWER_OC_VERSIONS (comma-separated), else `default`."""
    listed = [v.strip() for v in os.environ.get("CLAWTOWER_OC_VERSIONS", "").split(",") if v.strip()]
    return listed or list(default)


def require_version(version: str, what: str) -> None:
    """Skips the caller unless CLAWTOWER_OC_VERSIONS (when set) includes `version`."""
    selected = selected_versions([version])
    if version not in selected:
        pytest.skip(f"{what} runs on OpenClaw {version} only (CLAWTOWER_OC_VERSIONS={','.join(selected)})")


def discard_run_dir(d: Path) -> None:
    """Removes a module's run dir once its tests are done, unless CLAWTOWER_OC_KEEP=1."""
    if os.environ.get("CLAWTOWER_OC_KEEP") != "1":
        shutil.rmtree(d, ignore_errors=True)


def ct(data_dir: Path, *args: str, timeout: float = 60, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Runs `clawtower --data-dir DATA_DIR ARGS…` (whatever its exit code), `stdin` as its input."""
    return subprocess.run([clawtower_bin(), "--data-dir", str(data_dir), *args], capture_output=True, text=True,
                          timeout=timeout, input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL)


def ct_json(data_dir: Path, *args: str, timeout: float = 60):
    r = ct(data_dir, *args, timeout=timeout)
    if r.returncode != 0:
        pytest.fail(f"clawtower {' '.join(args)} exited {r.returncode}\nstdout: {r.stdout[-3000:]}\n"
                    f"stderr: {r.stderr[-3000:]}")
    return json.loads(r.stdout)


def ct_result(data_dir: Path, *args: str, timeout: float = 60) -> tuple[int, dict]:
    """(exit code, JSON printed) of a command that prints JSON whatever its exit code; when it
    printed nothing, the JSON is {"stderr": …}."""
    r = ct(data_dir, *args, timeout=timeout)
    return r.returncode, json.loads(r.stdout) if r.stdout.strip() else {"stderr": r.stderr[-3000:]}


def clawtower_crosscheck(data_dir: Path, state_dir: Path, meta: dict) -> tuple[int, dict]:
    """`clawtower crosscheck --json` over the run's days (UTC): (exit code, JSON)."""
    first, last = run_days(meta)
    return ct_result(data_dir, "crosscheck", "--json", "--tz", "UTC", "--since", first, "--until", last,
                     "--openclaw-home", str(state_dir), timeout=150)


def compare_totals(ours: dict, theirs: dict, costs: tuple = ("reportedCostUsd", "costUsd"),
                   where: str = "") -> list[str]:
    """What differs between Clawtower's numbers (`report` totals or a row: inputTokens…, costUsd) and
    OpenClaw's (usage.cost totals, or the usage of a sessions.usage entry: input…, totalCost): every
    token count exactly, and each of `costs` within a nano-dollar of totalCost. Empty when equal."""
    at = f"{where}: " if where else ""
    out = [f"{at}{mine}={ours.get(mine)} but OpenClaw {other}={theirs.get(other)}"
           for mine, other in TOKEN_FIELDS if ours.get(mine) != theirs.get(other)]
    total = theirs.get("totalCost")
    for mine in costs:
        value = ours.get(mine)
        if not (isinstance(value, (int, float)) and isinstance(total, (int, float))
                and abs(value - total) <= NANO_USD):
            out.append(f"{at}{mine}={value!r} but OpenClaw totalCost={total!r}")
    return out


def ledger_diagnostics(label: str, state_dir: Path, usage_cost: dict, daily: dict, sessions: dict) -> str:
    """OpenClaw's usage.cost totals, the ledger's (`report daily` and `report session` JSON) and what
    the transcripts hold, call by call: for a failing comparison."""
    calls = transcript_calls(state_dir)
    by_session: dict[str, list] = {}
    for c in calls:
        by_session.setdefault(c.get("session_id", "?"), []).append(c)
    lines = [f"{label} usage.cost totals: {json.dumps(usage_cost.get('totals'))}",
             f"Clawtower report daily totals:      {json.dumps(daily.get('totals'))}",
             f"sum over transcript lines:          {json.dumps(sum_calls(calls))}",
             "Clawtower per session:"]
    for row in sessions.get("rows") or []:
        lines.append(f"  {row.get('key')}: calls={row.get('calls')} in={row.get('inputTokens')} "
                     f"out={row.get('outputTokens')} cr={row.get('cacheReadTokens')} "
                     f"cw={row.get('cacheWriteTokens')} cost={row.get('costUsd')}")
    lines.append("transcript lines (assistant messages with usage):")
    for sid, cs in sorted(by_session.items()):
        for c in cs:
            u = c.get("usage") or {}
            lines.append(f"  {c.get('source')} id={c.get('entry_id')} provider={c.get('provider')} "
                         f"in={u.get('input')} out={u.get('output')} cr={u.get('cacheRead')} "
                         f"cw={u.get('cacheWrite')} cost={(u.get('cost') or {}).get('total')}"
                         + (f" ERROR {c['error']}" if "error" in c else ""))
    lines.append(f"(state dir {state_dir}; set CLAWTOWER_OC_KEEP=1 to keep it)")
    return "\n".join(lines)


class Follower:
    """`clawtower gateway follow`, with every stdout/stderr line kept as (Unix time, line)."""

    def __init__(self, data_dir: Path, state_dir: Path, label: str, gateway_only: bool = False):
        """`gateway_only`: store only the gateway feed's calls (to measure the feed alone)."""
        self.label = label
        self.started = time.time()
        self.proc = subprocess.Popen(
            [clawtower_bin(), "--data-dir", str(data_dir), "gateway", "follow", "--openclaw-home", str(state_dir)]
            + (["--gateway-only"] if gateway_only else []),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, bufsize=1)
        self.out: list[tuple[float, str]] = []
        self.err: list[tuple[float, str]] = []
        self._readers = [threading.Thread(target=self._read, args=(s, lines), daemon=True)
                         for s, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))]
        for t in self._readers:
            t.start()

    @staticmethod
    def _read(stream, lines):
        for line in iter(stream.readline, ""):
            lines.append((time.time(), line.rstrip("\n")))

    def wait_following(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not any(line.startswith("Following") for _, line in self.err):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                pytest.fail(f"{self.label}: clawtower gateway follow did not subscribe (exit {self.proc.poll()})\n"
                            f"{self.tail()}")
            time.sleep(0.1)

    def first_err(self, prefix: str):
        return next(((t, line) for t, line in list(self.err) if line.startswith(prefix)), None)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        for t in self._readers:
            t.join(timeout=5)

    def tail(self, n: int = 25) -> str:
        def fmt(lines):
            return "\n".join(f"  {time.strftime('%H:%M:%S', time.localtime(t))}.{int(t % 1 * 1000):03d} {line}"
                             for t, line in list(lines)[-n:]) or "  (nothing)"
        return (f"--- {self.label} stdout (calls):\n{fmt(self.out)}\n"
                f"--- {self.label} stderr:\n{fmt(self.err)}")


