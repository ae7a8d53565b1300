"""The faster ways issue 21 gave the site build, held to the plain definitions they replace, and
bench/same_site.py, which the work checks byte-identical output with."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from same_site import differences

from generator.site.poster import lines, sheets
from generator.site.qr import BORDER, _row_runs


def plain_sheets(rows: list[dict], room: int) -> list[list[dict]]:
    """As poster.sheets says, each sheet's lines recounted: a new sheet when the row would not
    fit, or when the sheet holds its even share of the lines already."""
    share = -(-lines(rows) // max(1, -(-lines(rows) // room)))
    found: list[list[dict]] = [[]]
    for row in rows:
        if found[-1] and (lines(found[-1] + [row]) > room or lines(found[-1]) >= share):
            found.append([])
        found[-1].append(row)
    return found


names = st.text(alphabet="东西南北上下村塘", min_size=1, max_size=7)


@given(st.lists(names, max_size=60), st.integers(1, 31))
def test_sheets_are_cut_where_recounting_each_sheet_cuts_them(village_names, room):
    rows = [{"village": {"name": name}} for name in village_names]
    assert sheets(rows, room) == plain_sheets(rows, room)


def plain_runs(y: int, row: bytearray) -> str:
    """As qr._row_runs was: a step per module."""
    out, x, width = [], 0, len(row)
    while x < width:
        if row[x]:
            start = x
            while x < width and row[x]:
                x += 1
            out.append(f"M{start + BORDER} {y}h{x - start}v1h-{x - start}z")
        else:
            x += 1
    return "".join(out)


@given(st.integers(0, 200), st.lists(st.sampled_from([0, 1]), max_size=80))
def test_a_qr_row_s_dark_runs_are_the_module_by_module_ones(y, modules):
    row = bytearray(modules)
    assert _row_runs(y, row) == plain_runs(y, row)


def test_a_row_of_dark_modules_is_one_run_and_a_light_one_none():
    assert _row_runs(0, bytearray([1, 1, 1])) == f"M{BORDER} 0h3v1h-3z"
    assert _row_runs(5, bytearray([0, 0])) == ""


def test_same_site_finds_files_missing_added_or_changed(tmp_path):
    before, after = tmp_path / "before", tmp_path / "after"
    for root in (before, after):
        (root / "a" / "b").mkdir(parents=True)
        (root / "a" / "b" / "index.html").write_bytes(b"<p>\xe6\x9d\x91</p>")
    assert differences(before, after) == ([], [], [], 1)
    (before / "gone.css").write_text("x")
    (after / "a" / "new.html").write_text("y")
    (after / "a" / "b" / "index.html").write_bytes(b"<p>\xe6\x9d\x91</p>\n")
    gone, added, changed, count = differences(before, after)
    assert (gone, added, changed, count) == (["gone.css"], ["a/new.html"], ["a/b/index.html"], 2)
