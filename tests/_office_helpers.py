"""A small town on disk for the office workflow tests (new-month, import, preview)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

TOWN_TOML = """\
town = "测试镇"

[[grids]]
id = "east"
name = "东片网格"

[[grids]]
id = "west"
name = "西片网格"

[[categories]]
id = "party"
name = "党建引领发展"
kind = "monthly"

[[categories]]
id = "home"
name = "和美家园建设"
kind = "monthly"

[[categories]]
id = "pledge"
name = "创业承诺践行"
kind = "optional"

[[categories]]
id = "integrity"
name = "党风廉政建设"
kind = "annual"

[[rules]]
from = "2024-01"
red_count = 1
yellow_count = 1
reward_tiers = [1000, 3000]
penalty_tiers = [1000, 3000]
"""

# villages.csv order deliberately mixes the grids: templates list them grid by grid.
VILLAGES = [
    ("E1", "东山村", "东片网格", "", ""),
    ("W1", "西湖村", "west", "", ""),
    ("E2", "梅林村", "东片网格", "", ""),
    ("W2", "枫林村", "west", "", "2024-02"),
    ("E3", "桃源村", "东片网格", "", ""),
    ("W3", "新苑村", "west", "2024-02", ""),
]


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def write_town(
    root: Path,
    months: dict[str, list[list[str]]] | None = None,
    events: dict[str, list[list[str]]] | None = None,
) -> Path:
    """Write scores/ under `root`: town.toml, villages.csv, and the given months' files."""
    scores = root / "scores"
    scores.mkdir(parents=True)
    (scores / "town.toml").write_text(TOWN_TOML, encoding="utf-8")
    header = ["编号", "村名", "网格", "起始月份", "终止月份"]
    (scores / "villages.csv").write_bytes(csv_bytes([header, *map(list, VILLAGES)]))
    for month, rows in (months or {}).items():
        write_month(scores, month, rows)
    for month, rows in (events or {}).items():
        path = scores / month[:4] / f"{month}.events.csv"
        path.write_bytes(csv_bytes([["村名", "事件", "类别", "分值", "说明"], *rows]))
    return scores


def write_month(scores: Path, month: str, rows: list[list[str]]) -> Path:
    path = scores / month[:4] / f"{month}.csv"
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
