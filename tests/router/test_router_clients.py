"""The model router under the official `openai` and `anthropic` Python SDKs and curl, with a stub
provider on loopback: every call lands in the ledger with exactly the usage the stub served."""
from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import anthropic
import openai
import pytest

HERE = Path(__file__).parent
BIN = os.environ["CLAWTOWER_BIN"]


def wait_for_line(proc: subprocess.Popen, pattern: str, timeout: float = 30) -> re.Match:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line and proc.poll() is not None:
            raise RuntimeError(f"exited with {proc.returncode} before printing {pattern!r}")
        if (found := re.search(pattern, line)):
            return found
    raise TimeoutError(pattern)


def start_stub(log: Path) -> tuple[subprocess.Popen, int]:
    """The stub provider, logging what it serves (and the key it was sent) to `log`; its port."""
    log.touch()
    stub = subprocess.Popen([sys.executable, HERE / "stub_upstream.py", "--log", log],
                            stdout=subprocess.PIPE, text=True)
    return stub, int(wait_for_line(stub, r"port (\d+)").group(1))


def agent_key(data: Path, agent: str) -> str:
    """A new router key for `agent` in the data dir (`clawtower keys create`)."""
    made = subprocess.run([BIN, "--data-dir", data, "keys", "create", "--agent", agent, "--json"],
                          check=True, capture_output=True, text=True)
    return json.loads(made.stdout)["key"]


def start_router(data: Path, config: Path, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """`clawtower router` on a free loopback port; its base URL (without /v1)."""
    proc = subprocess.Popen([BIN, "--data-dir", data, "router", "--config", config, "--listen", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    return proc, wait_for_line(proc, r"router on (http://\S+)/v1").group(1)


class Router:
    def __init__(self, tmp: Path):
        self.data = tmp / "data"
        self.log = tmp / "served.jsonl"
        self.stub, port = start_stub(self.log)
        config = tmp / "router.toml"
        config.write_text(f"""
[[providers]]
id = "stub"
kind = "openai"
base_url = "http://127.0.0.1:{port}/v1"
api_key = "${{STUB_KEY}}"
models = ["stub-model", "stub-embed"]

[[providers]]
id = "claude"
kind = "anthropic"
base_url = "http://127.0.0.1:{port}/v1"
api_key = "${{STUB_KEY}}"
models = ["claude-stub"]
""")
        self.key = agent_key(self.data, "sdk-agent")
        self.proc, self.url = start_router(self.data, config, dict(os.environ, STUB_KEY="sk-upstream-secret"))

    def stop(self):
        for proc in (self.proc, self.stub):
            proc.terminate()
            proc.wait(10)

    def served(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def ledger(self, expected: int) -> list[tuple]:
        """The ledger's calls once `expected` are stored (the router meters off the request path)."""
        deadline = time.monotonic() + 15
        while True:
            with sqlite3.connect(f"file:{self.data / 'clawtower.sqlite'}?mode=ro", uri=True) as db:
                rows = db.execute("SELECT agent_id, provider, model, input_tokens, output_tokens, cache_read_tokens,"
                                  " cache_write_tokens, reasoning_tokens FROM model_calls").fetchall()
            if len(rows) >= expected or time.monotonic() > deadline:
                return rows


@pytest.fixture(scope="module")
def router(tmp_path_factory):
    r = Router(tmp_path_factory.mktemp("router"))
    yield r
    r.stop()


@pytest.fixture(scope="module")
def oai(router):
    return openai.OpenAI(base_url=f"{router.url}/v1", api_key=router.key, max_retries=0)


@pytest.fixture(scope="module")
def claude(router):
    return anthropic.Anthropic(base_url=router.url, api_key=router.key, max_retries=0)


def test_openai_chat_json_and_streaming(oai):
    answer = oai.chat.completions.create(model="stub/stub-model", messages=[{"role": "user", "content": "hi"}])
    assert answer.choices[0].message.content == "hello from the stub"
    assert answer.usage.prompt_tokens > 0
    chunks = list(oai.chat.completions.create(model="stub-model", stream=True,
                                              messages=[{"role": "user", "content": "hi"}]))
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "hello from the stub"
    assert chunks[-1].usage is not None, "the router asked for the stream's usage"


def test_openai_tool_call(oai):
    tools = [{"type": "function", "function": {"name": "weather", "parameters": {"type": "object",
              "properties": {"city": {"type": "string"}}}}}]
    answer = oai.chat.completions.create(model="stub-model", tools=tools,
                                         messages=[{"role": "user", "content": "weather?"}])
    call = answer.choices[0].message.tool_calls[0]
    assert (call.function.name, json.loads(call.function.arguments)) == ("weather", {"city": "Oslo"})


def test_openai_responses_json_and_streaming(oai):
    answer = oai.responses.create(model="stub-model", input="hi")
    assert answer.output_text == "hello from the stub"
    events = list(oai.responses.create(model="stub-model", input="hi", stream=True))
    assert events[-1].type == "response.completed"


def test_openai_embeddings(oai):
    answer = oai.embeddings.create(model="stub-embed", input="hi")
    assert answer.data[0].embedding == [0.1, 0.2, 0.3]


def test_anthropic_messages_json_and_streaming_with_cache_tokens(claude):
    answer = claude.messages.create(model="claude-stub", max_tokens=64, messages=[{"role": "user", "content": "hi"}])
    assert answer.content[0].text == "hello from the stub"
    assert answer.usage.cache_read_input_tokens > 0
    with claude.messages.stream(model="claude-stub", max_tokens=64,
                                messages=[{"role": "user", "content": "hi"}]) as stream:
        assert stream.get_final_text() == "hello from the stub"


def test_curl_chat(router):
    out = subprocess.run(["curl", "-sS", "-D", "-", f"{router.url}/v1/chat/completions",
                          "-H", f"Authorization: Bearer {router.key}", "-H", "content-type: application/json",
                          "-d", '{"model":"stub/stub-model","messages":[{"role":"user","content":"hi"}]}'],
                         check=True, capture_output=True, text=True).stdout
    assert "x-clawtower-provider: stub" in out.lower()
    assert '"hello from the stub"' in out


def test_refusals_reach_the_sdks_as_their_own_errors(router):
    wrong = openai.OpenAI(base_url=f"{router.url}/v1", api_key="ctk-not-a-key", max_retries=0)
    with pytest.raises(openai.AuthenticationError, match="unknown API key"):
        wrong.chat.completions.create(model="stub-model", messages=[])
    with pytest.raises(anthropic.NotFoundError, match="no provider serves"):
        anthropic.Anthropic(base_url=router.url, api_key=router.key, max_retries=0).messages.create(
            model="nope", max_tokens=1, messages=[{"role": "user", "content": "hi"}])


def test_the_ledger_holds_exactly_what_the_stub_served(router):
    """Runs last (pytest keeps file order): every call above, each once, with the stub's usage."""
    served = router.served()
    assert len(served) == 9, served  # chat ×3, responses ×2, embeddings, messages ×2, curl
    assert all(s["authorization"] in (None, "Bearer sk-upstream-secret") for s in served)
    assert all(s["authorization"] or s["x_api_key"] == "sk-upstream-secret" for s in served), \
        "the provider's key, never the client's"
    expected = sorted(("sdk-agent", "claude" if s["endpoint"] == "messages" else "stub", s["model"], s["input"],
                       s["output"], s["cache_read"], s["cache_write"], s["reasoning"]) for s in served)
    assert sorted(router.ledger(len(expected))) == expected
    # The request log: each of them answered with HTTP 200, its route and the router's own time.
    with sqlite3.connect(f"file:{router.data / 'clawtower.sqlite'}?mode=ro", uri=True) as db:
        log = db.execute("SELECT r.status, r.route, r.overhead_ms, r.upstream_ms FROM model_calls c"
                         " JOIN router_requests r USING (call_id)").fetchall()
    assert len(log) == len(expected), log
    assert all(status == 200 and " -> " in route and overhead >= 0 and upstream > 0
               for status, route, overhead, upstream in log), log
