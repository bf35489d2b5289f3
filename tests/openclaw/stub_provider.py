#!/usr/bin/env python3
"""A canned OpenAI-compatible model provider for driving a real OpenClaw gateway offline.

    python3 stub_provider.py --port 18999 --log requests.jsonl [--model stub-model] [--ready-file F]

Binds 127.0.0.1 only (stdlib: http.server.ThreadingHTTPServer). Endpoints:
  GET  /v1/models            one model
  POST /v1/chat/completions  streaming (SSE, usage in a final chunk when
                             stream_options.include_usage is set) or plain JSON

Behaviour is chosen from the text of the current turn, i.e. the user messages after the last
assistant message (OpenClaw appends an internal-context user message after the real prompt):
  TOOLTEST   call one tool OpenClaw offers (ls, else read/exec, else through tool_call),
             then answer in text once the tool result comes back
  SPAWNTEST  spawn a sub-agent: sessions_spawn directly if offered, else tool_call
             {"id": "sessions_spawn", "args": {...}}; answer in text after the tool result
  SPAWNSLOW  as SPAWNTEST, but the sub-agent's task says SLOWCHILD: it streams as ABORTTEST
  THINK      stream reasoning_content before the answer (and report reasoning tokens)
  SLOWTEST   stream the answer one word per second
  ABORTTEST  as SLOWTEST, but 150 words: ends only when the client aborts it (or 2.5 min later)
  FAILTEST   answer HTTP 500 with Retry-After: 3600 (every time: OpenClaw's retries fail too;
             2026.9.6 stops retrying when Retry-After is past its 90 s retry window)
  otherwise  a short canned answer

Requests under /billing/ (a second provider id in openclaw.json, same stub) are billed the way
OpenRouter bills: the final usage chunk carries `usage.cost`, the USD charged, which is
BILL_FACTOR times the list price (BILL_PRICE per 1M tokens), so it differs from any estimate.

Usage is deterministic from the request size: prompt_tokens ~ chars/4, of which half are
reported as cached (prompt_tokens_details.cached_tokens) and 1/16 as cache writes
(prompt_tokens_details.cache_write_tokens); completion_tokens ~ chars/4 of the answer plus
reasoning tokens (completion_tokens_details.reasoning_tokens).

Every request is appended to --log as one JSON line: {ts, n, method, path, kind, tools,
turn, usage, status, billed, ...}; a stream the client cut adds {ts, n, event:
"client-disconnected"}. Each response that delivered its usage adds {ts, n, event: "served",
provider, usage: {prompt, completion, cached, cacheWrite, reasoning}, cost (the billed USD, or
null)}: what the stub charged, for tests to compare with. Request bodies and the Authorization
header are never logged.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

INTERNAL_PREFIX = "<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT"
SUBAGENT_TASK = "Sub-agent task from the stub: reply with one short sentence."
SLOW_SUBAGENT_TASK = "SLOWCHILD: a long task; answer at length."
BILLING_PREFIX = "/billing/"  # the billed provider's baseUrl path
BILL_PRICE = {"input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite": 3.75}  # USD per 1M tokens
BILL_FACTOR = 1.5
SESSION_HEADERS = ("session_id", "x-client-request-id", "x-session-affinity", "x-session-id")


class State:
    def __init__(self, log_path: str, model: str):
        self.log_path = log_path
        self.model = model
        self.lock = threading.Lock()
        self.count = 0

    def next_n(self) -> int:
        with self.lock:
            self.count += 1
            return self.count

    def log(self, entry: dict) -> None:
        line = json.dumps(entry, separators=(",", ":")) + "\n"
        with self.lock:
            with open(self.log_path, "a", encoding="utf-8") as f:
                f.write(line)


def text_of(content) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(
            p.get("text", "") for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)
        )
    return ""


def tool_names(body: dict) -> list[str]:
    names = []
    for t in body.get("tools") or []:
        if isinstance(t, dict):
            name = (t.get("function") or {}).get("name") or t.get("name")
            if name:
                names.append(name)
    return names


def current_turn(messages: list) -> tuple[str, str]:
    """(text of the user messages of the current turn, role of the last real message)."""
    parts: list[str] = []
    last_role = ""
    for m in reversed(messages):
        role = m.get("role")
        text = text_of(m.get("content"))
        if role == "user" and text.lstrip().startswith(INTERNAL_PREFIX):
            continue
        if not last_role:
            last_role = role or ""
        if role in ("assistant", "tool"):
            break
        if role == "user":
            parts.append(text)
    return "\n".join(reversed(parts)), last_role


def tool_call_for(want: str, args: dict, tools: list[str]):
    if want in tools:
        return want, args
    if "tool_call" in tools:
        return "tool_call", {"id": want, "args": args}
    return None


def decide(body: dict, n: int) -> dict:
    messages = body.get("messages") or []
    tools = tool_names(body)
    turn, last_role = current_turn(messages)
    think = "THINK" in turn
    d: dict = {"turn": turn, "think": think, "kind": "chat"}
    if last_role == "tool":
        result = ""
        for m in reversed(messages):
            if m.get("role") == "tool":
                result = text_of(m.get("content"))
                break
        snippet = " ".join(result.split())[:120]
        d.update(kind="after-tool", text=f"Done. The tool returned: {snippet}")
        return d
    for word, task, label in (("SPAWNTEST", SUBAGENT_TASK, "stub-child"), ("SPAWNSLOW", SLOW_SUBAGENT_TASK, "slow-child")):
        if word in turn:
            call = tool_call_for("sessions_spawn", {"task": task, "label": label}, tools)
            if call:
                d.update(kind="spawn", tool=call)
                return d
    if "SLOWCHILD" in turn:
        d.update(kind="slow", text=" ".join(f"word{i}" for i in range(1, 151)), slow=1.0)
        return d
    if "TOOLTEST" in turn:
        for want, args in (("ls", {"path": "."}), ("read", {"path": "AGENTS.md"}),
                           ("exec", {"command": "echo stub-tool-ok"})):
            if want in tools:
                d.update(kind="tool", tool=(want, args))
                return d
        call = tool_call_for("ls", {"path": "."}, tools)
        if call:
            d.update(kind="tool", tool=call)
            return d
    if "FAILTEST" in turn:
        d.update(kind="fail")
        return d
    if "ABORTTEST" in turn:
        d.update(kind="slow", text=" ".join(f"word{i}" for i in range(1, 151)), slow=1.0)
        return d
    if "SLOWTEST" in turn:
        d.update(kind="slow", text="one two three four five six", slow=1.0)
        return d
    if "Sub-agent task from the stub" in turn:
        d.update(kind="subagent", text="The sub-agent finished its task.")
        return d
    d["text"] = f"Canned answer number {n} from the stub provider."
    return d


def billed_cost(usage: dict) -> float:
    """What the billing provider charges for `usage`: BILL_FACTOR times the list price (input
    being the prompt less its cached and cache-written tokens)."""
    details = usage["prompt_tokens_details"]
    cached, written = details["cached_tokens"], details["cache_write_tokens"]
    list_price = ((usage["prompt_tokens"] - cached - written) * BILL_PRICE["input"]
                  + usage["completion_tokens"] * BILL_PRICE["output"]
                  + cached * BILL_PRICE["cacheRead"] + written * BILL_PRICE["cacheWrite"]) / 1e6
    return round(BILL_FACTOR * list_price, 12)


def served(usage: dict) -> dict:
    """The usage of a response, as the stub's log records it."""
    return {"prompt": usage["prompt_tokens"], "completion": usage["completion_tokens"],
            "cached": usage["prompt_tokens_details"]["cached_tokens"],
            "cacheWrite": usage["prompt_tokens_details"]["cache_write_tokens"],
            "reasoning": usage["completion_tokens_details"]["reasoning_tokens"]}


def usage_for(body: dict, out_text: str, reasoning: str) -> dict:
    prompt = max(16, len(json.dumps(body.get("messages") or [], ensure_ascii=False)) // 4)
    cached = prompt // 2
    cache_write = prompt // 16
    reasoning_tokens = len(reasoning) // 4 if reasoning else 0
    completion = max(1, len(out_text) // 4) + reasoning_tokens
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": cached, "cache_write_tokens": cache_write},
        "completion_tokens_details": {"reasoning_tokens": reasoning_tokens},
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "clawtower-stub/1"
    state: State  # set on the class by main()

    def log_message(self, fmt, *args):  # quiet; requests go to the JSONL log
        pass

    def _send_json(self, code: int, obj: dict, headers: dict | None = None) -> None:
        data = json.dumps(obj).encode()
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        n = self.state.next_n()
        self.state.log({"ts": time.time(), "n": n, "method": "GET", "path": self.path})
        if self.path.split("?")[0].rstrip("/").endswith("/models"):
            return self._send_json(200, {"object": "list", "data": [
                {"id": self.state.model, "object": "model", "created": 0, "owned_by": "clawtower-stub"}]})
        return self._send_json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

    def do_POST(self):
        n = self.state.next_n()
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self.state.log({"ts": time.time(), "n": n, "method": "POST", "path": self.path, "error": "bad json"})
            return self._send_json(400, {"error": {"message": "invalid JSON body", "type": "invalid_request_error"}})
        if not self.path.split("?")[0].rstrip("/").endswith("/chat/completions"):
            self.state.log({"ts": time.time(), "n": n, "method": "POST", "path": self.path, "error": "404"})
            return self._send_json(404, {"error": {"message": "only /v1/chat/completions", "type": "invalid_request_error"}})

        d = decide(body, n)
        billed = self.path.startswith(BILLING_PREFIX)
        provider = "billing" if billed else "stub"
        if d["kind"] == "fail":
            self.state.log({"ts": time.time(), "n": n, "method": "POST", "path": self.path, "kind": "fail",
                            "stream": bool(body.get("stream")),
                            "include_usage": bool((body.get("stream_options") or {}).get("include_usage")), "model": body.get("model"), "tools": tool_names(body),
                            "turn": d["turn"][:300], "think": d["think"], "status": 500, "billed": billed,
                            "messages": len(body.get("messages") or [])})
            return self._send_json(500, {"error": {"message": "FAILTEST: the stub provider failed on purpose",
                                                   "type": "server_error", "code": "stub_failure"}},
                                   headers={"Retry-After": "3600"})
        reasoning = "Thinking it over: the stub weighs the request, then answers briefly." if d["think"] else ""
        call = None
        if "tool" in d:
            name, args = d["tool"]
            call = {"id": "call_" + uuid.uuid4().hex[:16], "type": "function",
                    "function": {"name": name, "arguments": json.dumps(args)}}
            out_text = name + call["function"]["arguments"]
        else:
            out_text = d["text"]
        usage = usage_for(body, out_text, reasoning)
        if billed:
            usage["cost"] = billed_cost(usage)
        stream = bool(body.get("stream"))
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        entry = {"ts": time.time(), "n": n, "method": "POST", "path": self.path, "kind": d["kind"],
                 "stream": stream, "include_usage": include_usage, "model": body.get("model"),
                 "tools": tool_names(body), "turn": d["turn"][:300], "think": d["think"],
                 "tool_call": call["function"] if call else None, "usage": usage,
                 "messages": len(body.get("messages") or []), "status": 200, "billed": billed,
                 # The session-id headers OpenClaw sends when a model's compat asks it to.
                 "session_headers": sorted(h for h in SESSION_HEADERS if self.headers.get(h))}
        self.state.log(entry)
        served_entry = {"n": n, "event": "served", "provider": provider, "kind": d["kind"],
                        "usage": served(usage), "cost": usage.get("cost")}

        cid = "chatcmpl-stub-" + uuid.uuid4().hex[:16]
        created = int(time.time())
        model = body.get("model") or self.state.model
        finish = "tool_calls" if call else "stop"
        if not stream:
            msg: dict = {"role": "assistant", "content": None if call else out_text}
            if call:
                msg["tool_calls"] = [call]
            if reasoning:
                msg["reasoning_content"] = reasoning
            self.state.log({"ts": time.time(), **served_entry})
            return self._send_json(200, {"id": cid, "object": "chat.completion", "created": created, "model": model,
                                         "choices": [{"index": 0, "message": msg, "finish_reason": finish}],
                                         "usage": usage})

        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        base = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model}

        def chunk(delta: dict | None = None, finish_reason=None, **extra) -> None:
            obj = dict(base)
            obj["choices"] = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish_reason}]
            obj.update(extra)
            self.wfile.write(b"data: " + json.dumps(obj).encode() + b"\n\n")
            self.wfile.flush()

        try:
            chunk({"role": "assistant", "content": ""})
            if reasoning:
                words = reasoning.split(" ")
                for i in range(0, len(words), 4):
                    chunk({"reasoning_content": " ".join(words[i:i + 4]) + (" " if i + 4 < len(words) else "")})
            if call:
                chunk({"tool_calls": [{"index": 0, "id": call["id"], "type": "function",
                                       "function": {"name": call["function"]["name"], "arguments": ""}}]})
                chunk({"tool_calls": [{"index": 0, "function": {"arguments": call["function"]["arguments"]}}]})
            else:
                for i, word in enumerate(out_text.split(" ")):
                    chunk({"content": word if i == 0 else " " + word})
                    if d.get("slow"):
                        time.sleep(d["slow"])
            chunk({}, finish)
            if include_usage:
                chunk(None, usage=usage)
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            if include_usage:  # the client got the usage: it was served
                self.state.log({"ts": time.time(), **served_entry})
        except (BrokenPipeError, ConnectionResetError):
            self.state.log({"ts": time.time(), "n": n, "event": "client-disconnected"})
        self.close_connection = True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=int(os.environ.get("STUB_PORT", "18999")),
                    help="port on 127.0.0.1 (0 = any free port)")
    ap.add_argument("--log", default=os.environ.get("STUB_LOG", "stub-requests.jsonl"))
    ap.add_argument("--model", default="stub-model")
    ap.add_argument("--ready-file", help="write the bound port here once listening")
    args = ap.parse_args(argv)

    Handler.state = State(args.log, args.model)
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    srv.daemon_threads = True
    port = srv.server_address[1]
    if args.ready_file:
        tmp = args.ready_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(port))
        os.replace(tmp, args.ready_file)
    sys.stderr.write(f"[stub] listening on http://127.0.0.1:{port}/v1 log={args.log}\n")
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
