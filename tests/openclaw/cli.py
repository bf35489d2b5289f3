"""The Clawtower CLI as the real-gateway tests run it (shared by every test module)."""
from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent


def clawtower_bin() -> str:
    """CLAWTOWER_BIN, else the debug build; fails the test with what to do when it is missing."""
    path = os.environ.get("CLAWTOWER_BIN") or str(REPO / "target" / "debug" / "clawtower")
    if not os.access(path, os.X_OK):
        pytest.fail(f"Clawtower CLI not found at {path} (build it with `make cli`, or set CLAWTOWER_BIN)")
    return path


def _sigterm(signum, frame):  # e.g. run.sh's timeout: unwind so the fixtures stop the gateway
    raise KeyboardInterrupt(f"signal {signum}")


def unwind_on_sigterm() -> None:
    """Turns SIGTERM into KeyboardInterrupt, so fixtures' finally blocks stop the gateway."""
    signal.signal(signal.SIGTERM, _sigterm)
