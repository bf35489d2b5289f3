"""Clawtower against a real OpenClaw gateway: its totals must equal OpenClaw's own usage.cost.

For each OpenClaw version (2026.7.1 stores transcripts as JSONL files, 2026.9.6 in SQLite):
start an isolated offline gateway with the stub provider, run the scenario (chat, tool call,
thinking, sub-agent spawn + announce run, a deleted session, a cron run), read OpenClaw's
usage.cost once its cache is fresh, stop the gateway, then ingest the state dir with
`clawtower report` and compare.

Settings: CLAWTOWER_BIN (default: <repo>/target/debug/clawtower), CLAWTOWER_OC_VERSIONS
(comma-separated subset), CLAWTOWER_REFRESH_FIXTURES=1 (copy the transcripts to
fixtures/<version>/), CLAWTOWER_OC_KEEP=1 (keep the temp dirs; pytest prints where).
"""
from __future__ import annotations

import dataclasses
import glob
import json
import os
import re
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

import gateway
from cli import (NANO_USD, Follower, clawtower_bin, clawtower_crosscheck, compare_totals, ct, ct_json, ct_result,
                 discard_run_dir, ledger_diagnostics, poll, selected_versions)
from gateway import transcript_calls, transcript_messages

HERE = Path(__file__).resolve().parent
VERSIONS = {"2026.7.1": "jsonl", "2026.9.6": "sqlite"}
SELECTED = selected_versions(list(VERSIONS))
CATCH_UP_S = 30  # the follower stores a call within a second or so of OpenClaw writing it


def report_daily(data_dir: Path, *extra: str) -> dict:
    return ct_json(data_dir, "report", "daily", "--json", "--tz", "UTC", *extra, timeout=120)


# ------------------------------------------------------------------ one gateway run per version

@dataclasses.dataclass
class Run:
    version: str
    layout: str
    dir: Path
    state_dir: Path
    steps: dict
    usage_cost: dict
    daily: dict
    sessions: dict
    timings: dict
    gateway_status: dict
    wrong_token: tuple
    follow: dict
    crosscheck: tuple
    sessions_usage: dict


def finish_follow(follower: Follower, data_dir: Path, state_dir: Path) -> dict:
    """Once the follower has stored every call in the transcripts (or CATCH_UP_S passed), stops it;
    returns what it printed and stored, then what importing the files as well adds."""
    expected = len(transcript_calls(state_dir))
    t = time.monotonic()
    poll(lambda: report_daily(data_dir)["totals"]["calls"] == expected, CATCH_UP_S, interval=1)
    caught_up_s = round(time.monotonic() - t, 1)
    follower.stop()
    live = report_daily(data_dir)["totals"]
    r = ct(data_dir, "ingest", "--openclaw-home", str(state_dir), timeout=120)
    new = re.search(r"(\d+) new model call", r.stdout)
    follow = {"transcript_calls": expected, "caught_up_s": caught_up_s,
              "printed": len([line for _, line in follower.out if line.strip()]), "live": live,
              "new_from_files": int(new.group(1)) if r.returncode == 0 and new else None,
              "both": report_daily(data_dir)["totals"]}
    if follow["new_from_files"] is None:
        follow["ingest_error"] = (f"clawtower ingest exited {r.returncode}\nstdout: {r.stdout[-3000:]}\n"
                                  f"stderr: {r.stderr[-3000:]}")
    return follow


def gateway_status(data_dir: Path, state_dir: Path, *extra: str) -> tuple[int, dict]:
    """`clawtower gateway status --json` against the running gateway (the local one, the only one
    these data dirs follow): (exit code, its JSON object)."""
    code, out = ct_result(data_dir, "gateway", "status", "--json", "--openclaw-home", str(state_dir), *extra)
    gateways = out.get("gateways")
    assert gateways is None or len(gateways) == 1, out
    return code, gateways[0] if gateways else out


@pytest.fixture(scope="module", params=SELECTED)
def run(request, tmp_path_factory) -> Run:
    version = request.param
    if version not in VERSIONS:
        pytest.fail(f"unknown OpenClaw version {version} (known: {', '.join(VERSIONS)})")
    clawtower_bin()
    d = tmp_path_factory.mktemp(f"openclaw-{version}")
    timings = {}
    t0 = time.monotonic()
    meta = gateway.start(version, d)
    timings["start"] = round(time.monotonic() - t0, 1)
    state_dir = Path(meta["state_dir"])
    follow_dir = d / "follow-data"
    follower = None
    try:
        follower = Follower(follow_dir, state_dir, f"follower ({version})")
        follower.wait_following()
        t = time.monotonic()
        steps = gateway.scenario(d)
        timings["scenario"] = round(time.monotonic() - t, 1)
        t = time.monotonic()
        usage = gateway.usage_cost(d, timeout=90)
        sessions_usage = gateway.sessions_usage(d, timeout=90)
        timings["usage_cost"] = round(time.monotonic() - t, 1)
        follow = finish_follow(follower, follow_dir, state_dir)
        crosscheck = clawtower_crosscheck(follow_dir, state_dir, meta)
        status_code, status = gateway_status(d / "clawtower-data", state_dir)
        # A new install with a wrong token is refused; the paired one gets in with its device token.
        wrong_token = (gateway_status(d / "unpaired-data", state_dir, "--token", "not-the-token"),
                       gateway_status(d / "clawtower-data", state_dir, "--token", "not-the-token"))
    finally:
        if follower:
            follower.stop()
        t = time.monotonic()
        gateway.stop(d)
        timings["stop"] = round(time.monotonic() - t, 1)

    data_dir = d / "clawtower-data"
    t = time.monotonic()
    daily = report_daily(data_dir, "--openclaw-home", str(state_dir))
    sessions = ct_json(data_dir, "report", "session", "--json", "--tz", "UTC", timeout=120)
    timings["clawtower"] = round(time.monotonic() - t, 1)
    timings["total"] = round(time.monotonic() - t0, 1)
    status["exit"] = status_code
    r = Run(version, VERSIONS[version], d, state_dir, steps, usage, daily, sessions, timings, status, wrong_token, follow,
            crosscheck, sessions_usage)
    # For a look at a kept run (CLAWTOWER_OC_KEEP=1): everything the checks below compare.
    (d / "result.json").write_text(json.dumps(dataclasses.asdict(r), indent=2, default=str))
    print(f"\nopenclaw {version}: {json.dumps(timings)} (dir {d})")

    if os.environ.get("CLAWTOWER_REFRESH_FIXTURES") == "1":
        refresh_fixtures(r, meta["token"])
    yield r
    discard_run_dir(d)


def _octet_length(v):
    if v is None:
        return None
    return len(v.encode("utf-8")) if isinstance(v, str) else len(bytes(v))


def refresh_fixtures(r: Run, token: str) -> None:
    """Copy the run's transcripts, and the usage.cost answer they were checked against, to
    fixtures/<version>/ (for the engine's golden test)."""
    dest = HERE / "fixtures" / r.version
    shutil.rmtree(dest, ignore_errors=True)
    state = dest / "state"
    (state).mkdir(parents=True)
    shutil.copy2(r.state_dir / "openclaw.json", state / "openclaw.json")
    for agent_dir in sorted((r.state_dir / "agents").iterdir()):
        sessions = agent_dir / "sessions"
        if sessions.is_dir():
            out = state / "agents" / agent_dir.name / "sessions"
            for f in sorted(sessions.iterdir()):
                if f.is_file() and ".trajectory" not in f.name and (".jsonl" in f.name or f.name == "sessions.json"):
                    out.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(f, out / f.name)
        db = agent_dir / "agent" / "openclaw-agent.sqlite"
        if db.is_file():
            out = state / "agents" / agent_dir.name / "agent"
            out.mkdir(parents=True, exist_ok=True)
            src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            dst = sqlite3.connect(out / db.name)
            # OpenClaw's schema uses octet_length() (SQLite >= 3.43) in a CHECK; older builds need it for VACUUM.
            dst.create_function("octet_length", 1, _octet_length, deterministic=True)
            src.backup(dst)  # one consistent file, WAL included
            src.close()
            # Keep sessions and transcripts; drop the bulky runtime traces and caches.
            for table in ("trajectory_runtime_events", "cache_entries"):
                try:
                    dst.execute(f'DELETE FROM "{table}"')
                except sqlite3.DatabaseError:
                    pass
            dst.commit()
            dst.execute("PRAGMA journal_mode=DELETE")
            dst.execute("VACUUM")
            dst.close()
    # What the golden test (crates/clawtower-engine/tests/golden.rs) requires the ledger to equal.
    (dest / "usage-cost.answer.json").write_text(json.dumps(r.usage_cost, indent=2) + "\n")
    # The gateway token must not be committed: overwrite it (same length, so SQLite stays valid).
    secret = token.encode()
    for f in dest.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            if secret in data:
                f.write_bytes(data.replace(secret, b"X" * len(secret)))
    # The copy must still hold every call: Clawtower on it gives OpenClaw's totals too.
    check = report_daily(r.dir / "clawtower-fixture-check", "--openclaw-home", str(state))
    assert check["totals"] == r.daily["totals"], (check["totals"], r.daily["totals"])
    gateway.log(f"fixtures refreshed: {dest}")


# ------------------------------------------------------------------ the checks

def diagnostics(r: Run) -> str:
    """Both sides' numbers plus what the transcripts hold per session, for a failing comparison."""
    return ledger_diagnostics(f"OpenClaw {r.version}", r.state_dir, r.usage_cost, r.daily, r.sessions)


def test_layout_is_the_expected_one(run: Run):
    sessions = glob.glob(str(run.state_dir / "agents" / "main" / "sessions" / "*.jsonl"))
    db = run.state_dir / "agents" / "main" / "agent" / "openclaw-agent.sqlite"
    if run.layout == "jsonl":
        assert sessions, f"{run.version}: no live *.jsonl transcripts"
        assert not db.exists(), f"{run.version}: unexpected agent SQLite store"
    else:
        assert db.is_file(), f"{run.version}: no agent SQLite store at {db}"
        assert not sessions, f"{run.version}: unexpected live JSONL transcripts {sessions[:3]}"


def test_scenario_made_every_kind_of_call(run: Run):
    reqs = [q for q in gateway.stub_requests(run.dir) if q.get("method") == "POST"]
    kinds = {q.get("kind") for q in reqs}
    for kind in ("chat", "tool", "after-tool", "spawn", "subagent"):
        assert kind in kinds, f"the stub never saw a {kind!r} request: {sorted(map(str, kinds))}"
    assert any(q.get("think") for q in reqs), "no THINK request"
    assert all(q.get("stream") and q.get("include_usage") for q in reqs), "a request without streamed usage"
    assert run.steps.get("deleted_archives"), "no deleted-session archive"
    archives = glob.glob(str(run.state_dir / "agents" / "main" / "sessions" / "*.jsonl.deleted.*"))
    assert archives, "sessions.delete left no *.jsonl.deleted.* archive"
    assert [e for e in run.steps["cron"]["entries"] if e.get("status") == "ok"], run.steps["cron"]


def test_usage_cost_is_fresh_and_nonzero(run: Run):
    t = run.usage_cost["totals"]
    assert run.usage_cost["cacheStatus"]["status"] == "fresh"
    assert t["input"] > 0 and t["output"] > 0 and t["cacheRead"] > 0 and t["totalCost"] > 0, t
    assert t.get("missingCostEntries", 0) == 0, t


def test_clawtower_totals_equal_openclaw_usage_cost(run: Run):
    totals = run.daily["totals"]
    mismatches = compare_totals(totals, run.usage_cost["totals"])
    assert not mismatches, "Clawtower != OpenClaw usage.cost:\n  " + "\n  ".join(mismatches) + "\n" + diagnostics(run)
    # The per-day rows add up to the totals and there are calls behind them.
    assert totals["calls"] > 0 and totals["unpricedTokens"] == 0, totals
    assert sum(row["calls"] for row in run.daily["rows"]) == totals["calls"]


def test_clawtower_sees_subagent_cron_and_tool_sessions(run: Run):
    keys = [row["key"] for row in run.sessions.get("rows") or []]
    assert any(":subagent:" in k for k in keys), f"no sub-agent session in Clawtower's report: {keys}"
    assert any(":cron:" in k for k in keys), f"no cron session in Clawtower's report: {keys}"
    for k in ("agent:main:main", "agent:main:think", "agent:main:spawner"):
        assert k in keys, f"{k} missing from Clawtower's report: {keys}"
    main = next(row for row in run.sessions["rows"] if row["key"] == "agent:main:main")
    # chat (1 call) + tool turn (tool call + answer after the tool result)
    assert main["calls"] >= 3, main
    # The transcripts hold the tool results the calls were made around (ls/read, sessions_spawn).
    msgs = transcript_messages(run.state_dir)
    assert not [m for m in msgs if "error" in m], [m for m in msgs if "error" in m]
    tools = {m.get("tool_name") for m in msgs if m.get("role") == "toolResult"}
    assert tools & {"ls", "read", "exec", "tool_call"}, f"no workspace tool result: {tools}"
    assert tools & {"sessions_spawn", "tool_call"}, f"no sessions_spawn tool result: {tools}"
    # One model call per assistant message with usage.
    assert len(transcript_calls(run.state_dir)) == run.daily["totals"]["calls"], diagnostics(run)


def test_clawtower_connects_with_its_device_identity(run: Run):
    """The Ed25519 device proof is accepted: the gateway pairs the device and issues a token."""
    status = run.gateway_status
    assert status["exit"] == 0, status
    assert status["connected"] is True
    assert status["server"]["version"] == run.version
    assert status["server"]["protocol"] == 4
    assert set(status["auth"]["scopes"]) == {"operator.read", "operator.write", "operator.admin", "operator.approvals"}
    assert status["auth"]["deviceTokenIssued"] is True, "the device proof was not accepted"
    assert status["health"]["ok"] is True


def test_a_wrong_token_is_reported_as_such(run: Run):
    (code, status), _ = run.wrong_token
    assert code == 2
    assert status["connected"] is False
    assert status["error"]["code"] == "TOKEN_MISMATCH", status


def test_a_paired_install_gets_in_with_its_device_token_when_the_shared_token_is_wrong(run: Run):
    _, (code, status) = run.wrong_token
    assert code == 0 and status["connected"] is True, status
    kept = json.loads((run.dir / "clawtower-data" / "gateway-device-tokens.json").read_text())
    assert list(kept) == [status["url"]]
    assert oct((run.dir / "clawtower-data" / "gateway-device-tokens.json").stat().st_mode & 0o777) == "0o600"


def test_the_live_gateway_feed_equals_usage_cost_and_files_add_nothing(run: Run):
    """Every call the gateway announced is in the ledger; the same calls read from the files are
    not counted again."""
    f, totals = run.follow, run.usage_cost["totals"]
    assert f["live"]["calls"] == f["transcript_calls"], (
        f"the follower stored {f['live']['calls']} calls, the transcripts hold {f['transcript_calls']} "
        f"(waited {f['caught_up_s']} s for it to catch up): {f}")
    for view in ("live", "both"):
        mismatches = compare_totals(f[view], totals, costs=("reportedCostUsd",), where=view)
        assert not mismatches, "\n  ".join(mismatches) + f"\n{f}"
    assert "ingest_error" not in f, f["ingest_error"]
    assert f["new_from_files"] == 0, f
    assert f["printed"] == f["live"]["calls"], f


def test_crosscheck_agrees_with_openclaw(run: Run):
    code, result = run.crosscheck
    assert code == 0, f"crosscheck exit {code}: {json.dumps(result, indent=2)}\n{diagnostics(run)}"
    assert result["matches"] is True and result["diffUsd"] == 0, result
    assert result["clawtower"]["costUsd"] == pytest.approx(run.usage_cost["totals"]["totalCost"], abs=NANO_USD)
    assert result["openclaw"]["totalTokens"] == result["clawtower"]["totalTokens"] > 0


def test_clawtower_sessions_equal_openclaw_sessions_usage(run: Run):
    """Per session, the ledger's `report session` equals OpenClaw's own `sessions.usage`, both ways:
    every session OpenClaw charges is in the ledger, and every session the ledger charges is in
    sessions.usage with a cost."""
    theirs = {s["key"]: s.get("usage") or {} for s in run.sessions_usage.get("sessions", [])}
    ours = {row["key"]: row for row in run.sessions["rows"]}
    assert any(usage.get("totalCost") for usage in theirs.values()), (
        f"sessions.usage charged no session: {json.dumps(run.sessions_usage)[:2000]}")
    mismatches = []
    for key, usage in theirs.items():
        if not usage.get("totalCost"):
            continue
        row = ours.get(key)
        if row is None:
            mismatches.append(f"{key}: OpenClaw counts ${usage['totalCost']} the ledger has no session for")
            continue
        mismatches += compare_totals(row, usage, costs=("reportedCostUsd",), where=key)
    for key, row in ours.items():
        if row["reportedCostUsd"] and not theirs.get(key, {}).get("totalCost"):
            mismatches.append(f"{key}: the ledger counts ${row['reportedCostUsd']} "
                              f"{'sessions.usage has no cost for' if key in theirs else 'sessions.usage does not list'}")
    assert not mismatches, "per-session differences:\n  " + "\n  ".join(mismatches) + "\n" + diagnostics(run)
