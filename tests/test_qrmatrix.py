"""The QR matrix of generator/site/qrmatrix.py is segno's, module for module: for every version
(the longest and the shortest text each holds), for any ASCII text segno writes in byte mode and
any mask; and text outside that case is left to segno. segno is the reference here."""

from __future__ import annotations

import string

import pytest
import segno
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.site import qr, qrmatrix
from generator.site.qr import BORDER, MASK, qr_svg


def segno_rows(text: str, mask: int = MASK) -> list[bytes]:
    code = segno.make_qr(text, error="m", boost_error=False, mask=mask)
    assert code.mode == "byte" and code.error == "M" and code.mask == mask
    return [bytes(row) for row in code.matrix]


def byte_capacity(version: int) -> int:
    """The most bytes a byte-mode segment of `version` holds at level M."""
    count_bits = 8 if version < 10 else 16
    return (qrmatrix._data_codewords(version) * 8 - 4 - count_bits) // 8


def address(length: int) -> str:
    """An address-like lower-case text of exactly `length` characters."""
    path = "".join(string.ascii_lowercase[(i * 7) % 26] + "/"[: i % 5 == 0] for i in range(length))
    return ("https://example.org/" + path)[:length]


@pytest.mark.parametrize("version", range(1, 41))
def test_every_version_s_largest_and_smallest_text_gives_segno_s_matrix(version):
    largest = byte_capacity(version)
    smallest = byte_capacity(version - 1) + 1 if version > 1 else 1
    for length in {largest, smallest, max(smallest, largest - 1)}:
        text = address(length) if length > 1 else "a"
        assert segno.make_qr(text, error="m", boost_error=False).version == version
        assert qrmatrix.rows(text, MASK) == segno_rows(text)


# printable ASCII with at least one character outside QR's alphanumeric set (lower case, say)
ascii_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=300)


@settings(max_examples=300, deadline=None)
@given(prefix=ascii_text, letter=st.sampled_from("abcxyz?=&_~"), suffix=ascii_text)
def test_any_byte_mode_ascii_text_gives_segno_s_matrix(prefix, letter, suffix):
    text = prefix + letter + suffix
    assert qrmatrix.rows(text, MASK) == segno_rows(text)


@settings(max_examples=60, deadline=None)
@given(text=st.from_regex(r"https?://[a-z0-9.-]{1,30}(/[a-z0-9_-]{0,12}){0,6}/?", fullmatch=True),
       mask=st.integers(0, 7))  # fmt: skip
def test_any_mask_gives_segno_s_matrix(text, mask):
    assert qrmatrix.rows(text, mask) == segno_rows(text, mask)


@pytest.mark.parametrize(
    "text",
    ["2024", "HTTPS://EXAMPLE.ORG/2024/", "", "https://花木镇.example.cn/", "é", "x" * 2332],
)
def test_text_segno_writes_otherwise_or_not_at_all_is_left_to_segno(text):
    assert qrmatrix.rows(text, MASK) is None


def test_the_svg_of_text_left_to_segno_draws_segno_s_matrix():
    """Upper-case text (segno's alphanumeric mode) still gets its code, from segno."""
    text = "HTTPS://EXAMPLE.ORG/2024/06/"
    matrix = segno.make_qr(text, error="m", boost_error=False, mask=MASK).matrix
    runs = "".join(qr._row_runs(y + BORDER, row) for y, row in enumerate(matrix))
    assert f'd="{runs}"' in qr_svg.__wrapped__(text, "码")
