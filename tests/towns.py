"""The one builder of towns for tests: a scores folder (or in-memory files) from compact specs.

`Town` holds what the office would commit — town.toml, villages.csv, period, events and annual
files — and renders it with `files()`, `write(folder)`, `load()` or `compute()`. The history,
office and site helpers describe their towns with it; property tests draw them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.demo import excel_csv
from generator.layout import TOWN_FILE, VILLAGES_FILE, annual_path, events_path, scores_path
from generator.load import Dataset, load_files
from generator.rules import Results, compute


def one_flag_rules() -> list[dict]:
    """One red and one yellow flag per grid and category from 2024-01, money in two tiers: a
    single score decides who is flagged (the history and office tests' towns)."""
    return [
        {
            "from": "2024-01",
            "red_count": 1,
            "yellow_count": 1,
            "reward_tiers": [1000, 3000],
            "penalty_tiers": [1000, 3000],
        }
    ]


def excel_bytes(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    """A CSV file as Excel saves it: UTF-8 with BOM (or the given encoding), CRLF, quoting."""
    return excel_csv(rows, encoding)


# A compact category set keeps hand-made towns readable: two monthly, one optional, one annual.
CATEGORIES = [
    ("a", "甲项", "monthly"),
    ("b", "乙项", "monthly"),
    ("opt", "可选项", "optional"),
    ("yr", "年度项", "annual"),
]
EVENTS_COLUMNS = ["事件", "类别", "分值", "说明"]


@dataclass
class Town:
    """A town under construction; `files()` renders it as the office would commit it.

    Villages are keyed by id everywhere; `by` says whether the files name them by 编号 (id) or
    村名 (`names`, default "<id>村"). Grids are ids ("g1", named "g1网格") or (id, name) pairs;
    a village's grid is written into villages.csv as given, so it may be an id or a name.
    """

    villages: list[tuple] = field(default_factory=list)  # (id, grid[, start, end])
    periods: dict[str, dict[str, list]] = field(default_factory=dict)  # month → id → scores
    columns: dict[str, list[str]] = field(default_factory=dict)  # month → category names
    events: dict[str, list[tuple]] = field(
        default_factory=dict
    )  # month → (id, 事件, 类别, 分值, 说明)
    annual: dict[str, dict[str, list]] = field(default_factory=dict)
    grids: list[str | tuple[str, str]] = field(default_factory=lambda: ["g1", "g2"])
    categories: list[tuple] = field(default_factory=lambda: list(CATEGORIES))
    rules: list[dict] = field(default_factory=lambda: [{"from": "2020-01"}])
    name: str = "测试镇"
    names: dict[str, str] = field(default_factory=dict)  # village id → 村名
    by: str = "编号"  # the first column of period, events and annual files: 编号 or 村名
    encoding: str = "utf-8"  # of the CSV files: utf-8, utf-8-sig (as Excel saves) or gbk

    def grid(self, grid: str, scores_by_village: dict[str, list]) -> Town:
        for village_id in scores_by_village:
            if all(v[0] != village_id for v in self.villages):
                self.villages.append((village_id, grid))
        return self

    def month(self, month: str, scores: dict, columns: list[str] | None = None) -> Town:
        """Scores by village id: a list per column, or one number for 甲项 (乙项 left empty)."""
        self.periods[month] = {
            vid: values if isinstance(values, list) else [values, None]
            for vid, values in scores.items()
        }
        self.columns[month] = columns or ["甲项", "乙项"]
        for village_id in scores:
            if all(v[0] != village_id for v in self.villages):
                self.villages.append((village_id, self._grid_id(self.grids[0])))
        return self

    def event(
        self,
        month: str,
        village_id: str,
        kind: str,
        category: str = "",
        value="",
        note: str = "说明",
    ) -> Town:
        self.events.setdefault(month, []).append((village_id, kind, category, value, note))
        return self

    def name_of(self, village_id: str) -> str:
        return self.names.get(village_id, f"{village_id}村")

    def key(self, village_id: str) -> str:
        """How the files name a village: its id, or its name."""
        return village_id if self.by == "编号" else self.name_of(village_id)

    def table(self, month: str) -> list[list]:
        """A period file's rows, values as given (None for an empty cell)."""
        rows = [[self.by, *self.columns[month]]]
        return rows + [[self.key(vid), *values] for vid, values in self.periods[month].items()]

    def files(self) -> dict[str, bytes]:
        files = {TOWN_FILE: self.toml().encode(), VILLAGES_FILE: self.villages_csv()}
        for month in self.periods:
            files[scores_path(month)] = self.csv(self.table(month))
        for month, events in self.events.items():
            rows = [[self.key(vid), *rest] for vid, *rest in events]
            files[events_path(month)] = self.csv([[self.by, *EVENTS_COLUMNS], *rows])
        annual = next((c[1] for c in self.categories if c[2] == "annual"), "年度项")
        for year, scores in self.annual.items():
            rows = [[self.key(vid), *values] for vid, values in scores.items()]
            files[annual_path(year)] = self.csv([[self.by, annual], *rows])
        return files

    def csv(self, rows: list[list]) -> bytes:
        return excel_csv(rows, self.encoding)

    def toml(self) -> str:
        lines = [f'town = "{self.name}"']
        for grid in self.grids:
            grid_id = self._grid_id(grid)
            name = grid[1] if isinstance(grid, tuple) else f"{grid}网格"
            lines += ["[[grids]]", f'id = "{grid_id}"', f'name = "{name}"']
        for cid, name, kind, *full_marks in self.categories:
            lines += ["[[categories]]", f'id = "{cid}"', f'name = "{name}"', f'kind = "{kind}"']
            lines += [f"full_marks = {value}" for value in full_marks]
        for rule in self.rules:
            lines.append("[[rules]]")
            lines += [f"{k} = {_toml(v)}" for k, v in rule.items()]
        return "\n".join(lines) + "\n"

    def villages_csv(self) -> bytes:
        rows = [["编号", "村名", "网格", "起始月份", "终止月份"]]
        for village in self.villages:
            vid, grid, start, end = (*village, None, None)[:4]
            rows.append([vid, self.name_of(vid), grid, start or "", end or ""])
        return self.csv(rows)

    @staticmethod
    def _grid_id(grid: str | tuple[str, str]) -> str:
        return grid[0] if isinstance(grid, tuple) else grid

    def write(self, root: Path) -> Path:
        for relative, data in self.files().items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return root

    def load(self) -> Dataset:
        return load_files(self.files())

    def compute(self) -> Results:
        return compute(self.load())


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    """Cells joined as given, no quoting: for files that must hold exactly these bytes."""
    return ("\r\n".join(",".join(row) for row in rows) + "\r\n").encode(encoding)


def _toml(value) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


def flag_of(results: Results, period: str, village_id: str, category: str = "a") -> str:
    """'red', 'yellow', '' (scored, no flag) or None (no row)."""
    rows = results.flags[
        (results.flags["period"] == period)
        & (results.flags["village_id"] == village_id)
        & (results.flags["category"] == category)
    ]
    return None if rows.empty else rows.iloc[0]["flag"]


def flags_by_village(results: Results, period: str, category: str = "a") -> dict[str, str]:
    rows = results.flags[
        (results.flags["period"] == period) & (results.flags["category"] == category)
    ]
    return dict(zip(rows["village_id"], rows["flag"], strict=True))


def actions_of(results: Results, village_id: str) -> list[tuple[str, str]]:
    rows = results.actions[results.actions["village_id"] == village_id]
    return sorted(zip(rows["period"], rows["action"], strict=True))
