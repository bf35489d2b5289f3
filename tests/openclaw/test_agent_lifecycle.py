"""Agents archived, restored and purged on a real OpenClaw gateway, both storage layouts.

Create `ops` → a turn and a cron job of its own → archive (gone from `agents.list`, its workspace
and `agents/ops` directory in Clawtower's archive, its cron job removed and saved, its calls still
in the ledger) → a new agent takes the name `ops` → restore (becomes `ops-2`, files back beside
the new one's, its cron job back for `ops-2`, its history under its identity, the newcomer's
apart) → archive again and purge (a wrong name refused; the archive gone, the history kept).
Every step is in the audit log.

Settings are those of test_real_gateway.py (CLAWTOWER_BIN, CLAWTOWER_OC_VERSIONS, CLAWTOWER_OC_KEEP=1).
"""
from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

import gateway
from cli import clawtower_bin, ct, discard_run_dir, selected_versions

VERSIONS = selected_versions(["2026.7.1", "2026.9.6"])


class Home:
    def __init__(self, d: Path, meta: dict):
        self.dir, self.meta = d, meta
        self.state = Path(meta["state_dir"])
        self.data = d / "clawtower-data"

    def ct(self, *args: str, ok: bool = True):
        # `agents archived|audit|purge` need no gateway; the others are told where OpenClaw is.
        local = args[:2] in (("agents", "archived"), ("agents", "audit"), ("agents", "purge"), ("cron", "next"))
        where = () if local else ("--openclaw-home", str(self.state))
        r = ct(self.data, *args, *where, timeout=180)
        if ok:
            assert r.returncode == 0, f"clawtower {' '.join(args)}: {r.stdout}\n{r.stderr}"
        return r

    def json(self, *args: str):
        return json.loads(self.ct(*args, "--json").stdout)

    def agent_ids(self) -> list[str]:
        return sorted(a["id"] for a in gateway.call(self.dir, "agents.list")["agents"])

    def jobs(self) -> list[dict]:
        return gateway.call(self.dir, "cron.list", {"includeDisabled": True}).get("jobs") or []

    def ledger_calls(self, agent: str) -> int:
        with sqlite3.connect(f"file:{self.data / 'clawtower.sqlite'}?mode=ro", uri=True) as db:
            return db.execute("SELECT COUNT(*) FROM model_calls WHERE agent_id = ?", (agent,)).fetchone()[0]


@pytest.fixture(scope="module", params=VERSIONS)
def home(request, tmp_path_factory):
    clawtower_bin()
    d = tmp_path_factory.mktemp(f"lifecycle-{request.param}")
    meta = gateway.start(request.param, d)
    try:
        yield Home(d, meta)
    finally:
        gateway.stop(d)
    discard_run_dir(d)


def test_archive_restore_purge_keep_history_under_one_identity(home: Home):
    made = home.json("agents", "create", "ops", "--model", "stub/stub-model")
    assert made["agentId"] == "ops"
    assert "ops" in home.agent_ids()
    gateway.agent(home.dir, "hello from ops", agent_id="ops", session_key="agent:ops:main")
    job = gateway.call(home.dir, "cron.add", {
        "name": "ops-daily", "agentId": "ops", "schedule": {"kind": "every", "everyMs": 86_400_000},
        "sessionTarget": "isolated", "wakeMode": "now", "enabled": True,
        "payload": {"kind": "agentTurn", "message": "daily check"}, "delivery": {"mode": "none"}})
    job_id = job.get("id") or job["job"]["id"]
    home.ct("ingest")
    calls = home.ledger_calls("ops")
    assert calls >= 1, "the turn of ops is in the ledger"
    listed = {a["id"]: a for a in home.json("agents", "list")["agents"]}
    spent = listed["ops"]["spendTotalUsd"]
    assert spent > 0, listed["ops"]
    workspace = Path(listed["ops"]["workspace"])
    assert workspace.is_dir()

    # Archive: refused without --yes, then done.
    refused = home.ct("agents", "archive", "ops", ok=False)
    assert refused.returncode != 0 and "--yes" in refused.stderr
    archived = home.json("agents", "archive", "ops", "--yes")
    archive_id = archived["archiveId"]
    archive_dir = home.data / "archive" / archive_id
    assert "ops" not in home.agent_ids()
    assert not workspace.exists() and (archive_dir / "workspace").is_dir()
    assert not (home.state / "agents" / "ops").exists() and (archive_dir / "agent").is_dir()
    assert job_id not in [j["id"] for j in home.jobs()], "its cron job is removed (and saved)"
    manifest = json.loads((archive_dir / "manifest.json").read_text())
    assert manifest["state"] == "archived" and [j["name"] for j in manifest["cronJobs"]] == ["ops-daily"]
    assert home.ledger_calls("ops") == calls, "its history stays"
    listed = home.json("agents", "archived")["archives"]
    assert [a["id"] for a in listed] == [archive_id]

    # A newcomer takes the name; the archived agent comes back as ops-2, its history with it.
    # (Within a day, OpenClaw refuses to set up a new workspace where one just left: the
    # newcomer gets its own, and Clawtower says why when it is not given one.)
    same_place = home.ct("agents", "create", "ops", ok=False)
    if same_place.returncode != 0:
        assert "give the new agent another workspace" in same_place.stderr, same_place.stderr
    newcomer = home.json("agents", "create", "ops", "--workspace", str(home.state / "workspace-ops-new")) \
        if same_place.returncode != 0 else {"agentId": "ops"}
    assert newcomer["agentId"] == "ops"
    restored = home.json("agents", "restore", archive_id, "--yes")
    assert restored["agentId"] == "ops-2", restored
    assert {"ops", "ops-2"} <= set(home.agent_ids())
    back = [j for j in home.jobs() if j.get("name") == "ops-daily"]
    assert len(back) == 1 and back[0].get("agentId") == "ops-2", back
    # OpenClaw binds a session store to its agent id: under ops-2 the old one stays archived.
    assert (archive_dir / "agent").is_dir() and not (archive_dir / "workspace").exists()
    [kept] = home.json("agents", "archived")["archives"]
    assert (kept["state"], kept["restoredAs"]) == ("restored", "ops-2"), kept
    again_refused = home.ct("agents", "restore", archive_id, "--yes", ok=False)
    assert again_refused.returncode != 0 and "restored as ops-2 already" in again_refused.stderr
    listed = {a["id"]: a for a in home.json("agents", "list")["agents"]}
    assert listed["ops-2"]["spendTotalUsd"] == spent, "history continues under its identity"
    assert listed["ops"]["spendTotalUsd"] == 0, "the newcomer does not inherit it"
    assert listed["ops-2"]["identity"] == "ops" and listed["ops"]["identity"] != "ops"

    # Purge: archive again, a wrong name refused, then gone for good; the history stays.
    again = home.json("agents", "archive", "ops-2", "--yes")["archiveId"]
    wrong = home.ct("agents", "purge", again, "--confirm", "ops", ok=False)
    assert wrong.returncode != 0 and "ops-2" in wrong.stderr
    home.ct("agents", "purge", again, "--confirm", "ops-2")
    assert not (home.data / "archive" / again).exists()
    assert home.ledger_calls("ops") == calls

    actions = [(e["action"], e["result"]) for e in reversed(home.json("agents", "audit")["entries"])]
    actions = [a for a in actions if a != ("agent.create", "failed")]  # the refused newcomer, if it was
    assert actions == [("agent.create", "ok"), ("agent.archive", "ok"), ("agent.create", "ok"),
                       ("agent.restore", "ok"), ("agent.restore", "failed"), ("agent.archive", "ok"),
                       ("agent.purge", "failed"), ("agent.purge", "ok")], actions


def test_cron_jobs_and_session_actions(home: Home):
    bad = home.ct("cron", "add", "--name", "bad", "--message", "x", "--cron", "0 25 * * *", ok=False)
    assert bad.returncode != 0 and "the hour field has 25: it runs 0–23" in bad.stderr, bad.stderr
    job = home.json("cron", "add", "--name", "nightly", "--agent", "main", "--message", "cron check",
                    "--every", "1440")["id"]

    def listed() -> dict:
        return {j["id"]: j for j in home.json("cron", "list")["jobs"]}[job]
    assert (listed()["scheduleWords"], listed()["enabled"]) == ("every day", True)
    home.ct("cron", "disable", job)
    assert listed()["enabled"] is False
    home.ct("cron", "enable", job)
    assert listed()["enabled"] is True
    # The next run Clawtower previews for a schedule is the one OpenClaw schedules for it (both read
    # the expression with Croner), in the schedule's zone, a top-of-hour job's stagger delay (set
    # by its id) included; the last one stays for what follows.
    for expr, tz in (("30 8 * * 1-5", "Asia/Tokyo"), ("0 9 * * 5#2", "America/New_York"),
                     ("15 3 L * *", "UTC"), ("0 0 12 * * sun", "Europe/Berlin"), ("0 */2 * * *", "UTC"),
                     ("0 * * * *", "Europe/Berlin")):
        preview = ("cron", "next", "--cron", expr, "--tz", tz, "--job", job)
        before = home.json(*preview, "--count", "2")["runsMs"]
        home.ct("cron", "edit", job, "--name", "hourly", "--message", "cron check", "--cron", expr, "--tz", tz)
        scheduled = listed()["nextRunMs"]
        after = home.json(*preview, "--count", "1")["runsMs"]
        # (a run falling due between the two previews moves the first one on)
        assert scheduled in (before[0], after[0]), (expr, tz, scheduled, before, after)
    assert (listed()["name"], listed()["scheduleWords"]) == ("hourly", "every hour (Europe/Berlin)")

    # Run now: the run shows up with its usage and cost once the ledger has its session.
    home.ct("cron", "run", job)

    def run_with_cost():
        home.ct("ingest")
        runs = home.json("cron", "runs", job)["runs"]
        return runs if runs and runs[0]["calls"] > 0 else None
    runs = gateway.poll(run_with_cost, 120, interval=3)
    assert runs, "the run never showed its calls"
    assert runs[0]["costUsd"] > 0 and runs[0]["tokens"] > 0, runs[0]
    home.ct("cron", "rm", job)
    assert job not in [j["id"] for j in home.json("cron", "list")["jobs"]]
    # The job's name as OpenClaw stores it (its state database, read only) is remembered, and
    # stays once the job is gone (it names the job's runs); its run sessions are named by
    # OpenClaw's label or after the job.
    home.ct("ingest")
    with sqlite3.connect(f"file:{home.data / 'clawtower.sqlite'}?mode=ro", uri=True) as db:
        names = dict(db.execute("SELECT job_id, name FROM cron_job_names").fetchall())
        # Which job each run's session ran (OpenClaw's task_runs), remembered: a run whose
        # session OpenClaw deleted is counted under `agent:<id>:<sessionId>`.
        run_jobs = dict(db.execute("SELECT session_id, job_id FROM cron_run_sessions").fetchall())
    assert names.get(job) == "hourly", names
    with sqlite3.connect(f"file:{home.state / 'state' / 'openclaw.sqlite'}?mode=ro", uri=True) as oc:
        told = {key.rsplit(":", 1)[1]: job for (key,) in oc.execute(
            "SELECT child_session_key FROM task_runs WHERE runtime = 'cron'")
            if key and f":cron:{job}:run:" in key}
    # 2026.9.6 runs a job in a session of its own, deleted after the run (2026.7.1 keeps the
    # job's latest run in `agent:<id>:cron:<job>`).
    assert told or home.meta["version"] == "2026.7.1", "OpenClaw told of no run session"
    assert told.items() <= run_jobs.items(), (told, run_jobs)
    runs = [r for r in home.json("sessions", "list", "--kind", "cron")["rows"]
            if f":cron:{job}" in r["key"] or r.get("cronJobId") == job]
    assert runs and all("hourly" in r["title"] and r["cronJobId"] == job for r in runs), runs

    # Session actions on the main session.
    key = "agent:main:main"
    gateway.agent(home.dir, "hello main", session_key=key)
    # What the app's session actions show and toggle: OpenClaw's own state, read back.
    state = home.json("sessions", "label", key, "Mainline", "--pin")["state"]
    assert state == {"label": "Mainline", "pinned": True, "archived": False, "canPin": True,
                     "canArchive": False}, state
    row = next(s for s in gateway.sessions(home.dir) if s["key"] == key)
    assert row.get("label") == "Mainline" and row.get("pinned") is True, row
    assert home.json("sessions", "abort", key)["aborted"] is False
    refused = home.ct("sessions", "reset", key, ok=False)
    assert refused.returncode != 0 and "--yes" in refused.stderr
    home.ct("sessions", "reset", key, "--yes")
    # Archived in OpenClaw (its own flag: out of its default lists, nothing deleted), then back
    # (2026.9.6 archives only the session id it is told: Clawtower reads it and asks again).
    side = "agent:main:aside"
    gateway.agent(home.dir, "hello aside", session_key=side)
    state = home.json("sessions", "label", side, "Aside", "--archive")["state"]
    assert state["archived"] and state["canArchive"] and state["label"] == "Aside", state
    shelved = gateway.call(home.dir, "sessions.list", {"limit": 200, "archived": True})["sessions"]
    assert any(r["key"] == side and r.get("archived") for r in shelved), shelved
    assert side not in [r["key"] for r in gateway.sessions(home.dir)]
    assert not home.json("sessions", "label", side, "Aside", "--unarchive")["state"]["archived"]
    back = next(r for r in gateway.sessions(home.dir) if r["key"] == side)
    assert not back.get("archived") and back.get("label") == "Aside", back
    actions = [e["action"] for e in home.json("agents", "audit")["entries"]]
    for action in ("cron.add", "cron.disable", "cron.enable", "cron.edit", "cron.run", "cron.remove",
                   "session.change", "session.abort", "session.reset"):
        assert action in actions, (action, actions)


def test_killing_a_running_sub_agent_cuts_its_stream(home: Home):
    """A sub-agent in the middle of a slow stream is killed through Clawtower (`sessions kill` on
    its parent: the parent's session and every session it spawned): the stream is cut (the stub
    sees the client leave), OpenClaw no longer lists it running, and the kill is in the audit log."""
    parent = "agent:main:slowspawner"
    since = time.time()
    gateway.agent(home.dir, "SPAWNSLOW please start a sub-agent with a long task.", parent)
    stream = gateway.wait_for("the sub-agent's slow stream", lambda: [
        q for q in gateway.model_requests(home.dir, since) if q.get("kind") == "slow"], home.dir, 120,
        interval=0.5)[0]

    def running_children():
        return [r["key"] for r in gateway.sessions(home.dir)
                if ":subagent:" in r["key"] and (r.get("hasActiveRun") or r.get("status") == "running")]
    children = gateway.poll(running_children, 30, interval=0.5)
    assert children, "the sub-agent was never listed running"
    killed = home.json("sessions", "kill", parent)
    assert killed["stopped"] >= 1, killed
    cut = gateway.poll(lambda: [e for e in gateway.stub_requests(home.dir)
                                if e.get("event") == "client-disconnected" and e.get("n") == stream["n"]], 30)
    assert cut, "the sub-agent's stream was not cut"
    assert time.time() < stream["ts"] + 100, "the stream ran to its end instead"
    assert gateway.poll(lambda: not set(children) & set(running_children()), 30), running_children()
    entry = next(e for e in home.json("agents", "audit")["entries"] if e["action"] == "session.kill")
    assert (entry["target"], entry["result"]) == (parent, "ok"), entry
