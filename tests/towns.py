"""Small hand-made towns for tests: write a scores folder (or in-memory files) from compact specs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.load import Dataset, load_files
from generator.rules import Results, compute

# A compact category set keeps hand-made towns readable: two monthly, one optional, one annual.
CATEGORIES = [
    ("a", "甲项", "monthly"),
    ("b", "乙项", "monthly"),
    ("opt", "可选项", "optional"),
    ("yr", "年度项", "annual"),
]


@dataclass
class Town:
    """A town under construction; `files()` renders it as the office would commit it."""

    villages: list[tuple] = field(default_factory=list)  # (id, grid[, start, end])
    periods: dict[str, dict[str, list]] = field(default_factory=dict)  # month → id → scores
    columns: dict[str, list[str]] = field(default_factory=dict)  # month → category names
    events: dict[str, list[tuple]] = field(
        default_factory=dict
    )  # month → (id, 事件, 类别, 分值, 说明)
    annual: dict[str, dict[str, list]] = field(default_factory=dict)
    grids: list[str] = field(default_factory=lambda: ["g1", "g2"])
    categories: list[tuple] = field(default_factory=lambda: list(CATEGORIES))
    rules: list[dict] = field(default_factory=lambda: [{"from": "2020-01"}])

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
                self.villages.append((village_id, self.grids[0]))
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

    def files(self) -> dict[str, bytes]:
        files = {"town.toml": self.toml().encode(), "villages.csv": self.villages_csv().encode()}
        for month, scores in self.periods.items():
            rows = [["编号", *self.columns[month]]]
            rows += [[vid, *map(_text, values)] for vid, values in scores.items()]
            files[f"{month[:4]}/{month}.csv"] = csv_bytes(rows)
        for month, events in self.events.items():
            rows = [
                ["编号", "事件", "类别", "分值", "说明"],
                *[list(map(_text, e)) for e in events],
            ]
            files[f"{month[:4]}/{month}.events.csv"] = csv_bytes(rows)
        for year, scores in self.annual.items():
            rows = [
                ["编号", "年度项"],
                *[[vid, *map(_text, values)] for vid, values in scores.items()],
            ]
            files[f"{year}/{year}-annual.csv"] = csv_bytes(rows)
        return files

    def toml(self) -> str:
        lines = ['town = "测试镇"']
        for grid in self.grids:
            lines += ["[[grids]]", f'id = "{grid}"', f'name = "{grid}网格"']
        for cid, name, kind, *full_marks in self.categories:
            lines += ["[[categories]]", f'id = "{cid}"', f'name = "{name}"', f'kind = "{kind}"']
            lines += [f"full_marks = {value}" for value in full_marks]
        for rule in self.rules:
            lines.append("[[rules]]")
            lines += [f"{k} = {_toml(v)}" for k, v in rule.items()]
        return "\n".join(lines) + "\n"

    def villages_csv(self) -> str:
        lines = ["编号,村名,网格,起始月份,终止月份"]
        for village in self.villages:
            vid, grid, start, end = (*village, None, None)[:4]
            lines.append(f"{vid},{vid}村,{grid},{start or ''},{end or ''}")
        return "\n".join(lines) + "\n"

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
    return ("\r\n".join(",".join(row) for row in rows) + "\r\n").encode(encoding)


def _text(value) -> str:
    return "" if value is None else str(value)


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
