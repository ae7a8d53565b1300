"""The office's files → a validated Dataset (model + tidy DataFrames), or every problem found."""

from __future__ import annotations

import re
from pathlib import Path

from . import labels
from .cells import Table, read_rows  # noqa: F401  (read_rows is part of the loading API)
from .dataset import Dataset, PeriodFile, event_frame, score_frame
from .eventfile import EventFileChecks
from .filecheck import Layout
from .model import MONTH_RE, VILLAGE_ID_RE, Village
from .problems import InvalidData, Problem
from .scorefile import ScoreFileChecks
from .townfile import parse_town

__all__ = ["Dataset", "PeriodFile", "load", "load_files", "read_rows"]

_PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})\.csv$")
_EVENTS_RE = re.compile(r"^(\d{4})-(\d{2})\.events\.csv$")
_ANNUAL_RE = re.compile(r"^(\d{4})-annual\.csv$")
_IGNORED_RE = re.compile(r"(^|/)(\.|readme)|\.md$", re.IGNORECASE)


def load(scores_dir: Path) -> Dataset:
    """Read and validate a scores folder; raise InvalidData listing every problem."""
    scores_dir = Path(scores_dir)
    prefix = scores_dir.as_posix().rstrip("/") or "."
    if not scores_dir.is_dir():
        raise InvalidData(
            [
                Problem(
                    prefix,
                    None,
                    None,
                    "missing_folder",
                    "找不到评分数据文件夹,请检查 --scores 参数",
                )
            ]
        )
    files = {
        path.relative_to(scores_dir).as_posix(): path.read_bytes()
        for path in sorted(scores_dir.rglob("*"))
        if path.is_file()
    }
    return load_files(files, prefix)


def load_files(files: dict[str, bytes], prefix: str = "scores") -> Dataset:
    """Validate in-memory files keyed by their path inside the scores folder."""
    return _Loader(files, prefix).run()


class _Loader(ScoreFileChecks, EventFileChecks):
    def run(self) -> Dataset:
        layout = self._layout()
        self._town()
        self._villages()
        if self.town is None or self.problems:
            raise InvalidData(self.problems)
        scores, period_files = self._periods(layout)
        events = self._events(layout, scores, period_files)
        annual, annual_files = self._annuals(layout)
        if self.problems:
            raise InvalidData(self.problems)
        return Dataset(
            prefix=self.prefix,
            town=self.town,
            villages=tuple(self.villages),
            periods=tuple(sorted(period_files)),
            period_files=period_files,
            annual_files=annual_files,
            scores=score_frame(scores, "period"),
            events=event_frame(events),
            annual=score_frame(annual, "year"),
        )

    # -- layout ----------------------------------------------------------------

    def _layout(self) -> Layout:
        layout = Layout()
        for relative in sorted(self.files):
            if relative in ("town.toml", "villages.csv") or _IGNORED_RE.search(relative):
                continue
            self._place(relative, layout)
        for month in sorted(set(layout.events) - set(layout.periods)):
            self.problem(
                layout.events[month],
                None,
                None,
                "events_without_scores",
                f"有事件文件但没有 {month} 的评分文件 {month}.csv,请补上评分文件或删除事件文件",
            )
        return layout

    def _place(self, relative: str, layout: Layout) -> None:
        folder, _, filename = relative.rpartition("/")
        for pattern, target in (
            (_PERIOD_RE, layout.periods),
            (_EVENTS_RE, layout.events),
            (_ANNUAL_RE, layout.annual),
        ):
            match = pattern.match(filename)
            if not match:
                continue
            key = "-".join(match.groups())
            if pattern is not _ANNUAL_RE and not MONTH_RE.match(key):
                self.problem(
                    relative,
                    None,
                    None,
                    "bad_file_name",
                    f"文件名中的月份 {key} 不是有效月份,请命名为 YYYY-MM.csv,例如 2024-03.csv",
                )
            elif folder != match.group(1):
                self.problem(
                    relative,
                    None,
                    None,
                    "month_mismatch",
                    f"文件名的年份是 {match.group(1)},但它在「{folder or '根目录'}」文件夹中,"
                    f"请移到 {self.prefix}/{match.group(1)}/ 文件夹",
                )
            else:
                target[key] = relative
            return
        hint = (
            "请另存为 CSV 文件后再提交"
            if filename.lower().endswith((".xls", ".xlsx", ".et", ".ods"))
            else "评分文件应命名为 YYYY/YYYY-MM.csv、YYYY/YYYY-MM.events.csv 或 YYYY/YYYY-annual.csv"
        )
        self.problem(relative, None, None, "unexpected_file", f"不认识的文件,{hint}")

    # -- town.toml and villages.csv ----------------------------------------------

    def _town(self) -> None:
        if "town.toml" not in self.files:
            self.problem(
                "town.toml",
                None,
                None,
                "missing_file",
                "缺少 town.toml(镇名、网格、评比项目、规则)",
            )
            return
        self.town, problems = parse_town(self.files["town.toml"], self.name("town.toml"))
        self.problems += problems

    def _villages(self) -> None:
        relative = "villages.csv"
        if relative not in self.files:
            self.problem(relative, None, None, "missing_file", "缺少 villages.csv(编号,村名,网格)")
            return
        table = self._table(relative)
        if table is None:
            return
        columns = self._fixed_columns(
            relative,
            table,
            labels.VILLAGE_COLUMNS,
            labels.VILLAGE_COLUMNS[:3],
            "villages.csv 的表头应为 编号,村名,网格[,起始月份,终止月份]",
        )
        if columns is None:
            return
        for row, cells in table.rows:
            values = {header: cells[i] for header, i in columns.items()}
            village = self._village(relative, row, values)
            if village:
                self.villages.append(village)
                self.by_id[village.id] = village
                self.by_name[village.name] = village

    def _village(self, relative: str, row: int, values: dict[str, str]) -> Village | None:
        ok = True

        def bad(column: str, code: str, message: str) -> None:
            nonlocal ok
            ok = False
            self.problem(relative, row, column, code, message)

        village_id, name, grid_key = values["编号"], values["村名"], values["网格"]
        if not VILLAGE_ID_RE.match(village_id):
            bad(
                "编号",
                "bad_id",
                f"编号「{village_id}」无效,只能用英文字母、数字和 -(例如 330110101201)",
            )
        elif village_id in self.by_id:
            bad("编号", "duplicate_id", f"编号 {village_id} 重复,每个村的编号必须不同")
        if not name:
            bad("村名", "missing_name", "村名不能为空")
        elif name in self.by_name:
            bad("村名", "duplicate_name", f"村名「{name}」重复,每个村的名称必须不同")
        grid = self.town.grid_by_key(grid_key) if self.town else None
        if self.town and grid is None:
            known = "、".join(g.name for g in self.town.grids)
            bad("网格", "unknown_grid", f"网格「{grid_key}」不在 town.toml 中,请填写:{known}")
        start, end = values.get("起始月份", ""), values.get("终止月份", "")
        for column, month in (("起始月份", start), ("终止月份", end)):
            if month and not MONTH_RE.match(month):
                bad(column, "bad_month", f"「{month}」不是有效月份,请写成 YYYY-MM,例如 2024-03")
        if ok and start and end and start > end:
            bad("终止月份", "bad_month", f"终止月份 {end} 早于起始月份 {start},请检查")
        if not ok:
            return None
        return Village(
            id=village_id,
            name=name,
            grid=grid.id if grid else grid_key,
            start=start or None,
            end=end or None,
        )
