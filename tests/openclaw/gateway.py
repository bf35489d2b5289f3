#!/usr/bin/env python3
"""Run a real, isolated, offline OpenClaw gateway against the stub provider (stdlib only).

    gateway.py start --version 2026.9.6 --dir D [--port P] [--stub-port S]
    gateway.py stop --dir D
    gateway.py restart --dir D     (the gateway only: same port, token and state dir; the stub stays)
    gateway.py agent --dir D --message TEXT [--session-key K]
    gateway.py call --dir D METHOD PARAMS_JSON
    gateway.py usage-cost --dir D
    gateway.py scenario --dir D

Layout of D (everything the gateway writes stays in it):
    home/                  HOME and OPENCLAW_HOME
    home/.openclaw/        OPENCLAW_STATE_DIR, with openclaw.json
    logs/openclaw.log      the gateway's file log (JSON lines)
    logs/gateway.out       the gateway's stdout and stderr
    logs/stub.out          the stub's stderr; logs/stub-requests.jsonl: one line per request
    tmp/                   TMPDIR
    gateway.json           version, ports, token, pids, start time
    gateway.pid, stub.pid

OpenClaw is installed by install.sh (run on demand) into
${CLAWTOWER_CACHE:-~/.cache/clawtower}/openclaw/VERSION. The gateway listens on 127.0.0.1
with a random token; model catalog refresh, update checks, mDNS, channels, heartbeats and
memory dreaming are off, so nothing but the stub on 127.0.0.1 is contacted.
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import glob
import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PRICE = {"input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite": 3.75}  # USD per 1M tokens
PROVIDER_ID = "stub"
MODEL_ID = "stub-model"
# A second provider on the same stub, under /billing/: it reports the USD it charged in the usage
# chunk (`usage.cost`, as OpenRouter does), which OpenClaw books as "provider-billed". Its list
# price is PRICE, its bill stub_provider.BILL_FACTOR times that.
BILLING_PROVIDER_ID = "billing"
# The agent whose model is the billing provider's (only when started with billing_agent=True).
BILLING_AGENT_ID = "biller"
OFFLINE_ENV = {
    "OPENCLAW_DISABLE_BONJOUR": "1",
    "OPENCLAW_NO_AUTO_UPDATE": "1",
    "OPENCLAW_NO_RESPAWN": "1",
    "OPENCLAW_SKIP_CHANNELS": "1",
    "OPENCLAW_EXEC_SHELL_SNAPSHOT": "0",
}


class GatewayError(RuntimeError):
    pass


def log(msg: str) -> None:
    sys.stderr.write(f"[gateway {time.strftime('%H:%M:%S')}] {msg}\n")
    sys.stderr.flush()


# ----------------------------------------------------------------------------- install / env

def cache_root() -> Path:
    return Path(os.environ.get("CLAWTOWER_CACHE") or Path.home() / ".cache" / "clawtower")


def install(version: str, timeout: float = 1200) -> dict:
    """Run install.sh (idempotent) and return {OC_NODE, OC_BIN, OC_NODE_VERSION, node_bin}."""
    env_file = cache_root() / "openclaw" / version / "env.sh"
    if not (cache_root() / "openclaw" / version / ".installed").is_file():
        log(f"installing openclaw@{version} (install.sh)")
        r = subprocess.run([str(HERE / "install.sh"), version], stdout=subprocess.PIPE, text=True, timeout=timeout)
        if r.returncode != 0:
            raise GatewayError(f"install.sh {version} failed with exit code {r.returncode}")
        env_file = Path(r.stdout.strip().splitlines()[-1])
    values = {}
    for line in env_file.read_text().splitlines():
        m = re.match(r"export (OC_[A-Z_]+)='([^']*)'$", line.strip())
        if m:
            values[m.group(1)] = m.group(2)
    for key in ("OC_NODE", "OC_BIN"):
        if not values.get(key):
            raise GatewayError(f"{env_file}: {key} missing")
    values["node_bin"] = str(Path(values["OC_NODE"]).parent)
    return values


class Paths:
    def __init__(self, d: str | Path):
        self.dir = Path(d).resolve()
        self.home = self.dir / "home"
        self.state = self.home / ".openclaw"
        self.config = self.state / "openclaw.json"
        self.logs = self.dir / "logs"
        self.oc_log = self.logs / "openclaw.log"
        self.gw_out = self.logs / "gateway.out"
        self.stub_out = self.logs / "stub.out"
        self.stub_log = self.logs / "stub-requests.jsonl"
        self.tmp = self.dir / "tmp"
        self.meta = self.dir / "gateway.json"
        self.gw_pid = self.dir / "gateway.pid"
        self.stub_pid = self.dir / "stub.pid"


def load_meta(d) -> dict:
    p = Paths(d)
    if not p.meta.is_file():
        raise GatewayError(f"{p.meta} not found: run `gateway.py start --dir {p.dir}` first")
    return json.loads(p.meta.read_text())


def oc_env(d, meta: dict) -> dict:
    """Environment for every openclaw process of this dir: isolated and offline."""
    p = Paths(d)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENCLAW_", "npm_", "NODE_OPTIONS"))}
    env.update(OFFLINE_ENV)
    env.update({
        "HOME": str(p.home),
        "OPENCLAW_HOME": str(p.home),
        "OPENCLAW_STATE_DIR": str(p.state),
        "OPENCLAW_CONFIG_PATH": str(p.config),
        **({"OPENCLAW_GATEWAY_PASSWORD": meta["password"]} if meta.get("password")
           else {"OPENCLAW_GATEWAY_TOKEN": meta["token"]}),
        "OPENCLAW_GATEWAY_PORT": str(meta["port"]),
        "TMPDIR": str(p.tmp),
        "TZ": "UTC",
        "NO_COLOR": "1",
        "FORCE_COLOR": "0",
        "CLAWTOWER_OC_DIR": str(p.dir),  # marks our processes (checked before signalling a pid)
        "PATH": meta["node_bin"] + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
    })
    return env


# ----------------------------------------------------------------------------- helpers

def utc_today() -> str:
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


def run_days(meta: dict) -> tuple[str, str]:
    """The days of the run, UTC, as (first, last): the gateway's start day, then today."""
    today = utc_today()
    return meta.get("started_date_utc") or today, today


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path: Path, n: int = 40) -> str:
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return f"({path} missing)"
    return "\n".join(lines[-n:])


def log_tail(d, n: int = 30) -> str:
    p = Paths(d)
    out = [f"--- tail of {p.gw_out}", tail(p.gw_out, 8 if p.oc_log.exists() else n)]
    if p.oc_log.exists():
        # The file log is JSON lines; show time, level and message only.
        lines = []
        for line in tail(p.oc_log, n).splitlines():
            try:
                o = json.loads(line)
                lines.append(f"{o.get('time', '')} {o.get('_meta', {}).get('logLevelName', '')} "
                             f"{o.get('message') or o.get('1') or o.get('0')}"[:400])
            except ValueError:
                lines.append(line[:400])
        out += [f"--- tail of {p.oc_log}", "\n".join(lines)]
    out += [f"--- tail of {p.stub_out}", tail(p.stub_out, 10)]
    return "\n".join(out)


def parse_json_output(text: str):
    """The JSON value printed by an openclaw --json command (skipping any banner lines)."""
    text = text.strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    dec = json.JSONDecoder()
    for m in re.finditer(r"^[{\[]", text, re.M):
        try:
            value, end = dec.raw_decode(text, m.start())
        except ValueError:
            continue
        if not text[end:].strip():
            return value
    raise ValueError("no JSON object in output")


def http_get_json(url: str, timeout: float = 3):
    with urllib.request.urlopen(url, timeout=timeout) as r:  # loopback only
        return json.loads(r.read() or b"null")


def pid_is_ours(pid: int, d) -> bool:
    """True if pid is alive and was started for this dir (CLAWTOWER_OC_DIR in its environment)."""
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return False
    return f"CLAWTOWER_OC_DIR={Paths(d).dir}".encode() in environ.split(b"\0")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child of ours counts as gone
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] != "Z"
    except OSError:
        return False


# ----------------------------------------------------------------------------- config

@functools.lru_cache(maxsize=None)
def supports_catalog_refresh(oc_bin: str) -> bool:
    """models.catalogRefresh exists in newer OpenClaw only (2026.7.1 rejects the key with exit 78).
    Asked once per install (`oc_bin` is per version): it greps the whole dist."""
    dist = Path(os.path.realpath(oc_bin)).parent / "dist"
    r = subprocess.run(["grep", "-rqF", "catalogRefresh", str(dist)], stdin=subprocess.DEVNULL, timeout=60)
    return r.returncode == 0


def write_config(p: Paths, port: int, stub_port: int, token: str, catalog_refresh_key: bool = True,
                 password: str | None = None, billing_agent: bool = False) -> None:
    model = {"id": MODEL_ID, "name": "Stub Model", "reasoning": True, "input": ["text"],
             "cost": PRICE, "contextWindow": 128000, "maxTokens": 4096}
    auth = {"mode": "password", "password": password} if password else {"mode": "token", "token": token}
    cfg = {
        "gateway": {"mode": "local", "port": port, "bind": "loopback", "auth": auth},
        "discovery": {"mdns": {"mode": "off"}},
        "update": {"checkOnStart": False},
        "logging": {"level": "info", "file": str(p.oc_log)},
        "models": {
            "mode": "merge",
            "providers": {
                PROVIDER_ID: {"baseUrl": f"http://127.0.0.1:{stub_port}/v1", "apiKey": "stub-key-not-secret",
                              "api": "openai-completions", "models": [model]},
                BILLING_PROVIDER_ID: {"baseUrl": f"http://127.0.0.1:{stub_port}/billing/v1",
                                      "apiKey": "stub-key-not-secret", "api": "openai-completions",
                                      "models": [dict(model)]},
            },
        },
        "agents": {"defaults": {
            "workspace": str(p.state / "workspace"),
            "model": {"primary": f"{PROVIDER_ID}/{MODEL_ID}"},
            "heartbeat": {"every": "0m"},
        }},
        "plugins": {"entries": {"memory-core": {"config": {"dreaming": {"enabled": False}}}}},
    }
    if billing_agent:  # a second agent, on the billing provider
        cfg["agents"]["list"] = [
            {"id": "main", "default": True},
            {"id": BILLING_AGENT_ID, "workspace": str(p.state / f"workspace-{BILLING_AGENT_ID}"),
             "model": {"primary": f"{BILLING_PROVIDER_ID}/{MODEL_ID}"}},
        ]
    if catalog_refresh_key:  # no fetch of catalog.openclaw.ai (older versions have no remote catalog)
        cfg["models"]["catalogRefresh"] = {"enabled": False}
    p.state.mkdir(parents=True, exist_ok=True)
    p.config.write_text(json.dumps(cfg, indent=2) + "\n")
    p.config.chmod(0o600)


# ----------------------------------------------------------------------------- start / stop

def start(version: str, d, port: int | None = None, stub_port: int | None = None, timeout: float = 180,
          password: str | None = None, billing_agent: bool = False) -> dict:
    """Starts the stub provider and a gateway on loopback (token auth with a random token, or
    password auth with `password`); returns the meta. With `billing_agent`, openclaw.json also has
    the agent BILLING_AGENT_ID, whose model is the billing provider's."""
    p = Paths(d)
    for pidfile in (p.gw_pid, p.stub_pid):
        if pidfile.exists() and pid_is_ours(int(pidfile.read_text()), d):
            raise GatewayError(f"{p.dir} already has a running {pidfile.stem}: run `gateway.py stop --dir {p.dir}`")
    inst = install(version)
    for sub in (p.home, p.state, p.logs, p.tmp):
        sub.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(24)
    port = port or free_port()
    meta = {"version": version, "dir": str(p.dir), "port": port, "token": token,
            "state_dir": str(p.state), "oc_bin": inst["OC_BIN"], "oc_node": inst["OC_NODE"],
            "node_bin": inst["node_bin"], "node_version": inst.get("OC_NODE_VERSION", ""),
            "started_at": time.time(), "started_date_utc": utc_today(), "password": password}
    env = oc_env(d, meta)

    # 1. the stub provider
    ready = p.dir / "stub.port"
    ready.unlink(missing_ok=True)
    with open(p.stub_out, "ab") as out:
        stub = subprocess.Popen(
            [sys.executable, str(HERE / "stub_provider.py"), "--port", str(stub_port or 0),
             "--log", str(p.stub_log), "--model", MODEL_ID, "--ready-file", str(ready)],
            stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=env, start_new_session=True)
    p.stub_pid.write_text(str(stub.pid))
    deadline = time.monotonic() + 15
    while not ready.exists():
        if stub.poll() is not None or time.monotonic() > deadline:
            raise GatewayError(f"stub provider did not start (exit {stub.poll()})\n{tail(p.stub_out)}")
        time.sleep(0.1)
    meta["stub_port"] = int(ready.read_text())
    meta["stub_pid"] = stub.pid
    http_get_json(f"http://127.0.0.1:{meta['stub_port']}/v1/models")

    # 2. config, then the gateway
    meta["catalog_refresh_key"] = supports_catalog_refresh(inst["OC_BIN"])
    meta["billing_agent"] = billing_agent
    write_config(p, port, meta["stub_port"], token, meta["catalog_refresh_key"], password, billing_agent)
    return _run_gateway(d, meta, timeout)


def _run_gateway(d, meta: dict, timeout: float) -> dict:
    """Starts the gateway of meta (its config written) and waits until /readyz says ready."""
    p = Paths(d)
    env = oc_env(d, meta)
    version, port = meta["version"], meta["port"]
    entry = os.path.realpath(meta["oc_bin"])  # node_modules/openclaw/openclaw.mjs
    t0 = time.monotonic()
    with open(p.gw_out, "ab") as out:
        gw = subprocess.Popen(
            [meta["oc_node"], entry, "gateway", "run", "--port", str(port), "--bind", "loopback"],
            cwd=str(p.home), stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=env, start_new_session=True)
    p.gw_pid.write_text(str(gw.pid))
    meta["gateway_pid"] = gw.pid
    p.meta.write_text(json.dumps(meta, indent=2) + "\n")
    p.meta.chmod(0o600)

    url = f"http://127.0.0.1:{port}/readyz"
    deadline = t0 + timeout
    while True:
        rc = gw.poll()
        if rc is not None:
            hint = " (78 = config error: try `openclaw doctor --fix`)" if rc == 78 else ""
            stop(d)
            raise GatewayError(f"openclaw {version} gateway exited early with code {rc}{hint}\n{log_tail(d)}")
        try:
            if (http_get_json(url, timeout=2) or {}).get("ready") is True:
                break
        except (OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            stop(d)
            raise GatewayError(f"gateway not ready after {timeout:.0f} s ({url})\n{log_tail(d)}")
        time.sleep(0.5)
    meta["ready_after_s"] = round(time.monotonic() - t0, 1)
    p.meta.write_text(json.dumps(meta, indent=2) + "\n")
    log(f"openclaw {version} ready on 127.0.0.1:{port} after {meta['ready_after_s']} s "
        f"(pid {gw.pid}, stub 127.0.0.1:{meta['stub_port']} pid {meta['stub_pid']})")
    return meta


def restart(d, stop_timeout: float = 40, timeout: float = 180) -> dict:
    """Stops the gateway of D (SIGTERM, as `stop`; the stub keeps running) and starts it again on
    the same state dir, port and token. Returns the meta, with `stopped_after_s` (how long the old
    process took to exit) and `ready_after_s` (how long the new one took to be ready)."""
    p = Paths(d)
    meta = load_meta(d)
    t0 = time.monotonic()
    if p.gw_pid.exists():
        try:
            _terminate(int(p.gw_pid.read_text().strip()), d, "gateway", stop_timeout)
        finally:
            p.gw_pid.unlink(missing_ok=True)
    meta["stopped_after_s"] = round(time.monotonic() - t0, 1)
    log(f"gateway stopped after {meta['stopped_after_s']} s; starting it again on port {meta['port']}")
    meta["restarted_at"] = time.time()
    return _run_gateway(d, meta, timeout)


def _terminate(pid: int, d, label: str, timeout: float) -> None:
    if not pid_is_ours(pid, d):
        return
    log(f"stopping {label} pid {pid} (SIGTERM)")
    try:
        os.killpg(pid, signal.SIGTERM)  # started with start_new_session: its group is ours
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
    try:  # SIGKILL whatever is left of the group (workers included)
        os.killpg(pid, signal.SIGKILL)
        if alive(pid):
            log(f"{label} pid {pid} still alive after {timeout:.0f} s: SIGKILL")
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def stop(d, timeout: float = 40) -> None:
    p = Paths(d)
    for pidfile, label, t in ((p.gw_pid, "gateway", timeout), (p.stub_pid, "stub", 5)):
        if pidfile.exists():
            try:
                _terminate(int(pidfile.read_text().strip()), d, label, t)
            finally:
                pidfile.unlink(missing_ok=True)


# ----------------------------------------------------------------------------- CLI wrappers

def start_oc(d, args: list[str]) -> subprocess.Popen:
    """An openclaw command started in the background (stdout and stderr piped, text): for a run the
    caller interrupts, as a user's Ctrl-C would."""
    meta = load_meta(d)
    return subprocess.Popen([meta["oc_node"], os.path.realpath(meta["oc_bin"]), *args], cwd=str(Paths(d).home),
                            env=oc_env(d, meta), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def run_oc(d, args: list[str], timeout: float = 120, ok_codes: tuple = (0,)) -> str:
    meta = load_meta(d)
    cmd = [meta["oc_node"], os.path.realpath(meta["oc_bin"]), *args]
    try:
        r = subprocess.run(cmd, cwd=str(Paths(d).home), env=oc_env(d, meta), stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise GatewayError(f"`openclaw {' '.join(args)}` timed out after {timeout:.0f} s\n"
                           f"stdout: {(e.stdout or '')[-2000:]}\nstderr: {(e.stderr or '')[-2000:]}\n{log_tail(d)}")
    if r.returncode not in ok_codes:
        raise GatewayError(f"`openclaw {' '.join(args)}` exited {r.returncode}\nstdout: {r.stdout[-3000:]}\n"
                           f"stderr: {r.stderr[-3000:]}\n{log_tail(d)}")
    return r.stdout


def call(d, method: str, params: dict | None = None, timeout: float = 60):
    meta = load_meta(d)
    out = run_oc(d, ["gateway", "call", method, "--params", json.dumps(params or {}), "--json",
                     "--url", f"ws://127.0.0.1:{meta['port']}",
                     *(["--password", meta["password"]] if meta.get("password") else ["--token", meta["token"]]),
                     "--timeout", str(int(timeout * 1000))], timeout=timeout + 60)
    try:
        return parse_json_output(out)
    except ValueError:
        raise GatewayError(f"`gateway call {method}` printed no JSON:\n{out[-3000:]}")


AGENT_OK = ("ok", "completed", "done", None)


def agent_args(message: str, session_key: str | None, timeout: float, agent_id: str = "main") -> list[str]:
    args = ["agent", "--agent", agent_id, "--message", message, "--json", "--timeout", str(int(timeout))]
    return args + (["--session-key", session_key] if session_key else [])


def agent(d, message: str, session_key: str | None = None, timeout: float = 240, statuses: tuple = AGENT_OK,
          agent_id: str = "main") -> dict:
    """One `openclaw agent` turn; its result JSON. A status not in `statuses` is an error (with other
    statuses, e.g. an aborted run's "timeout", `openclaw agent` exits 1 but still prints its result)."""
    args = agent_args(message, session_key, timeout, agent_id)
    out = run_oc(d, args, timeout=timeout + 60, ok_codes=(0,) if statuses == AGENT_OK else (0, 1))
    return agent_result(d, out, statuses)


def agent_result(d, out: str, statuses: tuple = AGENT_OK) -> dict:
    """The result JSON that `openclaw agent --json` printed (`out`), checked against `statuses`."""
    try:
        res = parse_json_output(out)
    except ValueError:
        if "no-json" in statuses:  # 2026.7.1 prints no result for a run the provider failed
            return {"status": "no-json", "output": out[-1000:]}
        raise GatewayError(f"`openclaw agent` printed no JSON:\n{out[-3000:]}")
    status = res.get("status") if isinstance(res, dict) else None
    if status not in statuses:
        raise GatewayError(f"agent run ended with status {status!r}: {json.dumps(res)[:3000]}\n{log_tail(d)}")
    return res


def usage_cost(d, timeout: float = 60, start_date: str | None = None, end_date: str | None = None,
               refreshed_after: float | None = None, time_zone: str | None = None,
               agent_scope: str | None = None) -> dict:
    """usage.cost over [gateway start day, today] (UTC), polled until cacheStatus is fresh.

    Once the gateway has answered, a later call is served from its cache: for 30 s as it is, then
    once more (still marked fresh) while it reloads in the background. To get an answer that covers
    what happened since a first answer, pass `refreshed_after` (Unix seconds): only an answer whose
    cacheStatus.refreshedAt is at or after it is taken. Answers are cached per set of days and time
    zone (`time_zone`, e.g. "UTC" as `clawtower crosscheck --tz UTC` asks; default: the gateway's).
    Without `agent_scope` it covers the default agent only; `agent_scope="all"` covers every agent
    in openclaw.json (both versions accept it)."""
    first, last = run_days(load_meta(d))
    params = {"startDate": start_date or first, "endDate": end_date or last}
    if time_zone:
        params["timeZone"] = time_zone
    if agent_scope:
        params["agentScope"] = agent_scope
    return fresh_answer(d, "usage.cost", params, timeout, refreshed_after)


def sessions_usage(d, timeout: float = 90, limit: int = 1000, agent_scope: str | None = None) -> dict:
    """sessions.usage over [gateway start day, today] (UTC), polled until cacheStatus is fresh
    (until then, 2026.7.1 answers every session with `usage: null`). Default agent only, unless
    `agent_scope="all"`."""
    first, last = run_days(load_meta(d))
    params = {"startDate": first, "endDate": last, "limit": limit}
    if agent_scope:
        params["agentScope"] = agent_scope
    return fresh_answer(d, "sessions.usage", params, timeout)


def fresh_answer(d, method: str, params: dict, timeout: float, refreshed_after: float | None = None) -> dict:
    """`method`'s answer once its cacheStatus is fresh (and refreshed at or after `refreshed_after`,
    Unix seconds, if given); polled every 2 s for up to `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        res = call(d, method, params, timeout=30)
        cache = (res or {}).get("cacheStatus") or {}
        log(f"{method} {params['startDate']}..{params['endDate']}: cacheStatus {cache}")
        if cache.get("status") == "fresh" and (refreshed_after is None
                                               or (cache.get("refreshedAt") or 0) >= refreshed_after * 1000):
            return res
        if time.monotonic() > deadline:
            raise GatewayError(f"{method} not fresh after {timeout:.0f} s (cacheStatus={cache})\n{log_tail(d)}")
        time.sleep(2)


# ----------------------------------------------------------------------------- transcripts
# Read directly, for diagnostics and call counts (the numbers under test come from usage.cost).

def _decompress_zstd(data: bytes) -> bytes:
    r = subprocess.run(["zstd", "-dc"], input=data, capture_output=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"zstd -dc failed: {r.stderr.decode(errors='replace')}")
    return r.stdout


def transcript_messages(state_dir: Path) -> list[dict]:
    """Every transcript message (both layouts, deleted and reset archives included):
    {source, session_id, agent, entry_id, role, provider, model, usage, stop_reason, aborted,
    tool_name, timestamp} or {source, error}; plus `reset` events (9.6) as {…, role: None, event:
    "reset"}."""
    calls = []

    def add(source: str, session_id: str, line: str, agent_id: str):
        try:
            o = json.loads(line)
        except ValueError:
            return
        m = o.get("message") or {}
        if o.get("type") == "message" and isinstance(m, dict):
            calls.append({"source": source, "session_id": session_id, "agent": agent_id, "entry_id": o.get("id"),
                          "role": m.get("role"), "provider": m.get("provider"), "model": m.get("model"),
                          "usage": m.get("usage"), "stop_reason": m.get("stopReason"),
                          "aborted": bool((m.get("openclawAbort") or {}).get("aborted")),
                          "tool_name": m.get("toolName"), "timestamp": m.get("timestamp") or o.get("timestamp")})
        elif o.get("type") == "reset":
            calls.append({"source": source, "session_id": session_id, "agent": agent_id, "entry_id": o.get("id"),
                          "role": None, "event": "reset", "timestamp": o.get("timestamp")})

    for f in sorted(glob.glob(str(state_dir / "agents" / "*" / "sessions" / "*.jsonl*"))):
        name = os.path.basename(f)
        if ".trajectory" in name:
            continue
        data = Path(f).read_bytes()
        if name.endswith(".zst"):
            try:
                data = _decompress_zstd(data)
            except (OSError, RuntimeError) as e:
                calls.append({"source": name, "error": str(e)})
                continue
        agent_id = Path(f).parent.parent.name
        for line in data.decode("utf-8", "replace").splitlines():
            add(name, name.split(".jsonl")[0], line, agent_id)
    for db in sorted(glob.glob(str(state_dir / "agents" / "*" / "agent" / "openclaw-agent.sqlite"))):
        agent_id = Path(db).parent.parent.name
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            for sid, seq, ej, ez in con.execute(
                    "SELECT session_id, seq, event_json, event_zstd FROM transcript_events ORDER BY session_id, seq"):
                if ej is None and ez is not None:
                    try:
                        ej = _decompress_zstd(bytes(ez)).decode("utf-8", "replace")
                    except (OSError, RuntimeError) as e:
                        calls.append({"source": f"sqlite {sid}#{seq}", "error": str(e)})
                        continue
                add(f"sqlite {sid}#{seq}", sid, ej or "", agent_id)
        finally:
            con.close()
    return calls


def usage_is_billed(usage) -> bool:
    """Whether an assistant message's usage has tokens or cost (an aborted run's injected message
    and a failed provider call are booked with all-zero usage: they are not model calls)."""
    if not isinstance(usage, dict):
        return False
    cost = usage.get("cost") or {}
    return (any(int(usage.get(k) or 0) for k in ("input", "output", "cacheRead", "cacheWrite"))
            or float(cost.get("total") or 0) > 0 or cost.get("totalOrigin") == "provider-billed")


def transcript_calls(state_dir: Path) -> list[dict]:
    """Model calls: assistant messages with nonzero usage or cost (and read errors, to surface them)."""
    return [m for m in transcript_messages(state_dir)
            if "error" in m or (m["role"] == "assistant" and usage_is_billed(m.get("usage")))]


def transcript_unbilled(state_dir: Path) -> dict:
    """Assistant messages with no tokens and no cost, by why: {"aborted": [...] (the partial answer
    OpenClaw keeps when a run is aborted, or a provider message stopped as "aborted"), "failed":
    [...] (stopReason "error" or "timeout"), "other": [...]}."""
    out: dict = {"aborted": [], "failed": [], "other": []}
    for m in transcript_messages(state_dir):
        if "error" in m or m["role"] != "assistant" or usage_is_billed(m.get("usage")):
            continue
        if m.get("aborted") or m.get("stop_reason") == "aborted":
            out["aborted"].append(m)
        elif m.get("stop_reason") in ("error", "timeout"):
            out["failed"].append(m)
        else:
            out["other"].append(m)
    return out


def sum_calls(calls: list[dict]) -> dict:
    t = {"calls": 0, "input": 0, "output": 0, "cacheRead": 0, "cacheWrite": 0, "totalCost": 0.0}
    for c in calls:
        u = c.get("usage") or {}
        t["calls"] += 1
        for k in ("input", "output", "cacheRead", "cacheWrite"):
            t[k] += int(u.get(k) or 0)
        t["totalCost"] += float(((u.get("cost") or {}).get("total")) or 0)
    return t


# ----------------------------------------------------------------------------- scenario

def stub_requests(d) -> list[dict]:
    p = Paths(d)
    if not p.stub_log.exists():
        return []
    out = []
    for line in p.stub_log.read_text().splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out


def model_requests(d, since: float = 0.0) -> list[dict]:
    """The stub's chat-completion requests (POSTs) received at or after `since` (Unix seconds)."""
    return [r for r in stub_requests(d) if r.get("method") == "POST" and r.get("ts", 0) >= since]


def read_config(d) -> dict:
    """openclaw.json as the gateway has it on disk, parsed."""
    return json.loads(Paths(d).config.read_text())


def sessions(d) -> list[dict]:
    res = call(d, "sessions.list", {"limit": 200})
    return res.get("sessions") or []


def add_cron_job(d, name: str, schedule: dict, message: str) -> str:
    """`cron.add` of an isolated agentTurn job that delivers nothing; its id."""
    job = call(d, "cron.add", {"name": name, "schedule": schedule, "sessionTarget": "isolated", "wakeMode": "now",
                               "payload": {"kind": "agentTurn", "message": message}, "delivery": {"mode": "none"}})
    job_id = job.get("id") or (job.get("job") or {}).get("id")
    if not job_id:
        raise GatewayError(f"cron.add returned no job id: {json.dumps(job)[:1000]}")
    return job_id


def wait_for(what: str, fn, d, timeout: float, interval: float = 1.0):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    raise GatewayError(f"timed out after {timeout:.0f} s waiting for {what} (last: {str(last)[:500]})\n{log_tail(d)}")


def wait_idle(d, timeout: float = 120, quiet: float = 4.0) -> None:
    """No session has an active run and the stub saw no request for `quiet` seconds."""
    def idle():
        # The stub's log first: reading a file is cheap, sessions.list starts an openclaw process.
        last_ts = max((r.get("ts", 0) for r in stub_requests(d)), default=0)
        if time.time() - last_ts < quiet:
            return False
        return not any(r.get("hasActiveRun") or r.get("activeRunIds") for r in sessions(d))
    wait_for("the gateway to go idle", idle, d, timeout, interval=1.0)


def scenario(d, timeout: float = 240) -> dict:
    """Drive the gateway through every kind of model call Clawtower has to account for."""
    t0 = time.monotonic()
    steps: dict = {}

    def step(name, fn):
        t = time.monotonic()
        log(f"scenario: {name}")
        res = fn()
        steps[name] = {"seconds": round(time.monotonic() - t, 1)}
        return res

    step("chat", lambda: agent(d, "Hello from the Clawtower test harness.", "agent:main:main"))
    step("tool", lambda: agent(d, "TOOLTEST please list the workspace files.", "agent:main:main"))
    step("think", lambda: agent(d, "THINK about this, then answer.", "agent:main:think"))

    n_before = len(stub_requests(d))
    step("spawn", lambda: agent(d, "SPAWNTEST please start a sub-agent.", "agent:main:spawner"))
    spawned = [r for r in stub_requests(d)[n_before:] if r.get("kind") == "spawn"]
    if not spawned:
        raise GatewayError("the spawn turn never offered sessions_spawn/tool_call to the stub\n" + log_tail(d))

    def child_done():
        rows = [r for r in sessions(d) if ":subagent:" in (r.get("key") or "")]
        if rows and all(not r.get("hasActiveRun") and r.get("status") not in ("running",) for r in rows):
            return rows
        return None
    children = step("subagent", lambda: wait_for("the sub-agent to finish", child_done, d, timeout))
    steps["subagent"]["keys"] = [r.get("key") for r in children]

    def announced():
        # 2026.9.6 tags messages with __openclaw.runId ("announce:v1:<child>:<run>"); 2026.7.1 has no
        # runId there, so count assistant messages: spawn call + answer after the tool result + announce.
        hist = call(d, "chat.history", {"sessionKey": "agent:main:spawner", "limit": 100})
        msgs = [m for m in hist.get("messages") or [] if m.get("role") == "assistant"]
        runs = [(m.get("__openclaw") or {}).get("runId") for m in msgs]
        if any(runs):
            return [r for r in runs if r and r.startswith("announce:")]
        return ["(announce, untagged)"] if len(msgs) >= 3 else []
    steps["announce_runs"] = step("announce", lambda: wait_for("the announce run in the parent", announced, d, timeout))
    step("announce.idle", lambda: wait_idle(d, timeout, quiet=1.0))

    # A deleted session: OpenClaw archives its transcript as <sid>.jsonl.deleted.<ts>[.<hash>.zst]
    # and usage.cost still counts it.
    step("doomed", lambda: agent(d, "A short-lived session that gets deleted.", "agent:main:doomed"))
    deleted = step("sessions.delete", lambda: call(d, "sessions.delete", {"key": "agent:main:doomed",
                                                                          "deleteTranscript": True}))
    steps["deleted_archives"] = [os.path.basename(a) for a in deleted.get("archived") or []]
    if not deleted.get("deleted") or not steps["deleted_archives"]:
        raise GatewayError(f"sessions.delete archived nothing: {json.dumps(deleted)[:1000]}")

    job_id = step("cron.add", lambda: add_cron_job(
        d, "clawtower-harness", {"kind": "cron", "expr": "0 0 1 1 *", "tz": "UTC"},  # never due during a test
        "Cron check-in from the Clawtower harness."))
    run = step("cron.run", lambda: call(d, "cron.run", {"id": job_id, "mode": "force"}))
    steps["cron"] = {"job": job_id, "run": run}

    def cron_finished():
        res = call(d, "cron.runs", {"id": job_id, "limit": 10})
        done = [e for e in res.get("entries") or [] if e.get("status") not in (None, "running", "queued", "pending")]
        return done
    entries = step("cron.finish", lambda: wait_for("the cron run to finish", cron_finished, d, timeout))
    steps["cron"]["entries"] = [{k: e.get(k) for k in ("status", "sessionKey", "usage", "error")} for e in entries]
    if any(e.get("status") not in ("ok", "success", "finished") for e in entries):
        log(f"note: cron run status {[e.get('status') for e in entries]}")

    steps.update(ledger_edge_cases(d, step, timeout))

    step("idle", lambda: wait_idle(d, timeout))
    steps["stub_requests"] = len([r for r in stub_requests(d) if r.get("method") == "POST"])
    steps["seconds"] = round(time.monotonic() - t0, 1)
    return steps


ANY_STATUS = ("ok", "completed", "done", None, "error", "failed", "timeout", "aborted", "cancelled", "no-json")
RESET_KEY, ABORT_KEY, FAIL_KEY = "agent:main:reset", "agent:main:abort", "agent:main:fail"
BILLED_KEY = f"agent:{BILLING_AGENT_ID}:billed"


def session_row(d, key: str) -> dict:
    return next((r for r in sessions(d) if r.get("key") == key), {})


def ledger_edge_cases(d, step, timeout: float) -> dict:
    """The calls a ledger gets wrong most easily: a session reset between two turns (2026.7.1 renames
    the old transcript to <old sid>.jsonl.reset.<ts> and starts a new session id; 2026.9.6 appends a
    `reset` event and keeps the id), a run aborted mid-stream (OpenClaw keeps the partial answer as an
    `openclaw/gateway-injected` message with zero usage), a turn the provider fails every time
    (stopReason "error", zero usage) and, on the billing agent when configured, calls the provider
    bills itself (`usage.cost` → cost.totalOrigin "provider-billed"). Returns what each step left."""
    out: dict = {}
    step("reset.before", lambda: agent(d, "A turn before the reset.", RESET_KEY))
    before = session_row(d, RESET_KEY).get("sessionId")
    reset = step("sessions.reset", lambda: call(d, "sessions.reset", {"key": RESET_KEY}))
    step("reset.after", lambda: agent(d, "A turn after the reset.", RESET_KEY))
    after = session_row(d, RESET_KEY).get("sessionId")
    out["reset"] = {"key": RESET_KEY, "session_id_before": before, "session_id_after": after,
                    "answer": {k: reset.get(k) for k in ("ok", "key")} if isinstance(reset, dict) else reset,
                    "archives": sorted(os.path.basename(f) for f in glob.glob(
                        str(Paths(d).state / "agents" / "main" / "sessions" / "*.jsonl.reset.*")))}
    if not before:
        raise GatewayError(f"no sessionId for {RESET_KEY} before the reset\n{log_tail(d)}")

    # Abort an ABORTTEST run 2 s into its stream (the stub streams 150 words, one a second). With
    # `sessions.abort` from `gateway call` where the gateway lets it (2026.9.6). 2026.7.1 refuses it
    # ("unauthorized"): its `gateway call` connects with only the scopes the method needs (no
    # operator.admin, no device identity on loopback with a token), and a run may only be aborted
    # by an admin or the connection that started it. There the harness does what a user's Ctrl-C
    # does: SIGINT to `openclaw agent`, which then sends `chat.abort {sessionKey, runId}` on its own
    # connection before it exits (130). Either way the gateway aborts the run mid-stream.
    since = time.time()
    t = time.monotonic()
    log("scenario: abort")
    proc = start_oc(d, agent_args("ABORTTEST a run aborted while it streams.", ABORT_KEY, 200))
    try:
        req = wait_for("the ABORTTEST request", lambda: [q for q in model_requests(d, since)
                                                        if q.get("kind") == "slow"], d, 60, interval=0.2)[0]
        time.sleep(max(0.0, req["ts"] + 2 - time.time()))
        ok_codes = (0, 1)  # an aborted run's `openclaw agent` exits 1 (status "timeout")
        try:
            aborted = {"via": "sessions.abort", "answer": call(d, "sessions.abort", {"key": ABORT_KEY})}
            if aborted["answer"].get("status") != "aborted":  # sessions.abort found no run for the key
                aborted["chat.abort"] = call(d, "chat.abort", {"sessionKey": ABORT_KEY})
        except GatewayError as e:
            if "unauthorized" not in str(e) or proc.poll() is not None:
                raise
            proc.send_signal(signal.SIGINT)
            aborted = {"via": "SIGINT to openclaw agent (chat.abort on its connection)",
                       "sessions.abort": "unauthorized"}
            ok_codes = (0, 1, 130)
        try:
            stdout, stderr = proc.communicate(timeout=200)
        except subprocess.TimeoutExpired:
            raise GatewayError(f"the aborted run did not end: {aborted}\n{log_tail(d)}")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    if proc.returncode not in ok_codes:
        raise GatewayError(f"`openclaw agent` (ABORTTEST) exited {proc.returncode} after {aborted}\n"
                           f"stdout: {stdout[-2000:]}\nstderr: {stderr[-2000:]}\n{log_tail(d)}")
    res = agent_result(d, stdout, ANY_STATUS)
    steps_abort = {**aborted, "exit": proc.returncode,
                   "run": {k: res.get(k) for k in ("status", "summary", "runId")},
                   "seconds": round(time.monotonic() - t, 1)}
    steps_abort["stream_cut"] = bool(poll(lambda: [e for e in stub_requests(d) if e.get(
        "event") == "client-disconnected" and e.get("n") == req["n"]], 10))
    out["abort"] = steps_abort
    if not steps_abort["stream_cut"]:
        raise GatewayError(f"the abort cut no stream: {json.dumps(steps_abort)}\n{log_tail(d)}")

    # A provider error on every attempt.
    failed = step("provider-error", lambda: agent(d, "FAILTEST a turn the provider fails.", FAIL_KEY,
                                                  timeout=120, statuses=ANY_STATUS))
    out["provider_error"] = {"run": {k: failed.get(k) for k in ("status", "summary", "runId")},
                             "requests": len([q for q in model_requests(d, since) if q.get("kind") == "fail"])}

    if load_meta(d).get("billing_agent"):
        # Two calls billed by the provider: a tool call and the answer after its result.
        step("billed", lambda: agent(d, "BILLTEST TOOLTEST a turn on the billing provider.", BILLED_KEY,
                                     agent_id=BILLING_AGENT_ID))
        out["billing"] = {"key": BILLED_KEY, "served": [e for e in stub_requests(d)
                                                       if e.get("event") == "served" and e.get("cost") is not None]}
    step("edge.idle", lambda: wait_idle(d, timeout, quiet=1.0))
    return out


def poll(fn, timeout: float, interval: float = 0.2):
    """fn()'s first truthy value within `timeout` seconds, else the last (falsy) one."""
    deadline = time.monotonic() + timeout
    while True:
        value = fn()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


# ----------------------------------------------------------------------------- CLI

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Real OpenClaw gateway for tests (see module docstring).")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("start")
    s.add_argument("--version", required=True)
    s.add_argument("--dir", required=True)
    s.add_argument("--port", type=int)
    s.add_argument("--stub-port", type=int)
    s.add_argument("--timeout", type=float, default=180)
    s.add_argument("--billing-agent", action="store_true", help=f"add the agent {BILLING_AGENT_ID} (billing provider)")
    s = sub.add_parser("stop")
    s.add_argument("--dir", required=True)
    s = sub.add_parser("restart")
    s.add_argument("--dir", required=True)
    s.add_argument("--timeout", type=float, default=180)
    s = sub.add_parser("agent")
    s.add_argument("--dir", required=True)
    s.add_argument("--message", required=True)
    s.add_argument("--session-key")
    s.add_argument("--timeout", type=float, default=240)
    s = sub.add_parser("call")
    s.add_argument("--dir", required=True)
    s.add_argument("method")
    s.add_argument("params", nargs="?", default="{}")
    s.add_argument("--timeout", type=float, default=60)
    s = sub.add_parser("usage-cost")
    s.add_argument("--dir", required=True)
    s.add_argument("--timeout", type=float, default=60)
    s = sub.add_parser("scenario")
    s.add_argument("--dir", required=True)
    s.add_argument("--timeout", type=float, default=240)
    a = ap.parse_args(argv)

    try:
        if a.cmd == "start":
            res = start(a.version, a.dir, a.port, a.stub_port, a.timeout, billing_agent=a.billing_agent)
            res = {k: v for k, v in res.items() if k not in ("token", "password")}
        elif a.cmd == "stop":
            stop(a.dir)
            return 0
        elif a.cmd == "restart":
            res = {k: v for k, v in restart(a.dir, timeout=a.timeout).items() if k not in ("token", "password")}
        elif a.cmd == "agent":
            res = agent(a.dir, a.message, a.session_key, a.timeout)
        elif a.cmd == "call":
            res = call(a.dir, a.method, json.loads(a.params), a.timeout)
        elif a.cmd == "usage-cost":
            res = usage_cost(a.dir, a.timeout)
        else:
            res = scenario(a.dir, a.timeout)
    except GatewayError as e:
        sys.stderr.write(f"gateway.py {a.cmd}: {e}\n")
        return 1
    print(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
