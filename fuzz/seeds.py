#!/usr/bin/env python3
"""Seeds for the gateway fuzz targets, from the real frames recorded in the engine's fixtures.

    fuzz/seeds.py gateway_frame|gateway_payload FRAMES_DIR OUT_DIR

FRAMES_DIR is tests/fixtures/ws-frames: `session-message.assistant.json`
(one event frame) and `methods.json` ({method: {params, answer, source}}, the answers real gateways
gave). gateway_frame gets whole frames: the event, and each answer as a response frame;
gateway_payload gets what the live feed parses: the event's payload, and each answer (the
`chat.history` one is what backfill reads). One file per seed, compact JSON.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def seeds(target: str, frames: Path) -> dict[str, object]:
    event = json.loads((frames / "session-message.assistant.json").read_text())
    methods = json.loads((frames / "methods.json").read_text())
    if target == "gateway_frame":
        out = {"event.session-message": event}
        for i, (method, recorded) in enumerate(sorted(methods.items()), 1):
            out[f"res.{method}"] = {"type": "res", "id": str(i), "ok": True, "payload": recorded.get("answer")}
        return out
    if target == "gateway_payload":
        out = {"payload.session-message": event["payload"]}
        for method, recorded in sorted(methods.items()):
            out[f"answer.{method}"] = recorded.get("answer")
        return out
    if target == "gateway_url":  # URLs as users type them (written as they are, not as JSON)
        return {f"url.{i}": url for i, url in enumerate([
            "ws://127.0.0.1:18789", "wss://gateway.example.com/", "ws://[::1]:9/openclaw/",
            "ws://user:pw@10.0.0.2:1/?q#f", "WSS://GW.EXAMPLE.COM:443//x//"])}
    raise SystemExit(f"seeds.py: no seeds for {target!r} (gateway_frame, gateway_payload or gateway_url)")


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        raise SystemExit(__doc__)
    target, frames, out = argv[0], Path(argv[1]), Path(argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for name, value in seeds(target, frames).items():
        text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        (out / f"seed.{name}.json").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
