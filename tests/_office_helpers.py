"""A small town on disk for the office workflow tests (new-month, import, preview).

The town is a `towns.Town` (the one builder of test towns); its files name villages by 村名 and
are saved as Excel does (UTF-8 with BOM, CRLF).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from towns import Town, one_flag_rules
from towns import excel_bytes as csv_bytes

from generator.layout import scores_path

# villages.csv order deliberately mixes the grids, by name and by id: templates list them grid
# by grid.
VILLAGES = [
    ("E1", "东山村", "东片网格", "", ""),
    ("W1", "西湖村", "west", "", ""),
    ("E2", "梅林村", "东片网格", "", ""),
    ("W2", "枫林村", "west", "", "2024-02"),
    ("E3", "桃源村", "东片网格", "", ""),
    ("W3", "新苑村", "west", "2024-02", ""),
]


def office_town() -> Town:
    """Two grids of three villages (one leaves, one joins in 2024-02); one red and one yellow
    flag per grid and category."""
    return Town(
        villages=[(vid, grid, start, end) for vid, _, grid, start, end in VILLAGES],
        names={vid: name for vid, name, *_ in VILLAGES},
        grids=[("east", "东片网格"), ("west", "西片网格")],
        categories=[
            ("party", "党建引领发展", "monthly"),
            ("home", "和美家园建设", "monthly"),
            ("pledge", "创业承诺践行", "optional"),
            ("integrity", "党风廉政建设", "annual"),
        ],
        rules=one_flag_rules(),
        by="村名",
        encoding="utf-8-sig",
    )


TOWN_TOML = office_town().toml()


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def write_town(
    root: Path,
    months: dict[str, list[list[str]]] | None = None,
    events: dict[str, list[list[str]]] | None = None,
) -> Path:
    """Write scores/ under `root`: town.toml, villages.csv, and the given months' files (rows
    as the office typed them: a header, then one row per village by 村名)."""
    town = office_town()
    ids = {name: vid for vid, name in town.names.items()}
    for month, (header, *body) in (months or {}).items():
        town.month(month, {ids[name]: values for name, *values in body}, header[1:])
    for month, rows in (events or {}).items():
        for name, *event in rows:
            town.event(month, ids[name], *event)
    scores = root / "scores"
    scores.mkdir(parents=True)
    return town.write(scores)


def write_month(scores: Path, month: str, rows: list[list[str]]) -> Path:
    """A month's file holding exactly these rows."""
    path = scores / scores_path(month)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_bytes(rows))
    return path


# Two months of the small town, used by the preview and import tests.
JANUARY = [
    ["村名", "党建引领发展", "和美家园建设"],
    ["东山村", "90", "80"],
    ["梅林村", "85", "85"],
    ["桃源村", "80", "90"],
    ["西湖村", "88", "70"],
    ["枫林村", "92", ""],
]
FEBRUARY = [
    ["村名", "党建引领发展", "和美家园建设", "创业承诺践行"],
    ["东山村", "95", "80", "70"],
    ["梅林村", "85", "85", "80"],
    ["桃源村", "75", "90", "90"],
    ["西湖村", "80", "78.5", "60"],
    ["枫林村", "92", "78.5", "80"],
    ["新苑村", "85", "88", ""],
]
FEBRUARY_EVENTS = [
    ["梅林村", "现场会", "和美家园建设", "", "承办区级美丽乡村现场会"],
    ["枫林村", "一票否决", "", "", "发生安全生产责任事故"],
    ["西湖村", "加分", "党建引领发展", "10", "党建工作获市级表彰"],
]
