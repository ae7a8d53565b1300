"""The README's screenshots: the demo town's site built as published (an absolute SITEURL, so
the poster and the 公众号 page carry their QR codes), photographed by headless Chromium.

Reader pages at a phone's 360 px (three of them in large text: the 大字 switch, and the root
font at 200 % as a phone set to its largest text gives it), the 电子屏 at 1366×768; each PNG
re-encoded small (a palette
of at most 256 colours, deflated at level 9), so the repository keeps each under 150 KB.
Run `make screenshots` (or `.venv/bin/python docs/screenshots/make.py`) from the repository
root; it needs playwright and /usr/bin/chromium, as the browser tests do.
"""

from __future__ import annotations

import argparse
import contextlib
import mimetypes
import os
import re
import struct
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np
from playwright.sync_api import Route, sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SITEURL = "https://hhq.example.gov.cn"
CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 360, "height": 760}
SCREEN = {"width": 1366, "height": 768}
LIMIT = 150 * 1024


def build(out: Path) -> None:
    """The demo (scores/ with its git history) built as `make site SETTINGS=publishconf.py`."""
    from generator.cli import main

    os.environ["FLAGBOARD_SITEURL"] = SITEURL
    with contextlib.chdir(ROOT):
        args = ["build", "--scores", "scores", "--out", str(out), "--settings", "publishconf.py"]
        if main(args) != 0:
            sys.exit("生成演示网站失败，见上面的提示。")


def shots(site: Path) -> list[tuple[str, str, dict, str | None, str]]:
    """(file name, page, viewport, element to scroll to the top or None, text size: "" as
    the page sets it, "large" for the 大字 switch, or a root font size such as "200%")."""
    month = max(p.parent.relative_to(site).as_posix() for p in site.glob("*/*/poster"))
    return [
        ("phone-home.png", "", PHONE, None, ""),
        ("phone-period.png", f"{month}/", PHONE, None, ""),
        ("phone-village.png", village(site), PHONE, "main h1", ""),
        ("phone-poster.png", poster(site, month), PHONE, None, ""),
        ("phone-wechat.png", f"{month}/wechat/", PHONE, None, ""),
        ("phone-data.png", "data/", PHONE, None, ""),
        ("screen.png", "screen/", SCREEN, None, ""),
        ("phone-large-home.png", "", PHONE, None, "large"),
        ("phone-large-period.png", f"{month}/", PHONE, "table.board", "large"),
        ("phone-large-village.png", village(site), PHONE, "#status", "200%"),
    ]


def poster(site: Path, month: str) -> str:
    """The month's poster, or its first grid's when the month has a poster per grid."""
    grids = sorted(p.parent.name for p in (site / month / "poster").glob("*/index.html"))
    return f"{month}/poster/{grids[0]}/" if grids else f"{month}/poster/"


def village(site: Path) -> str:
    """The village whose 当前状态 says most, with a red and a yellow flag (first by path)."""
    found = []
    for page in sorted(site.glob("village/*/index.html")):
        status = re.search(r'<section id="status".*?</section>', page.read_text("utf-8"), re.S)
        text = status.group(0) if status else ""
        if "红旗" in text and "黄旗" in text:
            found.append((-len(text), page.parent.relative_to(site).as_posix()))
    return min(found)[1] + "/"


def serve_from(site: Path):
    """A route handler answering SITEURL's requests from the built folder; nothing else loads."""

    def handle(route: Route) -> None:
        url = route.request.url.split("#")[0].split("?")[0]
        if not url.startswith(SITEURL + "/"):
            route.abort()
            return
        path = site / url[len(SITEURL) + 1 :]
        path = path / "index.html" if path.is_dir() else path
        if not path.is_file():
            route.fulfill(status=404, body="")
            return
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        route.fulfill(status=200, body=path.read_bytes(), content_type=kind)

    return handle


def photograph(site: Path, folder: Path) -> list[Path]:
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        for name, url, viewport, anchor, text in shots(site):
            page = browser.new_page(viewport=viewport, device_scale_factor=1)
            page.route("**/*", serve_from(site))
            page.goto(f"{SITEURL}/{url}", wait_until="networkidle")
            if text == "large":
                page.click("label.big")  # the page's own switch, as a reader taps it
            elif text:
                page.evaluate(f"document.documentElement.style.fontSize = '{text}'")
            page.evaluate("document.fonts.ready")
            if anchor:
                page.eval_on_selector(
                    anchor, "e => window.scrollTo(0, e.getBoundingClientRect().top + scrollY - 12)"
                )
            target = folder / name
            target.write_bytes(small_png(page.screenshot(animations="disabled", caret="hide")))
            written.append(target)
            page.close()
        browser.close()
    return written


# -- PNG: Chromium's RGB(A) → a palette image deflated at level 9 ------------------------------


def small_png(data: bytes) -> bytes:
    pixels = read_png(data)
    colours, index, counts = np.unique(
        pixels.reshape(-1, 3), axis=0, return_inverse=True, return_counts=True
    )
    if len(colours) > 256:
        colours, index = quantise(colours, counts, index)
    rows = index.reshape(pixels.shape[:2]).astype(np.uint8)
    return write_png(rows, colours.astype(np.uint8))


def quantise(colours: np.ndarray, counts: np.ndarray, index: np.ndarray) -> tuple:
    """The 256 most used colours; every other colour becomes the nearest of them."""
    palette = colours[np.argsort(-counts, kind="stable")[:256]].astype(np.int32)
    nearest = np.concatenate(
        [
            ((part[:, None, :].astype(np.int32) - palette[None]) ** 2).sum(-1).argmin(1)
            for part in np.array_split(colours, max(1, len(colours) // 2048))
        ]
    )
    return palette, nearest[index]


def read_png(data: bytes) -> np.ndarray:
    """An 8-bit RGB or RGBA, non-interlaced PNG (as Chromium writes them) as height×width×3."""
    pos, chunks, idat = 8, {}, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        chunks.setdefault(kind, body)
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    if depth != 8 or colour not in (2, 6):
        raise ValueError("只支持 Chromium 生成的 8 位 RGB/RGBA PNG")
    channels = 3 if colour == 2 else 4
    raw = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(height, 1 + width * channels)
    rows = unfilter(raw, channels)
    return rows.reshape(height, width, channels)[:, :, :3]


def unfilter(raw: np.ndarray, bpp: int) -> np.ndarray:
    out = np.zeros((raw.shape[0], raw.shape[1] - 1), np.uint8)
    previous = np.zeros(raw.shape[1] - 1, np.int32)
    for y, (kind, line) in enumerate(zip(raw[:, 0], raw[:, 1:], strict=True)):
        row = line.astype(np.int32)
        if kind == 2:
            row = (row + previous) & 255
        elif kind in (1, 3, 4):
            row = _sequential(row, previous, bpp, kind)
        out[y] = row
        previous = row.astype(np.int32)
    return out


def _sequential(row: np.ndarray, up: np.ndarray, bpp: int, kind: int) -> np.ndarray:
    """Sub, Average and Paeth depend on the pixel to the left: one pixel at a time (Sub as a
    running sum per channel)."""
    if kind == 1:
        return np.cumsum(row.reshape(-1, bpp), axis=0).reshape(-1) & 255
    out = row.copy()
    for x in range(len(out)):
        left = int(out[x - bpp]) if x >= bpp else 0
        above, corner = int(up[x]), (int(up[x - bpp]) if x >= bpp else 0)
        if kind == 3:
            add = (left + above) // 2
        else:
            p = left + above - corner
            pa, pb, pc = abs(p - left), abs(p - above), abs(p - corner)
            add = left if pa <= pb and pa <= pc else above if pb <= pc else corner
        out[x] = (out[x] + add) & 255
    return out


def write_png(rows: np.ndarray, palette: np.ndarray) -> bytes:
    height, width = rows.shape
    lines = np.column_stack([np.zeros(height, np.uint8), rows]).tobytes()
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + b"".join(
        _chunk(kind, body)
        for kind, body in (
            (b"IHDR", header),
            (b"PLTE", palette.tobytes()),
            (b"IDAT", zlib.compress(lines, 9)),
            (b"IEND", b""),
        )
    )


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="重新生成 README 用的网站截图（docs/screenshots/）。"
    )
    parser.add_argument("--out", type=Path, default=HERE, help="截图写入的文件夹")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="flagboard-shots-") as temp:
        site = Path(temp) / "site"
        build(site)
        for path in photograph(site, args.out):
            size = path.stat().st_size
            flag = "" if size < LIMIT else "（超过 150 KB）"
            print(
                f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}：{size // 1024} KB{flag}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
