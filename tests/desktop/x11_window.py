#!/usr/bin/env python3
"""Acts on an app's top-level X11 window the way a window manager would, for headless tests
(Xvfb has no window manager): report whether it is shown and its geometry, ask it to close
(WM_DELETE_WINDOW, exactly what a title-bar close button sends) and resize it.

    x11_window.py state  --name Clawtower [--wait-viewable yes|no] [--timeout S]
    x11_window.py close  --name Clawtower
    x11_window.py resize --name Clawtower --width 900 --height 600

Prints JSON; exits 1 when no such window exists or a --wait condition is not met in time.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from Xlib import X, display
from Xlib.error import XError
from Xlib.protocol import event
from Xlib.xobject.drawable import Window


def toplevels(dpy: display.Display, name: str) -> list[Window]:
    """Top-level windows titled `name` that accept WM_DELETE_WINDOW (the app's real windows)."""
    delete = dpy.intern_atom("WM_DELETE_WINDOW")
    found = []
    for window in dpy.screen().root.query_tree().children:
        try:
            if window.get_wm_name() != name:
                continue
            if delete in (window.get_wm_protocols() or []):
                found.append(window)
        except XError:
            continue  # the window went away while we looked
    return found


def describe(dpy: display.Display, window: Window) -> dict[str, Any]:
    """Map state and geometry (root coordinates) of a window."""
    attrs = window.get_attributes()
    geom = window.get_geometry()
    origin = window.translate_coords(dpy.screen().root, 0, 0)
    return {
        "id": window.id,
        "viewable": attrs.map_state == X.IsViewable,
        "x": -origin.x,
        "y": -origin.y,
        "width": geom.width,
        "height": geom.height,
    }


def one(dpy: display.Display, name: str) -> Window:
    """The single window titled `name`; exits 1 when there is none or several."""
    windows = toplevels(dpy, name)
    if len(windows) != 1:
        print(f"x11_window: expected one window titled {name!r}, found {len(windows)}", file=sys.stderr)
        sys.exit(1)
    return windows[0]


def cmd_state(dpy: display.Display, args: argparse.Namespace) -> int:
    deadline = time.monotonic() + args.timeout
    while True:
        windows = toplevels(dpy, args.name)
        states = [describe(dpy, w) for w in windows]
        wanted = args.wait_viewable
        if wanted is None or (states and all(s["viewable"] == (wanted == "yes") for s in states)):
            print(json.dumps({"windows": states}))
            return 0 if states else 1
        if time.monotonic() > deadline:
            print(json.dumps({"windows": states}))
            print(f"x11_window: {args.name!r} not viewable={wanted} within {args.timeout}s", file=sys.stderr)
            return 1
        time.sleep(0.1)


def cmd_close(dpy: display.Display, args: argparse.Namespace) -> int:
    window = one(dpy, args.name)
    protocols = dpy.intern_atom("WM_PROTOCOLS")
    delete = dpy.intern_atom("WM_DELETE_WINDOW")
    message = event.ClientMessage(window=window, client_type=protocols,
                                  data=(32, [delete, X.CurrentTime, 0, 0, 0]))
    window.send_event(message, event_mask=X.NoEventMask)
    dpy.flush()
    print(json.dumps({"closed": window.id}))
    return 0


def cmd_resize(dpy: display.Display, args: argparse.Namespace) -> int:
    window = one(dpy, args.name)
    window.configure(width=args.width, height=args.height)
    dpy.sync()
    print(json.dumps({"resized": window.id, "width": args.width, "height": args.height}))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    state = sub.add_parser("state", help="print map state and geometry")
    state.add_argument("--wait-viewable", choices=["yes", "no"])
    state.add_argument("--timeout", type=float, default=10.0)
    close = sub.add_parser("close", help="send WM_DELETE_WINDOW")
    resize = sub.add_parser("resize", help="resize the window")
    resize.add_argument("--width", type=int, required=True)
    resize.add_argument("--height", type=int, required=True)
    for command in (state, close, resize):
        command.add_argument("--name", required=True, help="the window title")
    args = parser.parse_args()
    dpy = display.Display()
    try:
        return {"state": cmd_state, "close": cmd_close, "resize": cmd_resize}[args.command](dpy, args)
    finally:
        dpy.close()


if __name__ == "__main__":
    sys.exit(main())
