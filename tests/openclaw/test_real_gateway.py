"""Clawtower against a real OpenClaw gateway: its totals must equal OpenClaw's own usage.cost.

For each OpenClaw version (2026.7.1 stores transcripts as JSONL files, 2026.9.6 in SQLite):
start an isolated offline gateway with the stub provider and a second agent on a provider that
bills (`usage.cost` in its usage chunk), run the scenario (chat, tool call, thinking, sub-agent
spawn + announce run, a deleted session, a cron run, a session reset between two turns, a run
aborted mid-stream, a turn the provider fails, two billed calls), read OpenClaw's usage.cost and
sessions.usage (agentScope "all") once their caches are fresh, stop the gateway, then ingest the
state dir with `clawtower report` and compare: totals, and per day, agent, session and model.

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
    agents: dict = dataclasses.field(default_factory=dict)  # report agent --json
    models: dict = dataclasses.field(default_factory=dict)  # report model --json


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
    meta = gateway.start(version, d, billing_agent=True)
    timings["start"] = round(time.monotonic() - t0, 1)
    state_dir = Path(meta["state_dir"])
    follow_dir = d / "follow-data"
    follower = None
    try:
        # The feed alone: the files are imported into the same ledger afterwards, and must add nothing.
        follower = Follower(follow_dir, state_dir, f"follower ({version})", gateway_only=True)
        follower.wait_following()
        t = time.monotonic()
        steps = gateway.scenario(d)
        timings["scenario"] = round(time.monotonic() - t, 1)
        t = time.monotonic()
        # Every agent's: without agentScope both versions answer for the default agent only.
        usage = gateway.usage_cost(d, timeout=90, agent_scope="all")
        sessions_usage = gateway.sessions_usage(d, timeout=90, agent_scope="all")
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
    agents = ct_json(data_dir, "report", "agent", "--json", "--tz", "UTC", timeout=120)
    models = ct_json(data_dir, "report", "model", "--json", "--tz", "UTC", timeout=120)
    timings["clawtower"] = round(time.monotonic() - t, 1)
    timings["total"] = round(time.monotonic() - t0, 1)
    status["exit"] = status_code
    r = Run(version, VERSIONS[version], d, state_dir, steps, usage, daily, sessions, timings, status, wrong_token, follow,
            crosscheck, sessions_usage, agents, models)
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
    for kind in ("chat", "tool", "after-tool", "spawn", "subagent", "slow", "fail"):
        assert kind in kinds, f"the stub never saw a {kind!r} request: {sorted(map(str, kinds))}"
    assert [q for q in reqs if q.get("billed") and q.get("status") == 200], "no request to the billing provider"
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


def test_the_sub_agent_tree_says_what_each_sub_agent_was_asked(run: Run):
    """The task a sub-agent was given, as OpenClaw's own task_runs keep it (read only)."""
    from stub_provider import SUBAGENT_TASK
    child = next(row["key"] for row in run.sessions["rows"] if ":subagent:" in row["key"])
    db = run.state_dir / "state" / "openclaw.sqlite"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as oc:
        told = [task for (task,) in oc.execute(
            "SELECT task FROM task_runs WHERE runtime = 'subagent' AND child_session_key = ?", (child,))]
    assert told or run.version == "2026.7.1", f"OpenClaw {run.version} kept no task for {child}"
    tree = ct_json(run.dir / "clawtower-data", "sessions", "tree", child, "--json", timeout=60)
    node = next(n for n in tree["nodes"] if n["session"]["key"] == child)
    assert node["task"] == (told[0] if told else None), (node, told)
    assert not told or told[0] == SUBAGENT_TASK, told


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


# ------------------------------------------------------------------ resets, aborts, errors, bills
# The scenario's ledger_edge_cases step: a reset session, an aborted run, a failed provider call and
# a second agent on a provider that bills. Every expectation comes from OpenClaw's answers, the
# transcripts or the stub's log of what it served.

OC_TOKENS = ("input", "output", "cacheRead", "cacheWrite")
BILLED_MODEL = f"{gateway.BILLING_PROVIDER_ID}/{gateway.MODEL_ID}"
INJECTED_MODEL = "openclaw/gateway-injected"


def rows_by_key(report: dict) -> dict:
    return {row["key"]: row for row in report.get("rows") or []}


def charged(usage: dict) -> bool:
    """Whether OpenClaw's totals (a usage.cost day, a sessions.usage aggregate) hold tokens or cost."""
    return bool(usage.get("totalCost") or any(usage.get(k) for k in OC_TOKENS))


def add_totals(into: dict, more: dict) -> dict:
    for k in (*OC_TOKENS, "totalCost"):
        into[k] = (into.get(k) or 0) + (more.get(k) or 0)
    return into


def compare_groups(label: str, ours: dict, theirs: dict) -> list[str]:
    """Both ways: every group OpenClaw charges equals the ledger's row (tokens exactly, costUsd and
    reportedCostUsd within a nano-dollar), and the ledger has no row OpenClaw does not charge."""
    out = []
    for key, totals in sorted(theirs.items()):
        if not charged(totals):
            continue
        if key not in ours:
            out.append(f"{label} {key}: OpenClaw counts {json.dumps({k: totals.get(k) for k in (*OC_TOKENS, 'totalCost')})}"
                       " the ledger has no row for")
            continue
        out += compare_totals(ours[key], totals, where=f"{label} {key}")
    for key, row in sorted(ours.items()):
        # A row of only aborted or failed calls (no call, no token, no cost) is fine.
        empty = not row.get("calls") and not row.get("totalTokens") and not row.get("costUsd")
        if not empty and (key not in theirs or not charged(theirs[key])):
            out.append(f"{label} {key}: the ledger counts calls={row.get('calls')} costUsd={row.get('costUsd')} "
                       f"OpenClaw {'charges nothing' if key in theirs else 'has no such ' + label}")
    return out


def served(r: Run) -> list[dict]:
    """The stub's log of each response whose usage it delivered (see stub_provider.py)."""
    return [e for e in gateway.stub_requests(r.dir) if e.get("event") == "served"]


def list_price(usage: dict) -> float:
    """What gateway.PRICE puts a transcript message's tokens at."""
    return sum(int(usage.get(k) or 0) * gateway.PRICE[k] for k in OC_TOKENS) / 1e6


def test_report_daily_rows_equal_usage_cost_daily(run: Run):
    """Day by day, `report daily` equals usage.cost's `daily` (agentScope all)."""
    theirs: dict = {}
    for day in run.usage_cost.get("daily") or []:
        add_totals(theirs.setdefault(day["date"], {}), day)
    assert theirs, f"usage.cost has no daily rows: {json.dumps(run.usage_cost)[:2000]}"
    mismatches = compare_groups("day", rows_by_key(run.daily), theirs)
    assert not mismatches, "per-day differences:\n  " + "\n  ".join(mismatches) + "\n" + diagnostics(run)


def test_report_agent_equals_sessions_usage_by_agent(run: Run):
    """Agent by agent, `report agent` equals sessions.usage's aggregates.byAgent (agentScope all);
    both agents are charged, and together they are usage.cost's totals."""
    theirs: dict = {}
    for a in (run.sessions_usage.get("aggregates") or {}).get("byAgent") or []:
        add_totals(theirs.setdefault(a["agentId"], {}), a.get("totals") or {})
    for agent_id in ("main", gateway.BILLING_AGENT_ID):
        assert charged(theirs.get(agent_id, {})), (
            f"sessions.usage charges nothing to agent {agent_id}: {json.dumps(theirs)}")
    ours = rows_by_key(run.agents)
    mismatches = compare_groups("agent", ours, theirs)
    mismatches += compare_totals(add_totals({}, {}) | {
        "inputTokens": sum(r["inputTokens"] for r in ours.values()),
        "outputTokens": sum(r["outputTokens"] for r in ours.values()),
        "cacheReadTokens": sum(r["cacheReadTokens"] for r in ours.values()),
        "cacheWriteTokens": sum(r["cacheWriteTokens"] for r in ours.values()),
        "costUsd": sum(r["costUsd"] for r in ours.values()),
        "reportedCostUsd": sum(r["reportedCostUsd"] for r in ours.values())},
        run.usage_cost["totals"], where="sum over agents vs usage.cost totals")
    assert not mismatches, "per-agent differences:\n  " + "\n  ".join(mismatches) + "\n" + diagnostics(run)


def test_report_model_equals_sessions_usage_by_model(run: Run):
    """Model by model, `report model` equals sessions.usage's aggregates.byModel; the billing
    provider's model is one of them, an aborted run's `openclaw/gateway-injected` message is not a
    model, and each row's calls are the transcripts' assistant messages with usage for it."""
    theirs: dict = {}
    for m in (run.sessions_usage.get("aggregates") or {}).get("byModel") or []:
        add_totals(theirs.setdefault(f"{m.get('provider')}/{m.get('model')}", {}), m.get("totals") or {})
    ours = rows_by_key(run.models)
    assert INJECTED_MODEL not in ours, f"`report model` has a row {INJECTED_MODEL}: {ours[INJECTED_MODEL]}"
    assert BILLED_MODEL in ours, f"`report model` has no row {BILLED_MODEL}: {sorted(ours)}"
    mismatches = compare_groups("model", ours, theirs)
    calls: dict = {}
    for c in transcript_calls(run.state_dir):
        key = f"{c.get('provider')}/{c.get('model')}"
        calls[key] = calls.get(key, 0) + 1
    got = {k: row["calls"] for k, row in ours.items()}
    if got != calls:
        mismatches.append(f"calls per model: ledger {got}, transcripts (assistant messages with usage) {calls}")
    assert not mismatches, "per-model differences:\n  " + "\n  ".join(mismatches) + "\n" + diagnostics(run)


def test_calls_leave_out_aborted_and_failed_messages(run: Run):
    """`calls` counts the assistant messages with nonzero usage or cost; the aborted run's partial
    answer (zero usage, openclawAbort) and the failed provider call (stopReason error, zero usage)
    are not calls but are counted in abortedCalls and failedCalls."""
    calls = transcript_calls(run.state_dir)
    unbilled = gateway.transcript_unbilled(run.state_dir)
    abort_key, fail_key = gateway.ABORT_KEY, gateway.FAIL_KEY
    assert [m for m in unbilled["aborted"] if m.get("aborted") and f"{m['provider']}/{m['model']}" == INJECTED_MODEL], (
        f"no {INJECTED_MODEL} message with openclawAbort for the run aborted in {abort_key}: "
        f"{run.steps.get('abort')}, zero-usage messages: {unbilled}")
    assert unbilled["failed"], f"no zero-usage stopReason error message for {fail_key}: {run.steps.get('provider_error')}"
    totals = run.daily["totals"]
    expected = {"calls": len(calls), "abortedCalls": len(unbilled["aborted"]), "failedCalls": len(unbilled["failed"])}
    got = {k: totals.get(k) for k in expected}
    assert got == expected, (f"`report daily` totals {got}, transcripts {expected} (zero-usage messages: aborted "
                             f"{[m['source'] for m in unbilled['aborted']]}, failed "
                             f"{[m['source'] for m in unbilled['failed']]}, other {[m['source'] for m in unbilled['other']]})"
                             f"\n{diagnostics(run)}")
    rows = rows_by_key(run.daily)
    assert sum(r.get("abortedCalls") or 0 for r in rows.values()) == expected["abortedCalls"], rows
    assert sum(r.get("failedCalls") or 0 for r in rows.values()) == expected["failedCalls"], rows


def test_reset_session_keeps_its_pre_reset_calls(run: Run):
    """The calls before `sessions.reset` stay in the ledger: 2026.7.1 renames the old transcript to
    <old sid>.jsonl.reset.<ts> and starts a new session id (sessions.usage keys the old calls
    agent:main:<old sid>), 2026.9.6 appends a reset event and keeps the session id and key."""
    reset = run.steps["reset"]
    before, after, key = reset["session_id_before"], reset["session_id_after"], reset["key"]
    msgs = [m for m in transcript_messages(run.state_dir) if m.get("session_id") in (before, after)]
    billed = [m for m in msgs if m.get("role") == "assistant" and gateway.usage_is_billed(m.get("usage"))]
    theirs = {s["key"]: s.get("usage") or {} for s in run.sessions_usage.get("sessions", [])}
    ours = rows_by_key(run.sessions)
    if run.layout == "jsonl":
        assert before != after, reset
        archive = [m for m in billed if m["session_id"] == before]
        assert archive and all(".jsonl.reset." in m["source"] for m in archive), (
            f"the pre-reset calls are not in a {before}.jsonl.reset.* archive: {reset}, {[m['source'] for m in billed]}")
        groups = {f"agent:main:{before}": archive, key: [m for m in billed if m["session_id"] == after]}
    else:
        assert before == after, reset
        events = [m.get("event") or m.get("role") for m in msgs]
        assert "reset" in events, f"no reset event in session {before}: {events}"
        i = events.index("reset")
        assert [m for m in msgs[:i] if m in billed] and [m for m in msgs[i:] if m in billed], (
            f"not a call on each side of the reset: {events}")
        groups = {key: billed}
    mismatches = []
    for k, expected in groups.items():
        assert expected, f"no call for {k}: {reset}"
        row = ours.get(k)
        if row is None:
            mismatches.append(f"{k}: not in `report session` ({len(expected)} calls in the transcripts)")
            continue
        if row["calls"] != len(expected):
            mismatches.append(f"{k}: {row['calls']} calls in the ledger, {len(expected)} in the transcripts")
        if k not in theirs:
            mismatches.append(f"{k}: not in sessions.usage (keys {sorted(theirs)})")
        else:
            mismatches += compare_totals(row, theirs[k], where=k)
    assert not mismatches, "the reset session:\n  " + "\n  ".join(mismatches) + "\n" + diagnostics(run)


def test_billed_calls_cost_what_the_provider_billed(run: Run):
    """The billing provider's calls cost what it billed (the stub's log), not the list price; OpenClaw
    books them as provider-billed, and the ledger's reported cost is usage.cost's."""
    bills = [e for e in served(run) if e.get("cost") is not None]
    assert len(bills) >= 2, f"the billing provider served {len(bills)} calls: {run.steps.get('billing')}"
    billed_msgs = [c for c in transcript_calls(run.state_dir) if c.get("provider") == gateway.BILLING_PROVIDER_ID]
    origins = [((c.get("usage") or {}).get("cost") or {}).get("totalOrigin") for c in billed_msgs]
    assert origins == ["provider-billed"] * len(bills), (
        f"OpenClaw {run.version} booked the billing provider's calls with cost.totalOrigin {origins} "
        f"({len(bills)} bills served)")
    stub_cost = sum(e["cost"] for e in bills)
    book_cost = sum(list_price(c["usage"]) for c in billed_msgs)
    recorded = sum(float(c["usage"]["cost"]["total"]) for c in billed_msgs)
    # The test can tell a bill from a list price, and OpenClaw recorded the bill.
    assert abs(stub_cost - book_cost) > 1e-6, (stub_cost, book_cost)
    assert recorded == pytest.approx(stub_cost, abs=NANO_USD), (recorded, stub_cost)

    row = rows_by_key(run.models).get(BILLED_MODEL)
    agent = rows_by_key(run.agents).get(gateway.BILLING_AGENT_ID)
    served_tokens = {k: sum(e["usage"][k] for e in bills) for k in ("prompt", "completion", "cached", "cacheWrite")}
    mismatches = []
    for label, r in ((f"model {BILLED_MODEL}", row), (f"agent {gateway.BILLING_AGENT_ID}", agent)):
        if r is None:
            mismatches.append(f"{label}: no row in the ledger")
            continue
        if r["calls"] != len(bills):
            mismatches.append(f"{label}: calls={r['calls']} but the stub billed {len(bills)}")
        for field in ("costUsd", "reportedCostUsd"):
            if abs(r[field] - stub_cost) > NANO_USD:
                mismatches.append(f"{label}: {field}={r[field]!r} but the stub billed {stub_cost!r} "
                                  f"(list price {book_cost!r})")
        if r["outputTokens"] != served_tokens["completion"]:
            mismatches.append(f"{label}: outputTokens={r['outputTokens']} but the stub served "
                              f"{served_tokens['completion']} completion tokens")
        if r["inputTokens"] + r["cacheReadTokens"] + r["cacheWriteTokens"] != served_tokens["prompt"]:
            mismatches.append(f"{label}: input+cacheRead+cacheWrite={r['inputTokens']}+{r['cacheReadTokens']}+"
                              f"{r['cacheWriteTokens']} but the stub served {served_tokens['prompt']} prompt tokens")
        if r["cacheReadTokens"] != served_tokens["cached"]:
            mismatches.append(f"{label}: cacheReadTokens={r['cacheReadTokens']} but the stub served "
                              f"{served_tokens['cached']} cached tokens")
    totals = run.daily["totals"]
    if abs(totals["reportedCostUsd"] - run.usage_cost["totals"]["totalCost"]) > NANO_USD:
        mismatches.append(f"reportedCostUsd={totals['reportedCostUsd']!r} but usage.cost totalCost="
                          f"{run.usage_cost['totals']['totalCost']!r}")
    assert not mismatches, "billed calls:\n  " + "\n  ".join(mismatches) + "\n" + diagnostics(run)


def test_ledger_tokens_equal_what_the_stub_served(run: Run):
    """Over every call: the ledger's calls and tokens are what the stub served (2026.7.1 books no
    cache writes: its input is the prompt less the cached tokens)."""
    log = served(run)
    totals = run.daily["totals"]
    got = {"calls": totals["calls"], "output": totals["outputTokens"], "cacheRead": totals["cacheReadTokens"],
           "prompt": totals["inputTokens"] + totals["cacheReadTokens"] + totals["cacheWriteTokens"],
           "cacheWrite": totals["cacheWriteTokens"]}
    expected = {"calls": len(log), "output": sum(e["usage"]["completion"] for e in log),
                "cacheRead": sum(e["usage"]["cached"] for e in log), "prompt": sum(e["usage"]["prompt"] for e in log),
                "cacheWrite": sum(e["usage"]["cacheWrite"] for e in log) if run.layout == "sqlite" else 0}
    assert got == expected, f"ledger {got} != stub served {expected}\n{diagnostics(run)}"


def _same_report(a: dict, b: dict, where: str) -> list[str]:
    """Every number of two `report --json` objects (rows and totals): integers exactly, floats
    within a nano-dollar."""
    out = []
    rows_a, rows_b = rows_by_key(a), rows_by_key(b)
    if sorted(rows_a) != sorted(rows_b):
        out.append(f"{where}: rows {sorted(rows_a)} vs {sorted(rows_b)}")
    for key, x, y in [("TOTAL", a.get("totals") or {}, b.get("totals") or {})] + [
            (k, rows_a[k], rows_b[k]) for k in sorted(set(rows_a) & set(rows_b))]:
        for field in sorted(set(x) | set(y)):
            u, v = x.get(field), y.get(field)
            if isinstance(u, float) or isinstance(v, float):
                ok = isinstance(u, (int, float)) and isinstance(v, (int, float)) and abs(u - v) <= NANO_USD
            else:
                ok = u == v
            if not ok:
                out.append(f"{where} {key}.{field}: scan {u!r}, ledger {v!r}")
    return out


def test_report_scan_equals_the_ledger_twice(run: Run):
    """`report daily --scan` reads the transcripts and stores nothing; twice over, it equals the
    ledger's `report daily`, to the token."""
    mismatches = []
    for i in (1, 2):
        data = run.dir / f"scan-data-{i}"
        scan = ct_json(data, "report", "daily", "--json", "--tz", "UTC", "--scan", "--openclaw-home",
                       str(run.state_dir), timeout=120)
        mismatches += _same_report(scan, run.daily, f"scan #{i}")
        stored = [str(f) for f in data.rglob("*") if f.is_file()] if data.exists() else []
        if stored:
            mismatches.append(f"scan #{i} stored {stored}")
    assert not mismatches, "`report daily --scan` != `report daily`:\n  " + "\n  ".join(mismatches)


def _cold_archives(state_dir: Path) -> int:
    n = 0
    for db in state_dir.glob("agents/*/agent/openclaw-agent.sqlite"):
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
        try:
            n += con.execute("SELECT COUNT(*) FROM session_transcript_cold_archives").fetchone()[0]
        except sqlite3.OperationalError:  # no such table: nothing archived yet
            pass
        finally:
            con.close()
    return n


def test_transcripts_in_cold_storage_are_still_counted(run: Run):
    """OpenClaw 2026.9's opt-in cold storage (`session.maintenance.coldStorage`) moves the events
    of sessions idle longer than `afterDays` out of `transcript_events` into zstd archives
    (`agents/<id>/sessions/cold/<sha256>.jsonl.zst`); its own usage reports restore them to count
    them. The sessions are made 40 days idle (the gateway stopped), the gateway is started with
    cold storage on, and once it has archived them a new Clawtower ledger and a scan, read-only,
    still count every call: the totals equal the ledger's from before."""
    if run.version != "2026.9.6":
        pytest.skip("cold transcript storage exists from OpenClaw 2026.9")
    idle_since = int((time.time() - 40 * 86400) * 1000)
    for db in run.state_dir.glob("agents/*/agent/openclaw-agent.sqlite"):
        con = sqlite3.connect(db, timeout=10)
        try:
            con.execute("UPDATE session_nodes SET updated_at = ?1, last_activity_at = ?1, last_interaction_at = ?1",
                        (idle_since,))
            con.execute("UPDATE session_windows SET updated_at = ?1, transcript_updated_at = ?1", (idle_since,))
            con.commit()
        finally:
            con.close()
    p = gateway.Paths(run.dir)
    config = gateway.read_config(run.dir)
    config.setdefault("session", {}).setdefault("maintenance", {})["coldStorage"] = {"enabled": True, "afterDays": 30}
    p.config.write_text(json.dumps(config, indent=2))
    gateway.restart(run.dir)
    try:
        # Maintenance runs at start and once a minute (128 transcripts a pass); a settled count is
        # enough: the totals must hold with any part of the sessions archived.
        archived = gateway.poll(lambda: _cold_archives(run.state_dir), 150, interval=2)
        settled, last = time.monotonic() + 10, archived
        while archived and time.monotonic() < settled:
            time.sleep(5)
            now = _cold_archives(run.state_dir)
            if now != last:
                settled, last = time.monotonic() + 10, now
        archived = last
    finally:
        gateway.stop(run.dir)
    assert archived, f"OpenClaw archived no transcript to cold storage\n{gateway.log_tail(run.dir, 40)}"
    cold_files = list(run.state_dir.glob("agents/*/sessions/cold/*.jsonl.zst"))
    print(f"\ncold storage: {archived} archived transcripts, {len(cold_files)} files")
    fresh = report_daily(run.dir / "cold-data", "--openclaw-home", str(run.state_dir))
    assert fresh["totals"] == run.daily["totals"], (fresh["totals"], run.daily["totals"])
    scan = ct_json(run.dir / "cold-scan", "report", "daily", "--json", "--tz", "UTC", "--scan", "--openclaw-home",
                   str(run.state_dir), timeout=120)
    assert scan["totals"] == run.daily["totals"], (scan["totals"], run.daily["totals"])
