"""The README's screenshots (docs/screenshots/make.py, `make screenshots`): every image README
shows exists as a small PNG of the promised size, and the script's PNG re-encoding keeps the
pixels of an image of up to 256 colours whatever filter each row was written with."""

from __future__ import annotations

import importlib.util
import re
import struct
import zlib

import numpy as np
import pytest
from _site_helpers import ROOT

FOLDER = ROOT / "docs" / "screenshots"
SPEC = importlib.util.spec_from_file_location("screenshots_make", FOLDER / "make.py")
make = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(make)


def readme_images() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    return re.findall(r'src="docs/screenshots/([^"]+)"', text)


def test_readme_shows_every_screenshot_the_script_takes(tmp_path):
    (tmp_path / "2025" / "02" / "poster").mkdir(parents=True)
    for village, status in [("1", "★红旗"), ("2", "★红旗 ▼黄旗"), ("3", "")]:
        page = tmp_path / "village" / village / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<section id="status">{status}</section>', "utf-8")
    shots = {name: url for name, url, _, _, _ in make.shots(tmp_path)}
    assert sorted(readme_images()) == sorted(shots)
    assert shots["phone-village.png"] == "village/2/"  # the one with both flags
    assert shots["phone-poster.png"] == "2025/02/poster/"
    assert {text for *_, text in make.shots(tmp_path)} == {"", "large", "200%"}  # large text too
    (tmp_path / "2025" / "02" / "poster" / "b").mkdir()
    (tmp_path / "2025" / "02" / "poster" / "b" / "index.html").write_text("", "utf-8")
    assert make.poster(tmp_path, "2025/02") == "2025/02/poster/b/"  # a poster per grid


@pytest.mark.parametrize("name", readme_images())
def test_each_screenshot_is_a_small_png_at_phone_or_screen_width(name):
    data = (FOLDER / name).read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) < 150 * 1024
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == ((1366, 768) if name == "screen.png" else (360, 760))


def filtered(pixels: np.ndarray, kinds: list[int]) -> bytes:
    """An RGB PNG whose rows use the filters given (0 None … 4 Paeth), written by hand."""
    height, width, _ = pixels.shape
    rows = pixels.reshape(height, -1).astype(np.int32)
    out, up = [], np.zeros(width * 3, np.int32)
    for y, row in enumerate(rows):
        kind = kinds[y % len(kinds)]
        left = np.concatenate([np.zeros(3, np.int32), row[:-3]])
        corner = np.concatenate([np.zeros(3, np.int32), up[:-3]])
        if kind == 4:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            pred = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, up, corner))
        else:
            pred = [0 * row, left, up, (left + up) // 2][kind]
        out.append(bytes([kind]) + ((row - pred) & 255).astype(np.uint8).tobytes())
        up = row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"".join(out))
    return b"\x89PNG\r\n\x1a\n" + make._chunk(b"IHDR", header) + make._chunk(b"IDAT", idat)


def palette_pixels(png: bytes) -> np.ndarray:
    """The pixels of an 8-bit palette PNG written with filter 0 on every row."""
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    assert (depth, colour) == (8, 3)
    start = png.index(b"PLTE")
    size = struct.unpack(">I", png[start - 4 : start])[0]
    palette = np.frombuffer(png[start + 4 : start + 4 + size], np.uint8).reshape(-1, 3)
    start = png.index(b"IDAT")
    size = struct.unpack(">I", png[start - 4 : start])[0]
    raw = np.frombuffer(zlib.decompress(png[start + 4 : start + 4 + size]), np.uint8)
    rows = raw.reshape(height, width + 1)
    assert not rows[:, 0].any()
    return palette[rows[:, 1:]]


def test_the_re_encoding_keeps_every_pixel_of_a_few_coloured_image():
    rng = np.random.default_rng(7)
    colours = rng.integers(0, 256, (40, 3), dtype=np.uint8)
    pixels = colours[rng.integers(0, 40, (23, 17))]
    original = filtered(pixels, [0, 1, 2, 3, 4])
    assert np.array_equal(make.read_png(original), pixels)
    assert np.array_equal(palette_pixels(make.small_png(original)), pixels)


def test_more_than_256_colours_become_the_nearest_of_the_most_used():
    common = [(k, 0, 0) for k in range(250) for _ in range(4)]  # 250 colours, 4 pixels each
    rare = [(k, 3, 0) for k in range(50)]  # 50 more, one pixel each
    pixels = np.array(common + rare, np.uint8).reshape(25, 42, 3)
    shown = palette_pixels(make.small_png(filtered(pixels, [1, 4])))
    assert len(np.unique(shown.reshape(-1, 3), axis=0)) == 256
    assert np.array_equal(shown.reshape(-1, 3)[:1000], pixels.reshape(-1, 3)[:1000])
    kept = {*common, *rare[:6]}  # the 256 most used; ties kept in colour order
    for before, after in zip(rare, shown.reshape(-1, 3)[1000:].tolist(), strict=True):
        nearest = min(sum((a - b) ** 2 for a, b in zip(before, c, strict=True)) for c in kept)
        assert tuple(after) in kept
        assert sum((a - b) ** 2 for a, b in zip(before, after, strict=True)) == nearest
