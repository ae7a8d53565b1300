"""Checks of the period and annual score files; they fill the score frames."""

from __future__ import annotations

from collections.abc import Callable

from generator.load.cells import Table
from generator.load.dataset import SCORE_COLUMNS, PeriodFile
from generator.load.filecheck import FileChecker, Layout
from generator.model import Category, Village
from generator.problems import quote


class ScoreFileChecks(FileChecker):
    def _periods(self, layout: Layout) -> tuple[dict, dict[str, PeriodFile]]:
        frames = {"period": [], **{k: [] for k in SCORE_COLUMNS}}
        period_files: dict[str, PeriodFile] = {}
        for month, relative in sorted(layout.periods.items()):
            columns = self._period(month, relative, frames)
            if columns is not None:
                events = layout.events.get(month)
                period_files[month] = PeriodFile(
                    month,
                    self.name(relative),
                    tuple(c.id for c in columns),
                    self.name(events) if events else None,
                    relative,
                    events,
                )
        return frames, period_files

    def _period(self, month: str, relative: str, frames: dict) -> list[Category] | None:
        if self.town.rule_for(month) is None:
            first = min(r.from_ for r in self.town.rules)
            self.problem(
                relative,
                None,
                None,
                "no_rule_version",
                f"{month} 早于所有规则版本(最早从 {first} 起),请在 town.toml 中添加适用的 [[rules]]",
            )
        table = self._table(relative)
        key = self._key_column(relative, table) if table else None
        if key is None:
            return None

        def allowed(category: Category) -> str | None:
            if category.kind == "annual":
                return f"「{category.name}」是年度评比项目,请填在 {month[:4]}-annual.csv 中"
            if not category.in_force(month):
                return (
                    f"「{category.name}」在 {month} 不评比(见 town.toml 的 from/until),请删除这一列"
                )
            return None

        columns = self._category_columns(relative, table, key, allowed)
        present = {c.id for _, c in columns}
        for category in self.town.categories:
            if (
                category.kind == "monthly"
                and category.in_force(month)
                and category.id not in present
                and category.name not in table.header
            ):
                self.problem(
                    relative,
                    table.header_row,
                    category.name,
                    "missing_column",
                    f"缺少「{category.name}」列,每月必评项目都要有一列(未参评的村留空)",
                )
        seen, scored = self._score_rows(
            relative,
            table,
            key,
            columns,
            frames,
            month,
            active=lambda v: v.active_in(month),
            inactive=f"在 {month} 不在评比范围内(见 villages.csv 的起始/终止月份)",
        )
        self._missing_villages(relative, key, seen, lambda v: v.active_in(month), month)
        self._blank(relative, table, scored, "error")
        return [c for _, c in columns]

    def _blank(self, relative: str, table: Table, scored: int, severity: str) -> None:
        """A file without a single score is a blank template committed by mistake: an error for
        a month (it would publish a month without flags), a warning for a year's annual file."""
        if scored or self.has_problems(relative):
            return
        self.problem(
            relative,
            table.header_row,
            None,
            "blank_period",
            "这个文件里没有任何分数(像是误提交的空白表):请填好分数再提交;"
            "如果本期确实不评比,请删除这个文件",
            severity=severity,
        )

    # -- annual -----------------------------------------------------------------------

    def _annuals(self, layout: Layout) -> tuple[dict, dict[str, PeriodFile]]:
        frames = {"year": [], **{k: [] for k in SCORE_COLUMNS}}
        annual_files: dict[str, PeriodFile] = {}
        for year, relative in sorted(layout.annual.items()):
            columns = self._annual(year, relative, frames)
            if columns is not None:
                annual_files[year] = PeriodFile(
                    year, self.name(relative), tuple(c.id for c in columns), relative=relative
                )
        return frames, annual_files

    def _annual(self, year: str, relative: str, frames: dict) -> list[Category] | None:
        if self.town.rule_for(f"{year}-12") is None:
            self.problem(
                relative,
                None,
                None,
                "no_rule_version",
                f"{year} 年12月没有适用的规则版本,请在 town.toml 中添加 [[rules]]",
            )
        table = self._table(relative)
        key = self._key_column(relative, table) if table else None
        if key is None:
            return None

        def allowed(category: Category) -> str | None:
            if category.kind != "annual":
                return f"「{category.name}」是每月评比项目,请填在当月的评分文件中"
            if not category.in_force_in_year(year):
                return f"「{category.name}」在 {year} 年不评比(见 town.toml 的 from/until),请删除这一列"
            return None

        columns = self._category_columns(relative, table, key, allowed)
        if not columns and not any(p.file == self.name(relative) for p in self.problems):
            self.problem(
                relative,
                table.header_row,
                None,
                "missing_column",
                "年度评分文件至少要有一个年度评比项目列",
            )
        _, scored = self._score_rows(
            relative,
            table,
            key,
            columns,
            frames,
            year,
            active=lambda v: v.active_in_year(year),
            inactive=f"在 {year} 年不在评比范围内",
        )
        self._blank(relative, table, scored, "warning")
        return [c for _, c in columns]

    def _score_rows(
        self,
        relative: str,
        table: Table,
        key: str,
        columns: list[tuple[int, Category]],
        frames: dict,
        when: str,
        active: Callable[[Village], bool],
        inactive: str,
    ) -> tuple[dict[str, int], int]:
        """Check each village row and append its cells to `frames`; return the villages seen
        and how many cells hold a score."""
        rows = {k: [] for k in SCORE_COLUMNS}
        seen: dict[str, int] = {}
        for row, cells in table.rows:
            village = self._find_village(relative, row, key, cells[0], seen)
            if village is None:
                continue
            if not active(village):
                self.problem(
                    relative,
                    row,
                    key,
                    "inactive_village",
                    f"「{quote(cells[0])}」{inactive},请删除这一行",
                )
            self._check_identity(relative, table, row, cells, village)
            self._score_cells(relative, table, row, cells, columns, village, rows)
        when_column = "period" if "period" in frames else "year"
        frames[when_column] += [when] * len(rows["village_id"])
        for k in SCORE_COLUMNS:
            frames[k] += rows[k]
        return seen, sum(cell is not None for cell in rows["cell"])

    # -- across periods --------------------------------------------------------------------

    def _same_as_before(self, frames: dict, period_files: dict[str, PeriodFile]) -> None:
        """Warn when a period's scores all equal the previous period's (a copied file)."""
        cells: dict[str, dict] = {}
        for period, village, category, cell in zip(
            frames["period"], frames["village_id"], frames["category"], frames["cell"], strict=True
        ):
            cells.setdefault(period, {})[village, category] = cell
        previous = None
        for period in sorted(period_files):
            current = cells.get(period, {})
            if (
                previous
                and current == cells.get(previous)
                and any(v is not None for v in current.values())
            ):
                self.problem(
                    period_files[period].relative,
                    None,
                    None,
                    "same_as_previous",
                    f"本期的分数与上一期 {previous} 完全相同:是否复制了上一期的文件却忘了改分数?"
                    "请核对;如果确实相同,可以不理会这条提醒",
                    severity="warning",
                )
            previous = period
