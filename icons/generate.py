#!/usr/bin/env python3
"""Draws Clawtower's icons (app icon, tray icon, paused tray icon) as PNGs with the stdlib only.

The mark: a rounded square in the accent colour holding a control tower made of three rising
bars (spend) under a beacon. Run `python3 icons/generate.py` to regenerate; the PNGs are committed.
"""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACCENT = (79, 70, 229)       # indigo
PAUSED = (217, 119, 6)       # amber: the tray turns this colour while spending is paused
WHITE = (255, 255, 255)
SUPERSAMPLE = 4


def rounded_rect(x: float, y: float, x0: float, y0: float, x1: float, y1: float, r: float) -> bool:
    """True when (x, y) lies inside the rounded rectangle."""
    if not (x0 <= x <= x1 and y0 <= y <= y1):
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def shape(x: float, y: float, background: tuple[int, int, int]):
    """Colour of the unit-square point (x, y), or None for transparent."""
    if not rounded_rect(x, y, 0.04, 0.04, 0.96, 0.96, 0.22):
        return None
    bars = [(0.24, 0.62), (0.43, 0.46), (0.62, 0.30)]  # (left, top) of three rising bars
    for left, top in bars:
        if rounded_rect(x, y, left, top, left + 0.14, 0.80, 0.03):
            return WHITE
    if (x - 0.69) ** 2 + (y - 0.19) ** 2 <= 0.055 ** 2:  # the beacon
        return WHITE
    return background


def render(size: int, background: tuple[int, int, int]) -> bytes:
    """RGBA rows of the icon at `size` pixels, anti-aliased by supersampling."""
    rows = bytearray()
    n = SUPERSAMPLE
    for py in range(size):
        rows.append(0)  # PNG filter: none
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(n):
                for sx in range(n):
                    c = shape((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size, background)
                    if c is not None:
                        acc[0] += c[0]
                        acc[1] += c[1]
                        acc[2] += c[2]
                        acc[3] += 255
            hits = acc[3] // 255
            if hits == 0:
                rows += b"\0\0\0\0"
            else:
                rows += bytes([acc[0] // hits, acc[1] // hits, acc[2] // hits, acc[3] // (n * n)])
    return bytes(rows)


def png(size: int, background: tuple[int, int, int]) -> bytes:
    """A complete PNG file."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(render(size, background), 9)) + chunk(b"IEND", b""))


def main() -> None:
    outputs = {
        "32x32.png": (32, ACCENT),
        "128x128.png": (128, ACCENT),
        "128x128@2x.png": (256, ACCENT),
        "icon.png": (512, ACCENT),
        "tray.png": (64, ACCENT),
        "tray-paused.png": (64, PAUSED),
    }
    for name, (size, colour) in outputs.items():
        (HERE / name).write_bytes(png(size, colour))
        print(f"wrote icons/{name}")


if __name__ == "__main__":
    main()
