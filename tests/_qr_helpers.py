"""Helpers for the browser tests: read pixels and QR codes off a Chromium screenshot, count a
PDF's pages, measure how a page fills its viewport.

Screenshots are PNG; the decoder below reads the 8-bit RGB(A) non-interlaced PNGs Chromium
writes (no imaging library is installed), and zxing-cpp reads the code from the pixels.
"""

from __future__ import annotations

import re
import struct
import zlib

import numpy

PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def pdf_pages(pdf: bytes) -> int:
    """The number of page objects of a PDF (Chromium writes one per page, none compressed)."""
    return len(PAGE_OBJECT.findall(pdf))


def pdf_first_page_gray(pdf: bytes, dpi: int = 30) -> numpy.ndarray:
    """The first page of a PDF rendered by poppler's pdftoppm, as a 2-D array of grey levels."""
    import subprocess
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "page.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-f", "1", "-l", "1", str(source), f"{folder}/p"],
            check=True,
            capture_output=True,
        )
        (image,) = Path(folder).glob("p*.pgm")
        data = image.read_bytes()
    magic, width, height, depth, pixels = data.split(maxsplit=4)
    assert magic == b"P5" and depth == b"255"
    return numpy.frombuffer(pixels, numpy.uint8).reshape(int(height), int(width))


def ink_rows(gray: numpy.ndarray, level: int = 200) -> numpy.ndarray:
    """Whether each row of a page holds any ink (a pixel darker than `level`)."""
    return (gray < level).any(axis=1)


def png_gray(png: bytes) -> numpy.ndarray:
    """A PNG screenshot as a 2-D array of grey levels."""
    return (png_rgb(png).astype(numpy.uint16).sum(axis=2) // 3).astype(numpy.uint8)


def png_rgb(png: bytes) -> numpy.ndarray:
    """A PNG screenshot's pixels as a height × width × 3 array of RGB bytes."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, data, head = 8, b"", None
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        chunk = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            data += chunk
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = head
    assert depth == 8 and colour in (2, 6) and interlace == 0, head
    channels = 3 if colour == 2 else 4
    pixels = _unfilter(zlib.decompress(data), width * channels, height, channels)
    return pixels.reshape(height, width, channels)[:, :, :3]


def _unfilter(raw: bytes, stride: int, height: int, bpp: int) -> numpy.ndarray:
    out = numpy.zeros((height, stride), dtype=numpy.uint8)
    previous = numpy.zeros(stride, dtype=numpy.int32)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], numpy.frombuffer(raw, numpy.uint8, stride, start + 1)
        row = line.astype(numpy.int32)
        if kind == 2:
            row = (row + previous) & 0xFF
        elif kind in (1, 3, 4):
            row = _sequential(kind, row, previous, bpp)
        out[y] = row
        previous = row
    return out


def _sequential(kind: int, row, previous, bpp: int):
    """Sub, Average and Paeth: each byte depends on the one bpp before it."""
    row, up = row.tolist(), previous.tolist()
    for x in range(len(row)):
        left = row[x - bpp] if x >= bpp else 0
        if kind == 1:
            row[x] = (row[x] + left) & 0xFF
        elif kind == 3:
            row[x] = (row[x] + (left + up[x]) // 2) & 0xFF
        else:
            corner = up[x - bpp] if x >= bpp else 0
            row[x] = (row[x] + _paeth(left, up[x], corner)) & 0xFF
    return numpy.array(row, dtype=numpy.int32)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def decode_qr(png: bytes) -> list[str]:
    """The texts of the QR codes in a screenshot."""
    import zxingcpp

    found = zxingcpp.read_barcodes(png_gray(png), formats=zxingcpp.BarcodeFormat.QRCode)
    return [code.text for code in found]


def qr_texts(page, selector: str = "svg.qr") -> list[str]:
    """Screenshot each QR code of a Playwright page (with a margin) and decode it."""
    texts = []
    for element in page.query_selector_all(selector):
        box = element.bounding_box()
        margin = 12
        clip = {
            "x": max(box["x"] - margin, 0),
            "y": max(box["y"] - margin, 0),
            "width": box["width"] + 2 * margin,
            "height": box["height"] + 2 * margin,
        }
        texts += decode_qr(page.screenshot(clip=clip, full_page=True))
    return texts


# -- contrast, as WCAG measures it, from a screenshot's pixels ------------------------------


def contrast(pixels: numpy.ndarray) -> float:
    """The WCAG contrast between a chip's background (its commonest colour) and its text (the
    colour farthest from the background in luminance)."""
    colours, counts = numpy.unique(pixels.reshape(-1, 3), axis=0, return_counts=True)
    background = luminance(colours[counts.argmax()])
    levels = [luminance(c) for c in colours]
    text = max(levels, key=lambda level: abs(level - background))
    light, dark = max(background, text), min(background, text)
    return (light + 0.05) / (dark + 0.05)


def luminance(rgb) -> float:
    channel = numpy.asarray(rgb, dtype=float)[:3] / 255
    linear = numpy.where(channel <= 0.04045, channel / 12.92, ((channel + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


# -- a QR code read from its SVG, without a browser ------------------------------------------

SVG_RUN = re.compile(r"M(\d+) (\d+)h(\d+)v1h-\3z")
SVG_SIZE = re.compile(r'viewBox="0 0 (\d+) (\d+)"')


def svg_qr_texts(svg: str, scale: int = 4) -> list[str]:
    """The texts of a QR code written as generator.site.qr writes it (one path of 1-module-high
    dark runs, `M x y h n v1 h-n z`), drawn module by module into pixels and read by zxing-cpp:
    what the page's bytes encode, whatever the browser would make of them (the browser tests
    read printed codes off screenshots, qr_texts)."""
    import zxingcpp

    width, height = map(int, SVG_SIZE.search(svg).groups())
    modules = numpy.full((height, width), 255, numpy.uint8)
    path = re.search(r'<path fill="#000" d="([^"]*)"', svg).group(1)
    runs = SVG_RUN.findall(path)
    assert "".join(f"M{x} {y}h{n}v1h-{n}z" for x, y, n in runs) == path, "unexpected path"
    for x, y, n in runs:
        modules[int(y), int(x) : int(x) + int(n)] = 0
    pixels = numpy.kron(modules, numpy.ones((scale, scale), numpy.uint8))
    found = zxingcpp.read_barcodes(pixels, formats=zxingcpp.BarcodeFormat.QRCode)
    return [code.text for code in found]
