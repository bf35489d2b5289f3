"""Password auth and gateways added by URL, against a real OpenClaw gateway (2026.9.6) running in
password mode (`gateway.auth.mode = password`).

- The local gateway is found in openclaw.json with its password, as OpenClaw's own CLI finds it:
  `clawtower gateway status` connects with password auth, and says the gateway budgets pause.
- A gateway added by URL (`clawtower gateway add URL --ask password`, the password on stdin, from a
  data dir that has no local OpenClaw): a wrong password is reported as PASSWORD_MISMATCH, no
  password as PASSWORD_REQUIRED; `gateway login` with the right one connects; the password is never
  printed and the store holding it is owner-only.
- `clawtower gateway follow` over the added gateway stores the calls of a real turn, and they equal
  OpenClaw's usage.cost tokens.
- Budgets control the added gateway when there is no local one: `clawtower pause` / `resume` work
  on it over password auth and leave openclaw.json as it was.
- Bad input: an http:// URL and a plain ws:// URL to a public host are refused with the reason.

Settings are those of test_real_gateway.py (CLAWTOWER_BIN, CLAWTOWER_OC_VERSIONS: skipped unless it
includes 2026.9.6, CLAWTOWER_OC_KEEP=1).
"""
from __future__ import annotations

import dataclasses
import json
import secrets
import time
from pathlib import Path

import pytest

import gateway
from cli import Follower, clawtower_bin, ct, ct_result, discard_run_dir, poll, require_version

VERSION = "2026.9.6"


@dataclasses.dataclass
class Gw:
    dir: Path
    state_dir: Path
    meta: dict
    password: str
    elsewhere: Path   # where no OpenClaw is installed: only added gateways are followed from it

    @property
    def url(self) -> str:
        # The same gateway under another name than the local one (ws://127.0.0.1:PORT/).
        return f"ws://localhost:{self.meta['port']}/"

    def ct(self, data: str, *args: str, stdin: str | None = None):
        """`clawtower gateway add|list …` from a data dir that sees no local OpenClaw."""
        return ct(self.dir / data, *args, "--openclaw-home", str(self.elsewhere), stdin=stdin)

    def status(self, data: str) -> tuple[int, list]:
        code, out = ct_result(self.dir / data, "gateway", "status", "--json",
                              "--openclaw-home", str(self.elsewhere))
        return code, out.get("gateways", [out])


@pytest.fixture(scope="module")
def gw(tmp_path_factory):
    require_version(VERSION, "password auth")
    clawtower_bin()
    d = tmp_path_factory.mktemp(f"auth-{VERSION}")
    password = secrets.token_urlsafe(18)
    meta = gateway.start(VERSION, d, password=password)
    elsewhere = d / "no-openclaw-here"  # never created: no OpenClaw install there
    try:
        yield Gw(d, Path(meta["state_dir"]), meta, password, elsewhere)
    finally:
        gateway.stop(d)
    discard_run_dir(d)


def never_shows(gw: Gw, *outputs: str) -> None:
    for text in outputs:
        assert gw.password not in text, "the password was printed"


def test_the_local_gateway_connects_with_the_password_from_openclaw_json(gw: Gw):
    code, out = ct_result(gw.dir / "local-data", "gateway", "status", "--json", "--openclaw-home", str(gw.state_dir))
    [local] = out["gateways"]
    assert code == 0 and local["connected"] is True, out
    assert local["auth"]["method"] == "password", local
    assert (local["local"], local["controlled"], local["credential"]) == (True, True, "password"), local
    never_shows(gw, json.dumps(out))


def test_an_added_gateway_says_which_password_problem_it_has_then_connects(gw: Gw):
    data = "added-data"
    r = gw.ct(data, "gateway", "add", gw.url, "--name", "build box", "--ask", "password", stdin="not-it\n")
    assert r.returncode == 0, r.stderr
    code, [added] = gw.status(data)
    assert code == 2 and added["connected"] is False, added
    assert added["error"]["code"] == "PASSWORD_MISMATCH", added
    assert (added["name"], added["local"], added["controlled"]) == ("build box", False, True), added

    r = ct(gw.dir / data, "gateway", "login", str(added["id"]), "--forget")
    assert r.returncode == 0, r.stderr
    code, [added] = gw.status(data)
    assert code == 2 and added["error"]["code"] == "PASSWORD_REQUIRED", added

    r = ct(gw.dir / data, "gateway", "login", str(added["id"]), "--ask", "password", stdin=gw.password + "\n")
    assert r.returncode == 0, r.stderr
    code, [added] = gw.status(data)
    assert code == 0 and added["connected"] is True and added["auth"]["method"] == "password", added

    listed = gw.ct(data, "gateway", "list", "--json")
    assert json.loads(listed.stdout)[0]["credential"] == "password", listed.stdout
    never_shows(gw, r.stdout, r.stderr, listed.stdout, json.dumps(added))
    database = gw.dir / data / "clawtower.sqlite"
    assert oct(database.stat().st_mode & 0o777) == "0o600"


def test_following_an_added_gateway_stores_its_calls(gw: Gw):
    data = "follow-data"
    r = gw.ct(data, "gateway", "add", gw.url, "--ask", "password", stdin=gw.password + "\n")
    assert r.returncode == 0, r.stderr
    follower = Follower(gw.dir / data, gw.elsewhere, "follower")
    try:
        follower.wait_following(timeout=60)
        before = time.time()
        gateway.agent(gw.dir, "AUTHTEST hello over password auth.", "agent:main:auth", timeout=120)
        assert poll(lambda: [1 for t, line in follower.out if t >= before and "agent:main:auth" in line], 20), \
            follower.tail()
    finally:
        follower.stop()
    daily = json.loads(ct(gw.dir / data, "report", "daily", "--json", "--tz", "UTC").stdout)
    usage = gateway.usage_cost(gw.dir)
    ours, theirs = daily["totals"], usage["totals"]
    assert (ours["inputTokens"], ours["outputTokens"]) == (theirs["input"], theirs["output"]), (daily, usage)
    assert ours["calls"] >= 1
    never_shows(gw, "\n".join(line for _, line in follower.out + follower.err))


def test_pause_and_resume_act_on_the_added_gateway_budgets_control(gw: Gw):
    """From a data dir whose only gateway was added by URL, `clawtower pause` pauses that gateway
    (over password auth) and `clawtower resume` puts openclaw.json back as it was."""
    data = "pause-data"
    r = gw.ct(data, "gateway", "add", gw.url, "--ask", "password", stdin=gw.password + "\n")
    assert r.returncode == 0, r.stderr
    without_meta = lambda config: {k: v for k, v in config.items() if k != "meta"}  # OpenClaw's bookkeeping
    before = without_meta(gateway.read_config(gw.dir))
    r = gw.ct(data, "pause", "--json")
    assert r.returncode == 0, (r.stdout, r.stderr)
    paused = json.loads(r.stdout)
    assert paused["problems"] == [], paused
    assert gateway.read_config(gw.dir).get("cron", {}).get("enabled") is False
    r = gw.ct(data, "resume", "--json")
    assert r.returncode == 0, (r.stdout, r.stderr)
    assert without_meta(gateway.read_config(gw.dir)) == before
    never_shows(gw, r.stdout, r.stderr)


@pytest.mark.parametrize("url, reason", [
    ("http://127.0.0.1:1/", "ws:// or wss://"),
    ("ws://gateway.example.com:18789/", "unencrypted"),
])
def test_unsafe_gateway_urls_are_refused_with_the_reason(gw: Gw, url: str, reason: str):
    r = gw.ct("refused-data", "gateway", "add", url)
    assert r.returncode != 0 and reason in r.stderr, (r.returncode, r.stderr)
