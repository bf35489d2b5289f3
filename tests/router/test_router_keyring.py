"""A provider's key from the OS keyring: a real Secret Service (GNOME Keyring, unlocked on a
private session bus made for the test) holds the key `clawtower router provider-key set` stored
from stdin; the router started with `api_key_keyring` sends it upstream (the stub logs the
Authorization header it got); once removed, the router disables the provider and says why. And
what the Router page does: the key stored through `clawtower serve`'s API is used by the router
running inside Clawtower from the next call."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import urllib.request

import openai
import pytest

from test_router_clients import BIN, agent_key, start_router, start_stub, wait_for_line

KEY = "sk-from-the-os-keyring"
needs = [tool for tool in ("dbus-daemon", "gnome-keyring-daemon") if not shutil.which(tool)]
pytestmark = pytest.mark.skipif(bool(needs), reason=f"needs {needs} (scripts/install-deps.sh test)")


@pytest.fixture(scope="module")
def keyring_env(tmp_path_factory):
    """A private session bus with GNOME Keyring's Secret Service on it, unlocked."""
    home = tmp_path_factory.mktemp("keyring-home")
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address"],
                           stdout=subprocess.PIPE, text=True)
    address = bus.stdout.readline().strip()
    env = dict(os.environ, HOME=str(home), DBUS_SESSION_BUS_ADDRESS=address,
               XDG_RUNTIME_DIR=str(home), XDG_DATA_HOME=str(home / "data"))
    unlocked = subprocess.run(["gnome-keyring-daemon", "--unlock", "--components=secrets"],
                              input="test-password", capture_output=True, text=True, env=env, timeout=30)
    assert unlocked.returncode == 0, unlocked.stderr
    yield env
    bus.terminate()  # the keyring daemon leaves with its bus
    bus.wait(10)


def test_a_key_in_the_os_keyring_reaches_the_provider_and_its_removal_disables_it(keyring_env, tmp_path):
    data = tmp_path / "data"
    stored = subprocess.run([BIN, "--data-dir", data, "router", "provider-key", "set", "stub-kr", "--json"],
                            input=KEY + "\n", capture_output=True, text=True, env=keyring_env, timeout=60)
    assert stored.returncode == 0, stored.stderr
    assert KEY not in stored.stdout + stored.stderr, "a key is never printed"
    log = tmp_path / "served.jsonl"
    stub, port = start_stub(log)
    config = tmp_path / "router.toml"
    config.write_text(f"""
[[providers]]
id = "stub"
kind = "openai"
base_url = "http://127.0.0.1:{port}/v1"
api_key_keyring = "stub-kr"
models = ["stub-model"]
""")
    key_of_agent = agent_key(data, "kr")

    try:
        router, url = start_router(data, config, keyring_env)
        try:
            client = openai.OpenAI(base_url=f"{url}/v1", api_key=key_of_agent, max_retries=0)
            answer = client.chat.completions.create(model="stub/stub-model",
                                                    messages=[{"role": "user", "content": "hi"}])
            assert answer.choices[0].message.content
        finally:
            router.terminate()
            router.wait(10)
        got = [line for line in log.read_text().splitlines() if '"authorization"' in line]
        assert got and all(f"Bearer {KEY}" in line for line in got), got

        removed = subprocess.run([BIN, "--data-dir", data, "router", "provider-key", "rm", "stub-kr", "--json"],
                                 capture_output=True, text=True, env=keyring_env, timeout=60)
        assert removed.returncode == 0 and '"removed":true' in removed.stdout, removed
        router = subprocess.Popen([BIN, "--data-dir", data, "router", "--config", config, "--listen", "127.0.0.1:0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=keyring_env)
        try:
            said = wait_for_line(router, r"provider stub is disabled: (.*)").group(1)
            assert "no key named \"stub-kr\" in the OS keyring" in said, said
        finally:
            router.terminate()
            router.wait(10)
    finally:
        stub.terminate()
        stub.wait(10)


def test_a_key_stored_through_the_app_api_is_used_by_the_running_router(keyring_env, tmp_path):
    """What the Router page does: `store_provider_key` over `clawtower serve`'s API puts the key in
    the real keyring, and the router running inside Clawtower uses it from the next call."""
    data, home = tmp_path / "data", tmp_path / "openclaw"
    data.mkdir()
    home.mkdir()
    log = tmp_path / "served.jsonl"
    stub, port = start_stub(log)
    (data / "router.toml").write_text(f"""
[router]
listen = "127.0.0.1:0"

[[providers]]
id = "stub"
kind = "openai"
base_url = "http://127.0.0.1:{port}/v1"
api_key_keyring = "stub-app"
models = ["stub-model"]
""")
    key_of_agent = agent_key(data, "app")
    serve = subprocess.Popen([BIN, "--data-dir", data, "serve", "--bind", "127.0.0.1:0", "--openclaw-home", home],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=keyring_env)
    try:
        found = None
        while found is None:
            line = serve.stderr.readline()
            assert line or serve.poll() is None, "serve exited"
            found = re.search(r"(http://[^/]+)/#token=(\S+)", line)
        base, token = found.group(1), found.group(2)

        def rpc(command: str, args: dict) -> dict:
            request = urllib.request.Request(f"{base}/api/v1/rpc/{command}", data=json.dumps(args).encode(),
                                             headers={"Authorization": f"Bearer {token}",
                                                      "Content-Type": "application/json"}, method="POST")
            with urllib.request.urlopen(request, timeout=60) as answer:
                reply = json.load(answer)
            assert reply["status"] == "ok", reply
            return reply["data"]

        before = rpc("router_status", {})
        provider = before["providers"][0]
        assert provider["keyring"] == "stub-app" and "no key named" in provider["disabled"], provider
        after = rpc("store_provider_key", {"provider": "stub", "key": KEY})
        assert after["providers"][0]["disabled"] is None, after
        assert KEY not in json.dumps(after), "a key is never returned"

        client = openai.OpenAI(base_url=after["endpoint"], api_key=key_of_agent, max_retries=0)
        answer = client.chat.completions.create(model="stub/stub-model",
                                                messages=[{"role": "user", "content": "hi"}])
        assert answer.choices[0].message.content
        got = [line for line in log.read_text().splitlines() if '"authorization"' in line]
        assert got and all(f"Bearer {KEY}" in line for line in got), got
    finally:
        serve.terminate()
        serve.wait(10)
        stub.terminate()
        stub.wait(10)
    assert KEY not in (serve.stderr.read() or ""), "a key is never logged"
