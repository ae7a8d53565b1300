"""Writes theme/static/images/share.png, the picture WeChat and other apps show with a link,
and icon.png, the browser tab's icon: the same drawing at two sizes.

    .venv/bin/python theme/share_image.py [folder]

A red flag with a white ★ on a flagpole, on white, and no text, so that it suits every page.
share.png is 300×300 pixels (WeChat skips smaller pictures) and named in og:image and as the
touch icon; icon.png is 32×32 in a palette of its few colours, a few hundred bytes, since every
first visit fetches it. Pure Python (zlib and struct, no imaging library), and the same pixels
on every machine. `tests/test_site_budgets.py` checks that the committed files match this script.
"""

from __future__ import annotations

import math
import struct
import sys
import zlib
from pathlib import Path

SIZE = 300  # the drawing's own coordinates: share.png's pixels
ICON = 32  # icon.png's side
SAMPLES = 4  # per pixel side: 16 samples a pixel smooth the edges
WHITE = (255, 255, 255)
RED = (179, 38, 30)  # --red of theme/css/site.css
POLE = (91, 91, 96)  # --muted
OUT = Path(__file__).resolve().parent / "static" / "images"

Polygon = list[tuple[float, float]]


def circle(cx: float, cy: float, r: float, points: int = 48) -> Polygon:
    return [
        (cx + r * math.cos(2 * math.pi * i / points), cy + r * math.sin(2 * math.pi * i / points))
        for i in range(points)
    ]


def star(cx: float, cy: float, outer: float) -> Polygon:
    inner = outer * math.sin(math.radians(18)) / math.sin(math.radians(54))
    return [
        (
            cx + (outer if i % 2 == 0 else inner) * math.sin(math.pi * i / 5),
            cy - (outer if i % 2 == 0 else inner) * math.cos(math.pi * i / 5),
        )
        for i in range(10)
    ]


def flag(left: float, right: float, top: float, bottom: float, wave: float) -> Polygon:
    """A flag waving once along its length: top edge left to right, bottom edge back."""
    steps = 40
    xs = [left + (right - left) * i / steps for i in range(steps + 1)]

    def dy(x: float) -> float:
        return wave * math.sin(2 * math.pi * (x - left) / (right - left))

    return [(x, top + dy(x)) for x in xs] + [(x, bottom + dy(x)) for x in reversed(xs)]


def shapes() -> list[tuple[tuple[int, int, int], Polygon]]:
    """What is painted, in order, over a white ground."""
    pole = [(56.0, 44.0), (68.0, 44.0), (68.0, 270.0), (56.0, 270.0)]
    return [
        (POLE, pole),
        (POLE, circle(62, 40, 10)),
        (RED, flag(68, 250, 54, 182, 9)),
        (WHITE, star(157, 118, 44)),
    ]


def coverage(polygon: Polygon, size: int = SIZE) -> list[list[int]]:
    """Per pixel, how many of its SAMPLES² sample points lie inside the polygon (even-odd)."""
    grid = [[0] * size for _ in range(size)]
    edges = list(zip(polygon, polygon[1:] + polygon[:1], strict=True))
    for row in range(size * SAMPLES):
        y = (row + 0.5) / SAMPLES
        crossings = sorted(
            x0 + (y - y0) * (x1 - x0) / (y1 - y0)
            for (x0, y0), (x1, y1) in edges
            if (y0 <= y < y1) or (y1 <= y < y0)
        )
        counts = grid[row // SAMPLES]
        for start, end in zip(crossings[::2], crossings[1::2], strict=True):
            first = max(0, math.ceil(start * SAMPLES - 0.5))
            last = min(size * SAMPLES - 1, math.floor(end * SAMPLES - 0.5))
            for column in range(first, last + 1):
                counts[column // SAMPLES] += 1
    return grid


def pixels(size: int = SIZE) -> list[list[tuple[int, int, int]]]:
    """The drawing at `size`×`size` pixels (its shapes scaled from SIZE)."""
    image = [[WHITE] * size for _ in range(size)]
    full = SAMPLES * SAMPLES
    scale = size / SIZE
    for colour, polygon in shapes():
        scaled = [(x * scale, y * scale) for x, y in polygon]
        for y, counts in enumerate(coverage(scaled, size)):
            line = image[y]
            for x, count in enumerate(counts):
                if count:
                    a = count / full
                    line[x] = tuple(
                        round(old * (1 - a) + new * a)
                        for old, new in zip(line[x], colour, strict=True)
                    )
    return image


def png(image: list[list[tuple[int, int, int]]]) -> bytes:
    """An 8-bit RGB PNG; each row filtered 'Up' (difference to the row above) to pack small."""
    size = len(image)
    raw = bytearray()
    previous = bytes(size * 3)
    for line in image:
        row = bytes(channel for pixel in line for channel in pixel)
        raw.append(2)
        raw += bytes((a - b) & 0xFF for a, b in zip(row, previous, strict=True))
        previous = row
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return _file(header, zlib.compress(bytes(raw), 9))


def palette_png(image: list[list[tuple[int, int, int]]]) -> bytes:
    """An 8-bit palette PNG of an image of at most 256 colours (the icon's few)."""
    colours = sorted({pixel for line in image for pixel in line})
    number = {colour: i for i, colour in enumerate(colours)}
    raw = b"".join(b"\0" + bytes(number[pixel] for pixel in line) for line in image)
    header = struct.pack(">IIBBBBB", len(image[0]), len(image), 8, 3, 0, 0, 0)
    palette = _chunk(b"PLTE", bytes(c for colour in colours for c in colour))
    return _file(header, zlib.compress(raw, 9), palette)


def _file(header: bytes, idat: bytes, palette: bytes = b"") -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + palette
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else OUT
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in (("share.png", png(pixels())), ("icon.png", palette_png(pixels(ICON)))):
        (folder / name).write_bytes(data)
        print(f"写入 {folder / name}（{len(data)} 字节）")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
