"""`clawtower gateway follow` against a real OpenClaw gateway (2026.9.6) that restarts mid-run, and
a run aborted mid-stream: no call is lost or counted twice.

One gateway and one follower for the module (about 3 minutes of gateway time):

test_a_gateway_restart_mid_run_loses_no_call:
  A SLOWTEST turn (the stub streams one word per second) and two normal turns, then the gateway is
  restarted (SIGTERM, then started again on the same state dir, port and token) while the slow
  answer streams; OpenClaw drains the runs under way before it exits. Then three more turns (chat,
  tool, THINK). The follower must reconnect on its own (a "retrying" line, then a second
  "Following"), its call count must equal the number of assistant messages with usage in the
  transcripts and the number of lines it printed, and its tokens and cost must equal the
  transcripts' (what usage.cost adds up; asking usage.cost itself is left to the next test, as
  each wait for OpenClaw's usage cache costs half a minute or more).

test_an_aborted_stream_is_accounted_and_the_follower_keeps_going:
  A SLOWTEST turn aborted through the gateway (`sessions.abort {key, clearQueued: true}`) while it
  streams: the run ends aborted (OpenClaw keeps the partial answer as a zero-usage assistant
  message), the follower keeps running and stores a later turn of the same session. Then the
  ledger, with every call from before and after the restart and the abort, must equal OpenClaw's
  usage.cost (tokens exactly, cost to the nano-dollar), and `clawtower crosscheck` must agree.

test_a_crosscheck_right_after_a_call_sees_it: see its docstring.

It prints what it measured (reconnect time after the restarted gateway was ready, totals…) as
`gateway resilience figures: {…}`. Settings are those of test_real_gateway.py (CLAWTOWER_BIN,
CLAWTOWER_OC_VERSIONS: skipped unless it includes 2026.9.6, CLAWTOWER_OC_KEEP=1).
"""
from __future__ import annotations

import dataclasses
import json
import threading
import time
from pathlib import Path

import pytest

import gateway
from cli import (Follower, clawtower_bin, clawtower_crosscheck, compare_totals, ct_json, discard_run_dir,
                 ledger_diagnostics, poll, require_version)
from stub_provider import text_of

VERSION = "2026.9.6"
SLOW_WORDS = 6            # the stub's SLOWTEST answer: "one two three four five six", a word a second
RESTART_INTO_STREAM_S = 2  # restart (or abort) this long after the slow request reached the stub
RECONNECT_S = 30          # the follower's retries back off up to 10 s
MARK = "RESILIENCE"


@dataclasses.dataclass
class Gw:
    dir: Path
    state_dir: Path
    meta: dict
    data: Path              # the follower's data dir
    follower: Follower
    figures: dict


@pytest.fixture(scope="module")
def gw(tmp_path_factory):
    require_version(VERSION, "gateway resilience")
    clawtower_bin()
    d = tmp_path_factory.mktemp(f"resilience-{VERSION}")
    t0 = time.monotonic()
    meta = gateway.start(VERSION, d)
    g = None
    try:
        data = d / "follow-data"
        follower = Follower(data, Path(meta["state_dir"]), "follower")
        g = Gw(d, Path(meta["state_dir"]), meta, data, follower, {})
        follower.wait_following()
        yield g
    finally:
        if g:
            g.follower.stop()
        gateway.stop(d)
        seconds = round(time.monotonic() - t0)
        if g:
            g.figures["gateway_s"] = seconds
            print("\ngateway resilience figures: " + json.dumps(g.figures))
            (d / "resilience-figures.json").write_text(json.dumps(g.figures, indent=2) + "\n")
        print(f"gateway resilience module: {seconds} s with the gateway (dir {d})")
    discard_run_dir(d)


# ------------------------------------------------------------------ helpers

class Turn(threading.Thread):
    """One `openclaw agent` turn in the background: .result (the run's JSON) or .error."""

    def __init__(self, g: Gw, message: str, session_key: str, statuses: tuple = gateway.AGENT_OK):
        super().__init__(daemon=True)
        self.g, self.message, self.session_key, self.statuses = g, message, session_key, statuses
        self.result: dict | None = None
        self.error: str | None = None
        self.ended: float | None = None
        self.start()

    def run(self):
        try:
            self.result = gateway.agent(self.g.dir, self.message, self.session_key, timeout=120,
                                        statuses=self.statuses)
        except gateway.GatewayError as e:
            self.error = str(e)[:3000]
        self.ended = time.time()

    def outcome(self, timeout: float = 150) -> dict:
        self.join(timeout)
        assert not self.is_alive(), f"{self.message!r} still running after {timeout:.0f} s"
        assert self.error is None, f"{self.message!r} ({self.session_key}) failed: {self.error}"
        return self.result


def slow_request(g: Gw, since: float, text: str, timeout: float = 60) -> dict:
    """The stub's SLOWTEST request whose turn contains `text`, once it arrives."""
    found = poll(lambda: [q for q in gateway.model_requests(g.dir, since=since)
                          if q.get("kind") == "slow" and text in (q.get("turn") or "")], timeout)
    assert found, f"the stub got no SLOWTEST request for {text!r} within {timeout} s\n{diagnostics(g)}"
    return found[0]


def history(g: Gw, key: str) -> list[dict]:
    return gateway.call(g.dir, "chat.history", {"sessionKey": key, "limit": 100}).get("messages") or []


def words(message: dict) -> list[str]:
    """The words of a chat.history message's text."""
    return text_of(message.get("content")).split()


def daily(g: Gw) -> dict:
    """The follower's ledger (the files not imported): `report daily --json`."""
    return ct_json(g.data, "report", "daily", "--json", "--tz", "UTC")


def diagnostics(g: Gw, usage: dict | None = None) -> str:
    sessions = ct_json(g.data, "report", "session", "--json", "--tz", "UTC")
    return "\n".join([g.follower.tail(40),
                      ledger_diagnostics(f"OpenClaw {VERSION}", g.state_dir, usage or {}, daily(g), sessions),
                      gateway.log_tail(g.dir, 25)])


def assert_ledger_equals_openclaw(g: Gw, step: str, ask_usage_cost: bool) -> dict:
    """Once the gateway is idle and the follower has stored every call in the transcripts: the
    ledger's calls are the transcripts' (none lost or doubled), and its tokens and cost equal what
    OpenClaw reports — its usage.cost when `ask_usage_cost` (which waits until OpenClaw's usage
    cache has caught up: half a minute or more), else the sum over the transcripts' assistant
    messages, which is what usage.cost adds up."""
    gateway.wait_idle(g.dir, timeout=120, quiet=3)
    transcript = gateway.transcript_calls(g.state_dir)
    poll(lambda: daily(g)["totals"]["calls"] >= len(transcript), 20, interval=1)
    usage, usage_s = {}, None
    if ask_usage_cost:
        # An earlier answer may still be served, marked fresh: take one OpenClaw refreshed after the last call.
        last_call = max(q["ts"] for q in gateway.model_requests(g.dir))
        t = time.monotonic()
        # Asked as `clawtower crosscheck --tz UTC` asks (time zone UTC, agentScope "all"), so that
        # both share OpenClaw's cached answer.
        usage = gateway.usage_cost(g.dir, timeout=90, refreshed_after=last_call + 2, time_zone="UTC",
                                   agent_scope="all")
        usage_s = round(time.monotonic() - t, 1)
    oc, ours = usage.get("totals") or gateway.sum_calls(transcript), daily(g)["totals"]
    assert not [c for c in transcript if "error" in c], [c for c in transcript if "error" in c]
    problems = compare_totals(ours, oc)
    if ours["calls"] != len(transcript):
        problems.append(f"{ours['calls']} calls in the ledger but {len(transcript)} assistant messages with "
                        "usage in the transcripts")
    if len(g.follower.out) != ours["calls"]:
        problems.append(f"the follower printed {len(g.follower.out)} calls but the ledger holds {ours['calls']}")
    if oc.get("missingCostEntries", 0) or ours.get("unpricedTokens"):
        problems.append(f"unpriced: OpenClaw {oc.get('missingCostEntries')}, ledger {ours.get('unpricedTokens')}")
    assert not problems, (f"{step}: the follower's ledger != OpenClaw:\n  " + "\n  ".join(problems) + "\n"
                          + diagnostics(g, usage))
    return {"calls": ours["calls"], "totalTokens": ours["totalTokens"], "costUsd": ours["costUsd"],
            "openclawTotalCost": oc["totalCost"], "compared_with": "usage.cost" if ask_usage_cost else "transcripts",
            "usage_cost_fresh_after_s": usage_s}


# ------------------------------------------------------------------ the tests

def test_a_gateway_restart_mid_run_loses_no_call(gw: Gw):
    g, f, figures = gw, gw.follower, gw.figures
    t_test = time.monotonic()
    t0 = time.time()
    following_before = len([1 for _, line in f.err if line.startswith("Following")])

    # A slow turn and two normal ones, started together. The normal ones are answered while the slow
    # answer streams (in about a second); the gateway gets SIGTERM RESTART_INTO_STREAM_S into the
    # slow stream, once they are, so the ledger has calls from both sides of the restart.
    slow = Turn(g, f"SLOWTEST {MARK} streaming through a restart", "agent:main:slow")
    normal = [Turn(g, f"{MARK} normal turn {i} before the restart", f"agent:main:before{i}") for i in (1, 2)]
    req = slow_request(g, t0, "streaming through a restart")
    # At most SLOW_WORDS - 2 s into the slow stream, so that the SIGTERM still falls inside it.
    answered = poll(lambda: not any(t.is_alive() for t in normal), req["ts"] + SLOW_WORDS - 2 - time.time())
    assert answered, (f"the normal turns were not answered within {SLOW_WORDS - 2} s of the slow request: "
                      f"{[(t.session_key, t.error) for t in normal if t.is_alive() or t.error]}\n{diagnostics(g)}")
    time.sleep(max(0.0, req["ts"] + RESTART_INTO_STREAM_S - time.time()))
    t_restart = time.time()
    meta = gateway.restart(g.dir)
    t_ready = time.time()
    figures["restart"] = {"sigterm_into_slow_stream_s": round(t_restart - req["ts"], 1),
                          "gateway_stopped_after_s": meta["stopped_after_s"],
                          "gateway_ready_after_s": meta["ready_after_s"]}

    # The slow answer streamed to its end while OpenClaw drained; the normal turns were answered.
    res = slow.outcome()
    for t in normal:
        t.outcome()
    assert t_restart - req["ts"] < SLOW_WORDS - 1 and slow.ended > t_restart, (
        f"the restart did not fall inside the slow stream: request at {req['ts']:.1f}, SIGTERM at "
        f"{t_restart:.1f}, the turn ended at {slow.ended:.1f}")
    answers = [m for m in history(g, "agent:main:slow") if m.get("role") == "assistant"]
    assert answers and len(words(answers[-1])) == SLOW_WORDS, (
        f"the slow answer is not complete: {[words(m) for m in answers]} (run {res})")

    # The follower reconnects on its own.
    back = poll(lambda: [t for t, line in f.err if line.startswith("Following") and t >= t_restart], RECONNECT_S)
    assert back, f"the follower did not reconnect within {RECONNECT_S} s of the restarted gateway being ready\n" \
                 f"{diagnostics(g)}"
    retries = [line for t, line in f.err if t >= t_restart and line.endswith("retrying")]
    assert retries, f"no retry line after the restart\n{f.tail(40)}"
    assert f.proc.poll() is None, f"the follower exited with code {f.proc.poll()}\n{f.tail(40)}"
    figures["restart"].update(reconnected_after_ready_s=round(back[0] - t_ready, 1),
                              reconnected_after_sigterm_s=round(back[0] - t_restart, 1),
                              reconnections=len([1 for _, line in f.err if line.startswith("Following")])
                              - following_before, retry_lines=len(retries), first_retry=retries[0][:160])
    # How the slow call reached the ledger: live while OpenClaw drained, or read back after the reconnect.
    slow_printed = next((t for t, line in f.out if "agent:main:slow" in line), None)
    lost_at = next(t for t, line in f.err if t >= t_restart and line.endswith("retrying"))
    figures["restart"]["slow_call_stored"] = (None if slow_printed is None else "live, before the disconnect"
                                              if slow_printed <= lost_at else "after the reconnect")

    # More turns after the restart: chat, tool (two calls), thinking.
    printed = len(f.out)
    gateway.agent(g.dir, f"{MARK} chat after the restart.", "agent:main:main", timeout=120)
    gateway.agent(g.dir, f"TOOLTEST {MARK} please list the workspace files.", "agent:main:main", timeout=120)
    gateway.agent(g.dir, f"THINK {MARK} about the restart, then answer.", "agent:main:before1", timeout=120)
    assert poll(lambda: len(f.out) >= printed + 4, 15), (
        f"the follower stored {len(f.out) - printed} of the 4 calls made after the restart\n{diagnostics(g)}")

    # Against the transcripts here; the next test compares everything with usage.cost (each wait
    # for OpenClaw's usage cache costs half a minute or more).
    figures["restart"]["totals"] = assert_ledger_equals_openclaw(g, "after the restart", ask_usage_cost=False)
    figures["restart"]["test_s"] = round(time.monotonic() - t_test, 1)


def test_an_aborted_stream_is_accounted_and_the_follower_keeps_going(gw: Gw):
    g, f, figures = gw, gw.follower, gw.figures
    t_test = time.monotonic()
    t0 = time.time()
    key = "agent:main:abort"
    # `openclaw agent` exits 1 for an aborted run; 2026.9.6 reports it as status "timeout", summary "aborted".
    turn = Turn(g, f"SLOWTEST {MARK} aborted while it streams", key, statuses=("timeout", "aborted"))
    req = slow_request(g, t0, "aborted while it streams")
    time.sleep(max(0.0, req["ts"] + RESTART_INTO_STREAM_S - time.time()))
    t_abort = time.time()
    aborted = gateway.call(g.dir, "sessions.abort", {"key": key, "clearQueued": True})
    figures["abort"] = {"abort_into_slow_stream_s": round(t_abort - req["ts"], 1),
                        "abort_answered_s": round(time.time() - t_abort, 1)}
    assert aborted.get("ok") is True and aborted.get("status") == "aborted" and aborted.get("abortedRunId"), aborted

    res = turn.outcome()
    assert res.get("runId") == aborted["abortedRunId"] and "aborted" in (res.get("summary"), res.get("status")), (
        f"the run did not end aborted: {res} (abort answered {aborted})")
    # Mid-stream: the stub's stream was cut, and the transcript keeps the partial answer.
    assert poll(lambda: [e for e in gateway.stub_requests(g.dir)
                         if e.get("event") == "client-disconnected" and e.get("n") == req["n"]], 10), (
        f"the stub's stream of request #{req['n']} was not cut by the abort\n{gateway.log_tail(g.dir)}")
    last = [m for m in history(g, key) if m.get("role") == "assistant"][-1]
    assert (last.get("openclawAbort") or {}).get("aborted") is True, f"last assistant message: {last}"
    assert 0 < len(words(last)) < SLOW_WORDS, f"not a partial answer: {words(last)!r}"
    row = next((s for s in gateway.sessions(g.dir) if s.get("key") == key), {})
    assert row.get("abortedLastRun") is True and not row.get("hasActiveRun"), row
    figures["abort"].update(run={k: res.get(k) for k in ("status", "summary", "stopReason")},
                            partial_answer=" ".join(words(last)), partial_usage=last.get("usage"))

    # The follower keeps running, and stores a later turn of the same session.
    assert f.proc.poll() is None, f"the follower exited with code {f.proc.poll()}\n{f.tail(40)}"
    t_later = time.time()
    gateway.agent(g.dir, f"{MARK} a normal turn after the abort.", key, timeout=120)
    stored = poll(lambda: [line for t, line in f.out if t >= t_later and key in line and "gateway-injected" not in line], 15)
    assert stored, f"the follower did not store the turn after the abort\n{diagnostics(g)}"
    assert f.proc.poll() is None, f"the follower exited with code {f.proc.poll()}\n{f.tail(40)}"

    figures["abort"]["totals"] = assert_ledger_equals_openclaw(g, "after the restart and the abort", ask_usage_cost=True)
    t = time.monotonic()
    code, check = clawtower_crosscheck(g.data, g.state_dir, g.meta)
    assert code == 0 and check.get("matches") is True and check.get("diffUsd") == 0, (
        f"clawtower crosscheck exit {code}: {json.dumps(check, indent=2)}\n{diagnostics(g)}")
    assert check["clawtower"]["calls"] == figures["abort"]["totals"]["calls"], check
    figures["abort"]["crosscheck"] = {"matches": check["matches"], "diffUsd": check["diffUsd"],
                                      "seconds": round(time.monotonic() - t, 1)}
    figures["abort"]["test_s"] = round(time.monotonic() - t_test, 1)


def test_a_crosscheck_right_after_a_call_sees_it(gw: Gw):
    """OpenClaw 2026.9.6 serves a fresh usage.cost answer from its cache for 30 s, and once more after
    that (still marked fresh) while it reloads; its cacheStatus.refreshedAt tells how old it is. Once
    the call is in the transcripts and the ledger, a crosscheck must not compare the ledger with an
    answer OpenClaw computed before it (here: the one the previous test has just read)."""
    g, f = gw, gw.follower
    printed = len(f.out)
    gateway.agent(g.dir, f"{MARK} one more call before a crosscheck.", "agent:main:main", timeout=120)
    assert poll(lambda: len(f.out) > printed, 15), f"the follower did not store the call\n{f.tail()}"
    gateway.wait_idle(g.dir, timeout=60, quiet=2)
    ledger_cost = daily(g)["totals"]["costUsd"]
    t = time.time()
    code, check = clawtower_crosscheck(g.data, g.state_dir, g.meta)
    g.figures["crosscheck_after_a_call"] = {
        "exit": code, "seconds": round(time.time() - t, 1), "matches": check.get("matches"),
        "diffUsd": check.get("diffUsd"), "ledgerCostUsd": ledger_cost,
        "openclawCostUsd": (check.get("openclaw") or {}).get("costUsd"),
        "previousOpenclawCostUsd": (g.figures.get("abort") or {}).get("totals", {}).get("openclawTotalCost")}
    assert code == 0 and check.get("matches") is True, (
        f"clawtower crosscheck exit {code}: {json.dumps(check, indent=2)}\n{diagnostics(g)}")
