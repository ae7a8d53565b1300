"""Changes between two versions of a period's files, without git: bytes in, change records out."""

from __future__ import annotations

import random

import pytest
from _history_helpers import (
    HEADER,
    MARCH,
    TOWN_TOML,
    VILLAGES,
    csv_bytes,
    period_rows,
    villages_csv,
)

from generator.history.changes import (
    Names,
    changed_lines,
    event_changes,
    file_kind,
    file_role,
    read_events,
    read_names,
    read_sheet,
    sheet_changes,
)

NAMES = read_names(villages_csv(), TOWN_TOML.encode(), key=("v", "t"))
EVENTS_HEADER = "村名,事件,类别,分值,说明\n"


def diff(old: bytes, new: bytes, names: Names = NAMES) -> list[str]:
    changes = sheet_changes(read_sheet(old, names), read_sheet(new, names), names)
    return [c.text for part in ("columns", "rows", "cells") for c in changes[part]]


def event_diff(old: str, new: str) -> list[str]:
    records = [read_events((EVENTS_HEADER + text).encode(), NAMES) for text in (old, new)]
    return [c.text for c in event_changes(*records, NAMES)]


@pytest.mark.parametrize(
    ("path", "kind", "role"),
    [
        ("town.toml", ("town", None), (None, None)),
        ("villages.csv", ("villages", None), (None, None)),
        ("2024/2024-03.csv", ("period", "2024-03"), ("2024-03", "scores")),
        ("2024-03.csv", ("period", "2024-03"), ("2024-03", "scores")),
        ("2024/2024-03.events.csv", ("events", "2024-03"), ("2024-03", "events")),
        ("2024/2024-annual.csv", ("annual", "2024"), ("2024", "scores")),
        ("README.md", ("other", None), (None, None)),
    ],
)
def test_files_are_known_by_their_names(path, kind, role):
    assert (file_kind(path), file_role(path)) == (kind, role)


def test_names_come_from_villages_csv_and_town_toml():
    assert NAMES.village_ids["东村"] == "V1" and NAMES.village("V1") == "东村"
    assert NAMES.category_id("和美家园建设") == "a" and NAMES.category("a") == "和美家园建设"
    assert NAMES.village("V9") == "V9" and NAMES.category_id("新类别") == "新类别"
    assert read_names(None, None, key=(None, None)) == Names((None, None))


def test_a_changed_cell_is_named_by_village_and_category():
    old = csv_bytes(period_rows(MARCH))
    new = csv_bytes(period_rows({**MARCH, "东村": 85, "西村": None}))
    assert diff(old, new) == ["东村 · 和美家园建设：60 → 85", "西村 · 和美家园建设：90 → 空"]


def test_encoding_row_order_and_cell_clean_up_are_no_change():
    rows = period_rows(MARCH)
    resaved = [rows[0], *reversed(rows[1:])]
    resaved[1] = [f" {resaved[1][0]}\u3000", *[str(v).replace("7", "７") for v in resaved[1][1:]]]
    old, new = csv_bytes(rows), csv_bytes(resaved, "gbk")
    assert old != new and diff(old, new) == []
    assert (
        diff(
            csv_bytes(period_rows({**MARCH, "东村": 85})),
            csv_bytes(period_rows({**MARCH, "东村": 85.0})),
        )
        == []
    )


def test_a_file_keyed_by_id_equals_one_keyed_by_name():
    by_name = period_rows(MARCH)
    ids = dict((name, key) for key, name in VILLAGES)
    by_id = [["编号", *HEADER[1:]], *[[ids[r[0]], *r[1:]] for r in by_name[1:]]]
    assert diff(csv_bytes(by_name), csv_bytes(by_id)) == []


def test_a_header_with_its_full_marks_is_the_same_column():
    """The blank forms write 和美家园建设（100分）: a file saved from one is no new column."""
    rows = period_rows(MARCH)
    marked = [[rows[0][0], *(f"{h}（100分）" for h in rows[0][1:])], *rows[1:]]
    assert diff(csv_bytes(rows), csv_bytes(marked)) == []
    changed = period_rows({**MARCH, "东村": 85})
    changed[0] = marked[0]
    assert diff(csv_bytes(rows), csv_bytes(changed)) == ["东村 · 和美家园建设：60 → 85"]


def test_rows_and_columns_added_or_removed():
    old = period_rows(MARCH)
    new = [[*row, extra] for row, extra in zip(old, ["重点工程攻坚", 1, 2, 3, 4, 5], strict=True)]
    new = [new[0], *new[2:]]
    assert diff(csv_bytes(old), csv_bytes(new)) == ["新增一列：重点工程攻坚", "删除一行：东村"]
    assert diff(csv_bytes(new), csv_bytes(old)) == ["删除一列：重点工程攻坚", "新增一行：东村"]


def test_events_are_compared_as_multisets():
    same = "南村,加分,和美家园建设,2,省级表彰\n"
    assert event_diff(same * 2, same * 2) == []
    assert event_diff(same, same * 2) == ["新增事件：南村 加分 和美家园建设 2（省级表彰）"]
    assert event_diff(same, "东村,现场会,和美家园建设,,观摩\n") == [
        "删除事件：南村 加分 和美家园建设 2（省级表彰）",
        "新增事件：东村 现场会 和美家园建设（观摩）",
    ]
    assert event_diff(same, same.replace(",2,", ",3.0,")) == [
        "修改事件：南村 加分 和美家园建设 2（省级表彰） → 加分 和美家园建设 3（省级表彰）"
    ]


def test_changed_lines_keeps_the_header_and_each_sides_own_lines():
    old = csv_bytes(period_rows(MARCH))
    new = csv_bytes(period_rows({**MARCH, "东村": 85}), "gbk")
    gone, came = changed_lines(old, new)
    assert gone.decode().splitlines() == ["村名,和美家园建设,党建引领发展", "东村,60,88"]
    assert came.decode().splitlines() == ["村名,和美家园建设,党建引领发展", "东村,85,88"]


@pytest.mark.parametrize(
    "new",
    [
        csv_bytes([["村名", "和美家园建设", "党建引领发展"], ["东村", "60", "8,8"]]),  # quoted
        csv_bytes([["村名", "党建引领发展", "和美家园建设"], ["东村", "88", "60"]]),  # header
        csv_bytes([["村名", "和美家园建设", ""], ["东村", "60", ""]]),  # empty column
    ],
)
def test_changed_lines_declines_files_it_cannot_cut_safely(new):
    assert changed_lines(csv_bytes(period_rows(MARCH)), new) is None


def test_comparing_only_changed_lines_gives_the_same_changes_as_whole_files():
    """Random edits the way clerks make them; the fast path must agree with full parsing."""
    rng = random.Random(11)
    scores = {name: [MARCH[name], 80] for _, name in VILLAGES}
    old, fast_paths = csv_bytes(period_rows(MARCH)), 0
    for step in range(60):
        name = rng.choice(list(scores))
        scores[name][rng.randrange(2)] = rng.choice([61, 72.5, 88, "８８", " 90\u3000", None])
        rows = [HEADER, *[[n, *("" if v is None else v for v in vs)] for n, vs in scores.items()]]
        if step % 3 == 0:
            rows[1:] = rng.sample(rows[1:], len(rows) - 1)
        if step % 7 == 0:
            rows = [rows[0], *rows[2:]]
        new = csv_bytes(rows, "gbk" if step % 2 else "utf-8-sig")
        whole = sheet_changes(read_sheet(old, NAMES), read_sheet(new, NAMES), NAMES)
        lines = changed_lines(old, new)
        if lines:
            fast_paths += 1
            cut = sheet_changes(read_sheet(lines[0], NAMES), read_sheet(lines[1], NAMES), NAMES)
            assert cut == whole, step
        old = new
    assert fast_paths > 40
