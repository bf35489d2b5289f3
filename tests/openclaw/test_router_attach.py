"""A real OpenClaw gateway (2026.7.1 and 2026.9.6) routed through Clawtower's model router, and back.

- `clawtower router attach` points each of OpenClaw's providers (both stub providers of
  openclaw.json) at a running `clawtower router`, in one config.patch; OpenClaw keeps its own API
  key, which the router passes on to the provider; the router's key travels in a header. Each
  model is told to send its calls' session id, which the router maps to the session's agent and
  key in OpenClaw's own store (and does not pass on to the provider).
- Turns then go through the router (its ledger has the calls the moment they end, booked to their
  agent and session) and complete.
- A budget on one session stops that session's next call at the router (HTTP 400, nothing sent
  to the provider) while the agent's other sessions go on.
- Imported afterwards, OpenClaw's transcript holds the same calls: each counts once (the router's
  copy folds into the transcript's by the provider's response id), marked with the router key,
  and Clawtower's totals still equal OpenClaw's usage.cost (crosscheck).
- `clawtower router detach` restores openclaw.json exactly (all but OpenClaw's own `meta`), and
  the next turn goes straight to the provider.
- Attach refuses when no router answers, and changes nothing.

Settings are those of test_real_gateway.py (CLAWTOWER_BIN, CLAWTOWER_OC_VERSIONS, CLAWTOWER_OC_KEEP=1).
"""
from __future__ import annotations

import dataclasses
import json
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

import gateway
from cli import clawtower_bin, clawtower_crosscheck, ct, ct_json, discard_run_dir, poll, selected_versions

VERSIONS = selected_versions(["2026.7.1", "2026.9.6"])


@dataclasses.dataclass
class Routed:
    dir: Path
    state_dir: Path
    meta: dict
    data: Path
    router: str
    before: dict  # openclaw.json before attach
    version: str

    @property
    def sends_session_ids(self) -> bool:
        """2026.7.1's config has no compat.sendSessionAffinityHeaders (attach says so)."""
        return self.version != "2026.7.1"

    def ledger(self, sql: str, *args):
        with sqlite3.connect(f"file:{self.data / 'clawtower.sqlite'}?mode=ro", uri=True) as db:
            return db.execute(sql, args).fetchall()


def without_meta(config: dict) -> dict:
    return {k: v for k, v in config.items() if k != "meta"}


@pytest.fixture(scope="module", params=VERSIONS)
def routed(request, tmp_path_factory):
    version = request.param
    clawtower_bin()
    d = tmp_path_factory.mktemp(f"router-{version}")
    meta = gateway.start(version, d)
    data = d / "clawtower-data"
    port = gateway.free_port()
    config = d / "router.toml"
    config.write_text(f'[router]\nlisten = "127.0.0.1:{port}"\n')
    log = open(d / "router.log", "w")
    router = subprocess.Popen([clawtower_bin(), "--data-dir", str(data), "router", "--config", str(config),
                               "--openclaw-home", meta["state_dir"]],
                              stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        poll(lambda: "Clawtower router on" in (d / "router.log").read_text(), 30)
        yield Routed(d, Path(meta["state_dir"]), meta, data, f"http://127.0.0.1:{port}", gateway.read_config(d),
                     version)
    finally:
        router.terminate()
        router.wait(20)
        log.close()
        gateway.stop(d)
    discard_run_dir(d)


def attach(r: Routed, *extra: str):
    return ct(r.data, "router", "attach", "--json", "--openclaw-home", str(r.state_dir), *extra)


def test_attach_refuses_without_a_running_router_and_changes_nothing(routed: Routed):
    out = attach(routed, "--router", f"http://127.0.0.1:{gateway.free_port()}")
    assert out.returncode != 0 and "no Clawtower router answers" in out.stderr, out
    assert gateway.read_config(routed.dir) == routed.before


def test_attached_turns_go_through_the_router_and_count_once(routed: Routed):
    out = attach(routed, "--router", routed.router)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    attached = sorted(a["provider"] for a in result["attached"])
    assert attached == sorted(routed.before["models"]["providers"]), result
    providers = gateway.read_config(routed.dir)["models"]["providers"]
    for name, entry in providers.items():
        assert entry["baseUrl"] == f"{routed.router}/openclaw/{name}/v1", entry
        assert entry["headers"]["x-clawtower-key"].startswith("ctk-")
        assert entry["apiKey"] == routed.before["models"]["providers"][name]["apiKey"], "OpenClaw keeps its key"

    # OpenClaw hot-reloads the patched providers; the turns then reach the stub through the router.
    since = time.time()
    gateway.agent(routed.dir, "Hello through the router", session_key="agent:main:routed")
    gateway.agent(routed.dir, "And once more", session_key="agent:main:routed")
    routed_calls = routed.ledger("SELECT COUNT(*) FROM model_calls WHERE call_id LIKE 'router:%'")[0][0]
    assert routed_calls >= 2, "the router metered the turns' calls as they ended"
    booked = routed.ledger("SELECT DISTINCT agent_id, session_key FROM model_calls WHERE call_id LIKE 'router:%'")
    if routed.sends_session_ids:
        assert result["notes"] == [], result
        assert booked == [("main", "agent:main:routed")], "booked to their agent and session at once"
    else:
        assert "session id" in " ".join(result["notes"]), result
        key_id = routed.ledger("SELECT id FROM router_keys")[0][0]
        assert booked == [("openclaw", f"router:key-{key_id}")], "booked to the attach key until imported"
    served = gateway.model_requests(routed.dir, since)
    assert served, "the stub answered"
    assert all(r["session_headers"] == [] for r in served), "the session id stays with the router"

    imported = ct(routed.data, "ingest", "--openclaw-home", str(routed.state_dir), timeout=120)
    assert imported.returncode == 0, imported.stderr
    transcript = gateway.transcript_calls(routed.state_dir)
    stored = routed.ledger("SELECT COUNT(*), COUNT(router_key) FROM model_calls")[0]
    left = routed.ledger("SELECT call_id, response_id FROM model_calls WHERE call_id LIKE 'router:%'")
    assert left == [], f"router copies not folded into the transcript's: {left}"
    assert stored[0] == len(transcript), f"{stored[0]} calls stored, {len(transcript)} in the transcripts"
    assert stored[1] >= 2, "the routed calls are marked with the router key"
    # How the router handled them moved with them into the transcript's copies.
    handled = routed.ledger("SELECT r.status, r.route FROM model_calls c JOIN router_requests r USING (call_id)"
                            " WHERE c.router_key IS NOT NULL")
    assert len(handled) == stored[1], handled
    assert all(status == 200 and route.startswith("openclaw provider ") for status, route in handled), handled
    code, check = clawtower_crosscheck(routed.data, routed.state_dir, routed.meta)
    assert code == 0, check


def test_a_session_budget_stops_that_sessions_calls_at_the_router(routed: Routed):
    if not routed.sends_session_ids:
        pytest.skip("OpenClaw 2026.7.1 cannot send its calls' session ids (attach says so)")
    for entry in gateway.read_config(routed.dir)["models"]["providers"].values():
        assert all(m["compat"]["sendSessionAffinityHeaders"] is True for m in entry["models"]), entry
    capped = "agent:main:capped"
    gateway.agent(routed.dir, "A first turn in the session to cap", session_key=capped)
    spent = routed.ledger("SELECT SUM(cost_nanousd) FROM model_calls WHERE session_key = ?", capped)[0][0]
    assert spent and spent > 0, "the router booked the turn to its session"
    # A budget on that session alone, as much as it has spent: used up.
    out = ct(routed.data, "budget", "set", "--limit", f"{spent / 1e9:.9f}", "--scope", f"session:{capped}",
             "--action", "pause", "--name", "One session")
    assert out.returncode == 0, out.stderr

    # The router refuses the session's next call before it is sent. (OpenClaw ends the turn with
    # "provider rejected the request": the router answers 400, which OpenClaw does not take for a
    # billing problem that would disable its credential.)
    since = time.time()
    with pytest.raises(gateway.GatewayError, match="budget .One session. is used up"):
        gateway.agent(routed.dir, "A second turn in the capped session", session_key=capped, timeout=120)
    assert gateway.model_requests(routed.dir, since) == [], "nothing reached the provider"

    # The agent's other sessions go on.
    since = time.time()
    gateway.agent(routed.dir, "Another session of the same agent", session_key="agent:main:other")
    assert gateway.model_requests(routed.dir, since), "the stub answered"
    ids = [b["id"] for b in ct_json(routed.data, "budget", "list", "--json")["budgets"]]
    for budget_id in ids:
        assert ct(routed.data, "budget", "rm", str(budget_id)).returncode == 0


def test_detach_restores_openclaw_json_exactly(routed: Routed):
    out = ct(routed.data, "router", "detach", "--openclaw-home", str(routed.state_dir))
    assert out.returncode == 0, out.stderr
    after = gateway.read_config(routed.dir)
    for name, entry in routed.before["models"]["providers"].items():
        assert after["models"]["providers"][name] == entry, (name, json.dumps(after["models"]["providers"][name]))
    assert without_meta(after) == without_meta(routed.before)
    status = ct(routed.data, "router", "status")
    assert "not routed" in status.stdout, status.stdout

    # The next turn goes straight to the provider: the router stores nothing new.
    routed_before = routed.ledger("SELECT COUNT(*) FROM model_calls WHERE call_id LIKE 'router:%'")[0][0]
    poll(lambda: gateway.read_config(routed.dir) == after, 5)
    gateway.agent(routed.dir, "Direct again", session_key="agent:main:direct")
    assert routed.ledger("SELECT COUNT(*) FROM model_calls WHERE call_id LIKE 'router:%'")[0][0] == routed_before
