"""QR codes (generator/site/qr.py) read back by zxing-cpp from their own SVG path, drawn
module by module: every address of a site, short or long, decodes to itself with the fixed
mask, and the SVG draws exactly segno's matrix."""

from __future__ import annotations

import re

import numpy as np
import pytest
import segno
import zxingcpp

from generator.site.qr import BORDER, MASK, qr_svg

RUN = re.compile(r"M(\d+) (\d+)h(\d+)v1h-\d+z")
PIXELS = 4  # per module


def raster(svg: str) -> np.ndarray:
    """The SVG's dark runs painted on white, PIXELS a module."""
    size = int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))
    modules = np.ones((size, size), dtype=np.uint8)
    for x, y, width in (map(int, m) for m in RUN.findall(svg)):
        modules[y, x : x + width] = 0
    return np.kron(modules, np.ones((PIXELS, PIXELS), dtype=np.uint8)) * 255


ADDRESSES = [
    "https://hm.example.cn/",
    "https://hm.example.cn/2024/06/",
    "https://hm.example.cn/2024/06/g17/",
    "http://192.168.1.20:8000/2015/01/east/",
    "https://example.github.io/flagboard-" + "x" * 60 + "/2024/12/north/",
    "https://花木镇.example.cn/%E8%8A%B1/2024/06/",
]


@pytest.mark.parametrize("url", ADDRESSES)
def test_a_code_decodes_to_its_address(url):
    found = zxingcpp.read_barcodes(raster(str(qr_svg(url, "码"))))
    assert [r.text for r in found] == [url]


@pytest.mark.parametrize("url", ADDRESSES[:3])
def test_the_svg_draws_segno_s_matrix_with_the_fixed_mask(url):
    code = segno.make_qr(url, error="m", boost_error=False, mask=MASK)
    assert code.mask == MASK
    drawn = raster(str(qr_svg(url, "码")))[::PIXELS, ::PIXELS] == 0
    inner = drawn[BORDER:-BORDER, BORDER:-BORDER]
    assert (inner == np.array([list(row) for row in code.matrix], dtype=bool)).all()
    assert not drawn[:BORDER].any() and not drawn[:, -BORDER:].any()
