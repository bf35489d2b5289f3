"""The Agents page of the real app window against a real OpenClaw gateway (2026.9.6): an agent made
in its dialog, archived behind the confirmation and restored from the Archived list; a session
pinned, archived and brought back from its view (tests/e2e/agents.app.mjs drives the window through
tauri-driver under Xvfb); OpenClaw's side and the archive on disk are checked here. Needs the app, tauri-driver and WebKitWebDriver:
`make openclaw-test` passes CLAWTOWER_APP and TAURI_DRIVER."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import gateway
from cli import clawtower_bin, discard_run_dir, selected_versions

REPO = Path(__file__).resolve().parents[2]
VERSIONS = [v for v in selected_versions(["2026.9.6"]) if v == "2026.9.6"]
APP, DRIVER = os.environ.get("CLAWTOWER_APP"), os.environ.get("TAURI_DRIVER")


@pytest.mark.skipif(not (APP and DRIVER), reason="needs CLAWTOWER_APP and TAURI_DRIVER (make openclaw-test sets them)")
@pytest.mark.parametrize("version", VERSIONS)
def test_the_app_window_makes_archives_and_restores_an_agent(version, tmp_path_factory):
    d = tmp_path_factory.mktemp(f"app-lifecycle-{version}")
    meta = gateway.start(version, d)
    try:
        flagged = "agent:main:e2e-flags"
        gateway.agent(d, "hello", session_key=flagged)
        state = Path(meta["state_dir"])
        data, home = d / "clawtower-data", d / "app-home"
        (home / ".config").mkdir(parents=True)
        env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
               "XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_CACHE_HOME": str(home / ".cache"),
               "CLAWTOWER_DATA_DIR": str(data), "OPENCLAW_STATE_DIR": str(state), "TZ": "UTC",
               "CLAWTOWER_CLI": clawtower_bin(), "CLAWTOWER_E2E_AGENT": "Scout",
               "CLAWTOWER_E2E_SESSION": flagged}
        for name in ("OPENCLAW_HOME", "OPENCLAW_PROFILE", "OPENCLAW_CONFIG_PATH", "OPENCLAW_GATEWAY_PORT"):
            env.pop(name, None)
        run = subprocess.run(
            ["timeout", "--kill-after=10", "600", str(REPO / "tests/desktop/run-desktop-session.sh"),
             "node", "--test", "--test-reporter=spec", str(REPO / "tests/e2e/agents.app.mjs")],
            env=env, capture_output=True, text=True)
        assert run.returncode == 0, f"the app flow failed:\n{run.stdout[-6000:]}\n{run.stderr[-3000:]}"
        archive_id = next(json.loads(line.strip())["archiveId"] for line in reversed(run.stdout.splitlines())
                          if line.strip().startswith('{"archiveId"'))
        # OpenClaw has the agent again, under its own id: everything went back, so the archive is
        # gone (a complete restore leaves none), its agent dir is back in the state dir.
        agents = {a["id"]: a for a in gateway.call(d, "agents.list")["agents"]}
        assert "scout" in agents, sorted(agents)
        assert not (data / "archive" / archive_id).exists()
        assert (state / "agents" / "scout").is_dir()
        # The session as the app left it: pinned, back from OpenClaw's archive.
        described = gateway.call(d, "sessions.describe", {"key": flagged})["session"]
        assert described["pinned"] is True and described["archived"] is False, described
    finally:
        gateway.stop(d)
    discard_run_dir(d)
