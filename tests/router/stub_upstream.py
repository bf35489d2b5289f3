#!/usr/bin/env python3
"""A model provider on loopback for the router tests: OpenAI-shaped (chat completions, JSON and
streams, tool calls; Responses; embeddings) and Anthropic-shaped (messages, JSON and streams with
cache tokens). Every answer's usage differs (a counter) and is appended to --log in the ledger's
terms, so a test can compare the ledger with what was served. A chat stream carries usage only
when the request asked for it (stream_options.include_usage), as OpenAI's does.

  stub_upstream.py --log FILE      prints "port N" once listening on 127.0.0.1
"""
import argparse
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

counter = itertools.count(1)
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def served(self, endpoint, model, input, output, cache_read=0, cache_write=0, reasoning=0):
        line = {"endpoint": endpoint, "model": model, "input": input, "output": output,
                "cache_read": cache_read, "cache_write": cache_write, "reasoning": reasoning,
                "authorization": self.headers.get("authorization"), "x_api_key": self.headers.get("x-api-key")}
        with lock, open(self.server.log, "a") as f:
            f.write(json.dumps(line) + "\n")

    def send_json(self, body, status=200):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def send_events(self, events):
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        for event in events:
            data = event.encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    def do_POST(self):
        length = int(self.headers.get("content-length", 0))
        request = json.loads(self.rfile.read(length) or b"{}")
        n = next(counter)
        model = request.get("model", "")
        route = {"/v1/chat/completions": self.chat, "/v1/responses": self.responses_api,
                 "/v1/embeddings": self.embeddings, "/v1/messages": self.messages}.get(self.path)
        if route is None:
            return self.send_json({"error": {"message": f"no route {self.path}"}}, 404)
        route(request, n, model)

    def chat(self, request, n, model):
        prompt, cached, completion, reasoning = 100 + n, 10 + n, 20 + n, n
        usage = {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion,
                 "prompt_tokens_details": {"cached_tokens": cached},
                 "completion_tokens_details": {"reasoning_tokens": reasoning}}
        if request.get("tools"):
            message = {"role": "assistant", "content": None, "tool_calls": [{"id": f"call_{n}", "type": "function",
                       "function": {"name": request["tools"][0]["function"]["name"], "arguments": "{\"city\": \"Oslo\"}"}}]}
            finish = "tool_calls"
        else:
            message, finish = {"role": "assistant", "content": "hello from the stub"}, "stop"
        if request.get("stream"):
            with_usage = (request.get("stream_options") or {}).get("include_usage")
            chunks = [{"id": f"chatcmpl-{n}", "object": "chat.completion.chunk", "created": 0, "model": model,
                       "choices": [{"index": 0, "delta": {"role": "assistant", "content": word}, "finish_reason": None}]}
                      for word in ["hello ", "from ", "the stub"]]
            chunks.append({"id": f"chatcmpl-{n}", "object": "chat.completion.chunk", "created": 0, "model": model,
                           "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
            if with_usage:
                chunks.append({"id": f"chatcmpl-{n}", "object": "chat.completion.chunk", "created": 0,
                               "model": model, "choices": [], "usage": usage})
                self.served("chat", model, prompt - cached, completion, cached, 0, reasoning)
            return self.send_events([f"data: {json.dumps(c)}\n\n" for c in chunks] + ["data: [DONE]\n\n"])
        self.served("chat", model, prompt - cached, completion, cached, 0, reasoning)
        self.send_json({"id": f"chatcmpl-{n}", "object": "chat.completion", "created": 0, "model": model,
                        "choices": [{"index": 0, "message": message, "finish_reason": finish}], "usage": usage})

    def responses_api(self, request, n, model):
        usage = {"input_tokens": 200 + n, "output_tokens": 30 + n, "total_tokens": 230 + 2 * n,
                 "input_tokens_details": {"cached_tokens": 40}, "output_tokens_details": {"reasoning_tokens": 3}}
        output = [{"type": "message", "id": f"msg_{n}", "status": "completed", "role": "assistant",
                   "content": [{"type": "output_text", "text": "hello from the stub", "annotations": []}]}]
        response = {"id": f"resp_{n}", "object": "response", "created_at": 0, "model": model, "status": "completed",
                    "output": output, "usage": usage, "parallel_tool_calls": True, "tool_choice": "auto", "tools": []}
        self.served("responses", model, 200 + n - 40, 30 + n, 40, 0, 3)
        if request.get("stream"):
            created = dict(response, status="in_progress", output=[], usage=None)
            events = [("response.created", {"type": "response.created", "sequence_number": 0, "response": created}),
                      ("response.output_text.delta", {"type": "response.output_text.delta", "sequence_number": 1,
                       "item_id": f"msg_{n}", "output_index": 0, "content_index": 0, "delta": "hello", "logprobs": []}),
                      ("response.completed", {"type": "response.completed", "sequence_number": 2, "response": response})]
            return self.send_events([f"event: {name}\ndata: {json.dumps(body)}\n\n" for name, body in events])
        self.send_json(response)

    def embeddings(self, request, n, model):
        tokens = 8 + n
        self.served("embeddings", model, tokens, 0)
        self.send_json({"object": "list", "model": model,
                        "data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2, 0.3]}],
                        "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})

    def messages(self, request, n, model):
        input, read, write, output = 12 + n, 3000 + n, 500 + n, 40 + n
        self.served("messages", model, input, output, read, write)
        message = {"id": f"msg_{n}", "type": "message", "role": "assistant", "model": model,
                   "content": [{"type": "text", "text": "hello from the stub"}], "stop_reason": "end_turn",
                   "stop_sequence": None,
                   "usage": {"input_tokens": input, "output_tokens": output, "cache_read_input_tokens": read,
                             "cache_creation_input_tokens": write}}
        if not request.get("stream"):
            return self.send_json(message)
        start = dict(message, content=[], stop_reason=None,
                     usage={"input_tokens": input, "output_tokens": 1, "cache_read_input_tokens": read,
                            "cache_creation_input_tokens": write})
        events = [("message_start", {"type": "message_start", "message": start}),
                  ("content_block_start", {"type": "content_block_start", "index": 0,
                                           "content_block": {"type": "text", "text": ""}}),
                  ("content_block_delta", {"type": "content_block_delta", "index": 0,
                                           "delta": {"type": "text_delta", "text": "hello from the stub"}}),
                  ("content_block_stop", {"type": "content_block_stop", "index": 0}),
                  ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                                     "usage": {"output_tokens": output}}),
                  ("message_stop", {"type": "message_stop"})]
        self.send_events([f"event: {name}\ndata: {json.dumps(body)}\n\n" for name, body in events])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.log = args.log
    print(f"port {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
