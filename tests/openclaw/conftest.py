"""Session-wide setup of the real-gateway tests (shared helpers are in cli.py and gateway.py)."""
from __future__ import annotations

import signal


def _unwind(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config):
    # run.sh's timeout sends SIGTERM: unwind as on Ctrl-C, so the fixtures' finally blocks stop
    # the gateways they started.
    signal.signal(signal.SIGTERM, _unwind)
