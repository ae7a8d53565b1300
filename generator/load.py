"""The office's files → a validated Dataset (model + tidy DataFrames), or every problem found."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import labels
from .cells import Table, parse_number, read_rows, read_table  # noqa: F401  (read_rows is API)
from .model import MONTH_RE, VILLAGE_ID_RE, Category, RuleVersion, Town, Village
from .problems import InvalidData, Problem
from .townfile import parse_town

_PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})\.csv$")
_EVENTS_RE = re.compile(r"^(\d{4})-(\d{2})\.events\.csv$")
_ANNUAL_RE = re.compile(r"^(\d{4})-annual\.csv$")
_IGNORED_RE = re.compile(r"(^|/)(\.|readme)|\.md$", re.IGNORECASE)
_SCORE_FRAME = {"village_id": [], "category": [], "cell": []}


@dataclass(frozen=True)
class PeriodFile:
    period: str
    path: str  # as messages name it: the scores folder as given, then the relative path
    categories: tuple[str, ...]  # category ids, in column order
    events_path: str | None = None
    relative: str = ""  # inside the scores folder, e.g. "2024/2024-03.csv"
    events_relative: str | None = None


@dataclass(frozen=True)
class Dataset:
    """Everything the rules need, validated."""

    prefix: str
    town: Town
    villages: tuple[Village, ...]
    periods: tuple[str, ...]
    period_files: dict[str, PeriodFile]
    annual_files: dict[str, PeriodFile]  # keyed by year; PeriodFile.period is the year
    scores: pd.DataFrame  # period, village_id, category, cell (Int64 hundredths, <NA> = 未参评)
    events: pd.DataFrame  # period, village_id, event, category, value, note, file, row
    annual: pd.DataFrame  # year, village_id, category, cell

    def village(self, village_id: str) -> Village:
        return next(v for v in self.villages if v.id == village_id)

    def rule_for(self, period: str) -> RuleVersion:
        rule = self.town.rule_for(period if len(period) == 7 else f"{period}-12")
        assert rule is not None, "validated by load()"
        return rule

    @property
    def years(self) -> tuple[str, ...]:
        return tuple(sorted({p[:4] for p in self.periods} | set(self.annual_files)))

    def summary(self) -> str:
        span = f"({self.periods[0]} 至 {self.periods[-1]})" if self.periods else ""
        return (
            f"{self.town.town},{len(self.town.grids)} 个网格,{len(self.villages)} 个村,"
            f"{len(self.periods)} 个评比月份{span},{len(self.events)} 条事件,"
            f"{len(self.annual_files)} 个年度评比"
        )


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


@dataclass
class _Layout:
    periods: dict[str, str] = field(default_factory=dict)  # month → relative path
    events: dict[str, str] = field(default_factory=dict)
    annual: dict[str, str] = field(default_factory=dict)  # year → relative path


class _Loader:
    def __init__(self, files: dict[str, bytes], prefix: str):
        self.files = files
        self.prefix = prefix
        self.problems: list[Problem] = []
        self.town: Town | None = None
        self.villages: list[Village] = []
        self.by_id: dict[str, Village] = {}
        self.by_name: dict[str, Village] = {}

    def name(self, relative: str) -> str:
        return f"{self.prefix}/{relative}"

    def problem(
        self, relative: str, row: int | None, column: str | None, code: str, message: str
    ) -> None:
        self.problems.append(Problem(self.name(relative), row, column, code, message))

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
            scores=_score_frame(scores, "period"),
            events=_event_frame(events),
            annual=_score_frame(annual, "year"),
        )

    # -- layout ----------------------------------------------------------------

    def _layout(self) -> _Layout:
        layout = _Layout()
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

    def _place(self, relative: str, layout: _Layout) -> None:
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
        columns = self._village_columns(relative, table)
        if columns is None:
            return
        for row, cells in table.rows:
            values = {header: cells[i] for header, i in columns.items()}
            village = self._village(relative, row, values)
            if village:
                self.villages.append(village)
                self.by_id[village.id] = village
                self.by_name[village.name] = village

    def _village_columns(self, relative: str, table: Table) -> dict[str, int] | None:
        columns: dict[str, int] = {}
        for i, header in enumerate(table.header):
            if header not in labels.VILLAGE_COLUMNS:
                self.problem(
                    relative,
                    table.header_row,
                    table.column_label(i),
                    "unknown_column",
                    "不认识的列,villages.csv 只能有 编号、村名、网格、起始月份、终止月份",
                )
            elif header in columns:
                self.problem(
                    relative,
                    table.header_row,
                    header,
                    "duplicate_column",
                    "这一列重复出现,请删除多余的一列",
                )
            else:
                columns[header] = i
        missing = [h for h in labels.VILLAGE_COLUMNS[:3] if h not in columns]
        for header in missing:
            self.problem(
                relative,
                table.header_row,
                header,
                "missing_column",
                f"缺少「{header}」列,表头应为 编号,村名,网格[,起始月份,终止月份]",
            )
        return None if missing else columns

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

    # -- shared table reading ------------------------------------------------------

    def _table(self, relative: str) -> Table | None:
        table, problems = read_table(self.files[relative], self.name(relative))
        self.problems += problems
        return table

    def _key_column(self, relative: str, table: Table) -> str | None:
        key = table.header[0] if table.header else ""
        if key not in (labels.NAME_COLUMN, labels.ID_COLUMN):
            self.problem(
                relative,
                table.header_row,
                table.column_label(0),
                "bad_first_column",
                "第一列的表头必须是「村名」或「编号」",
            )
            return None
        return key

    def _find_village(
        self, relative: str, row: int, key: str, value: str, seen: dict[str, int]
    ) -> Village | None:
        village = (self.by_name if key == labels.NAME_COLUMN else self.by_id).get(value)
        if not value:
            self.problem(relative, row, key, "missing_village", f"{key}为空,请填写")
        elif village is None:
            self.problem(
                relative,
                row,
                key,
                "unknown_village",
                f"「{value}」不在 villages.csv 中,请检查{key}是否写错,新村请先加入 villages.csv",
            )
        elif village.id in seen:
            self.problem(
                relative,
                row,
                key,
                "duplicate_village",
                f"「{value}」重复出现(第{seen[village.id]}行已有),请删除多余的一行",
            )
            return None
        else:
            seen[village.id] = row
        return village

    def _category_columns(
        self, relative: str, table: Table, key: str, allowed: callable
    ) -> list[tuple[int, Category]]:
        """Map headers to categories; `allowed(category)` returns a problem text or None."""
        columns: list[tuple[int, Category]] = []
        seen: set[str] = set()
        assert self.town is not None
        for i, header in enumerate(table.header[1:], start=1):
            label = table.column_label(i)
            category = self.town.category_by_name(header)
            if header in seen:
                self.problem(
                    relative,
                    table.header_row,
                    label,
                    "duplicate_column",
                    "这一列重复出现,请删除多余的一列",
                )
            elif header in labels.VILLAGE_COLUMNS[:3] and header != key:
                pass  # an extra 编号/村名/网格 column helps the clerk; checked row by row
            elif category is None:
                names = "、".join(c.name for c in self.town.categories)
                what = "没有表头" if not header else "不是评比项目"
                self.problem(
                    relative,
                    table.header_row,
                    label,
                    "unknown_column",
                    f"这一列{what},请删除或改为评比项目名称:{names}",
                )
            elif reason := allowed(category):
                self.problem(relative, table.header_row, label, "column_not_allowed", reason)
            else:
                columns.append((i, category))
            seen.add(header)
        return columns

    def _check_identity(
        self, relative: str, table: Table, row: int, cells: list[str], village: Village
    ) -> None:
        """Extra 编号/村名/网格 columns, when present, must agree with villages.csv."""
        expected = {labels.ID_COLUMN: village.id, labels.NAME_COLUMN: village.name}
        for i, header in enumerate(table.header[1:], start=1):
            value = cells[i]
            if not value or header not in labels.VILLAGE_COLUMNS[:3]:
                continue
            if header == labels.GRID_COLUMN:
                grid = self.town.grid_by_key(value)
                if grid is None or grid.id != village.grid:
                    self.problem(
                        relative,
                        row,
                        header,
                        "grid_mismatch",
                        f"「{value}」与 villages.csv 中该村的网格不一致,请核对",
                    )
            elif value != expected[header]:
                self.problem(
                    relative,
                    row,
                    header,
                    "id_name_mismatch",
                    f"「{value}」与 villages.csv 中该村的{header}「{expected[header]}」不一致,请核对",
                )

    def _score_cells(
        self,
        relative: str,
        table: Table,
        row: int,
        cells: list[str],
        columns: list[tuple[int, Category]],
        village: Village,
        out: dict,
    ) -> None:
        for i, category in columns:
            text = cells[i]
            value = self._score(relative, row, table.column_label(i), text, category)
            out["village_id"].append(village.id)
            out["category"].append(category.id)
            out["cell"].append(value)

    def _score(
        self, relative: str, row: int, column: str, text: str, category: Category
    ) -> int | None:
        if not text:
            return None
        full = _points(category.full_marks)
        number = parse_number(text)
        fix = f"请填写0到{full}之间的分数"
        if number.error == "not_a_number":
            self.problem(relative, row, column, "not_a_number", f'"{text}" 不是数字,{fix}')
        elif number.error == "too_many_decimals":
            self.problem(
                relative,
                row,
                column,
                "too_many_decimals",
                f'"{text}" 超过两位小数,请四舍五入到两位小数',
            )
        elif not 0 <= number.hundredths <= round(category.full_marks * 100):
            self.problem(relative, row, column, "out_of_range", f'"{text}" 超出范围,{fix}')
        else:
            return number.hundredths
        return None

    # -- period scores --------------------------------------------------------------

    def _periods(self, layout: _Layout) -> tuple[dict, dict[str, PeriodFile]]:
        frames = {"period": [], **{k: [] for k in _SCORE_FRAME}}
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
        rows = {k: [] for k in _SCORE_FRAME}
        seen: dict[str, int] = {}
        for row, cells in table.rows:
            village = self._find_village(relative, row, key, cells[0], seen)
            if village is None:
                continue
            if not village.active_in(month):
                self.problem(
                    relative,
                    row,
                    key,
                    "inactive_village",
                    f"「{cells[0]}」在 {month} 不在评比范围内(见 villages.csv 的起始/终止月份),请删除这一行",
                )
            self._check_identity(relative, table, row, cells, village)
            self._score_cells(relative, table, row, cells, columns, village, rows)
        self._missing_villages(relative, key, seen, lambda v: v.active_in(month), month)
        frames["period"] += [month] * len(rows["village_id"])
        for k in _SCORE_FRAME:
            frames[k] += rows[k]
        return [c for _, c in columns]

    def _missing_villages(self, relative: str, key: str, seen: dict, active, when: str) -> None:
        for village in self.villages:
            if active(village) and village.id not in seen:
                label = village.name if key == labels.NAME_COLUMN else village.id
                self.problem(
                    relative,
                    None,
                    key,
                    "missing_village",
                    f"缺少「{label}」这一行:该村在 {when} 参加评比,请补上(未参评的项目留空)",
                )

    # -- events -----------------------------------------------------------------------

    def _events(self, layout: _Layout, frames: dict, period_files: dict) -> dict:
        cells = {
            (p, v, c): cell
            for p, v, c, cell in zip(
                frames["period"],
                frames["village_id"],
                frames["category"],
                frames["cell"],
                strict=True,
            )
        }
        out = {
            k: []
            for k in ("period", "village_id", "event", "category", "value", "note", "file", "row")
        }
        for month, relative in sorted(layout.events.items()):
            if month in period_files:
                self._event_file(month, relative, period_files[month], cells, out)
        return out

    def _event_file(
        self, month: str, relative: str, period: PeriodFile, cells: dict, out: dict
    ) -> None:
        table = self._table(relative)
        key = self._key_column(relative, table) if table else None
        if key is None:
            return
        index = self._event_columns(relative, table, key)
        if index is None:
            return
        for row, values in table.rows:
            record = {name: values[i] for name, i in index.items()}
            self._event(month, relative, row, key, record, period, cells, out)

    def _event_columns(self, relative: str, table: Table, key: str) -> dict[str, int] | None:
        index: dict[str, int] = {key: 0}
        for i, header in enumerate(table.header[1:], start=1):
            if header in index:
                self.problem(
                    relative,
                    table.header_row,
                    table.column_label(i),
                    "duplicate_column",
                    "这一列重复出现,请删除多余的一列",
                )
            elif header not in labels.EVENT_COLUMNS:
                self.problem(
                    relative,
                    table.header_row,
                    table.column_label(i),
                    "unknown_column",
                    "不认识的列,事件文件的表头应为 村名,事件,类别,分值,说明",
                )
            else:
                index[header] = i
        missing = [h for h in labels.EVENT_COLUMNS if h not in index]
        for header in missing:
            self.problem(
                relative,
                table.header_row,
                header,
                "missing_column",
                f"缺少「{header}」列,事件文件的表头应为 村名,事件,类别,分值,说明",
            )
        return None if missing else index

    def _event(
        self,
        month: str,
        relative: str,
        row: int,
        key: str,
        record: dict,
        period: PeriodFile,
        cells: dict,
        out: dict,
    ) -> None:
        problems_before = len(self.problems)
        village = self._find_village(relative, row, key, record[key], {})
        if village is not None and not village.active_in(month):
            self.problem(
                relative,
                row,
                key,
                "inactive_village",
                f"「{record[key]}」在 {month} 不在评比范围内,不能登记事件",
            )
        event = labels.EVENT_IDS.get(record["事件"])
        if event is None:
            self.problem(
                relative,
                row,
                "事件",
                "bad_event_type",
                f"「{record['事件']}」不是有效的事件,只能填:{'、'.join(labels.EVENT_IDS)}",
            )
        if not record["说明"]:
            self.problem(relative, row, "说明", "missing_note", "说明不能为空,请写明事件的依据")
        category = self._event_category(relative, row, event, record["类别"], period)
        value = self._event_value(relative, row, event, record["分值"])
        if len(self.problems) > problems_before:
            return
        if event in ("bonus", "deduction") and cells.get((month, village.id, category)) is None:
            self.problem(
                relative,
                row,
                "类别",
                "adjust_empty_score",
                f"「{record[key]}」的「{record['类别']}」没有分数(未参评),不能{record['事件']};"
                "请先填写分数或删除这条事件",
            )
            return
        for name, item in (
            ("period", month),
            ("village_id", village.id),
            ("event", event),
            ("category", category),
            ("value", value),
            ("note", record["说明"]),
            ("file", self.name(relative)),
            ("row", row),
        ):
            out[name].append(item)

    def _event_category(
        self, relative: str, row: int, event: str | None, name: str, period: PeriodFile
    ) -> str | None:
        if event == "veto":
            if name:
                self.problem(
                    relative,
                    row,
                    "类别",
                    "unexpected_category",
                    "一票否决针对整个村,「类别」请留空",
                )
            return None
        category = self.town.category_by_name(name)
        if not name:
            if event:
                self.problem(
                    relative,
                    row,
                    "类别",
                    "missing_category",
                    f"{labels.EVENT_NAMES[event]}必须填写「类别」(评比项目名称)",
                )
        elif category is None or category.id not in period.categories:
            scored = "、".join(c.name for c in self.town.categories if c.id in period.categories)
            self.problem(
                relative,
                row,
                "类别",
                "unknown_category",
                f"「{name}」不是本月评分文件中的评比项目,请填写:{scored}",
            )
        else:
            return category.id
        return None

    def _event_value(self, relative: str, row: int, event: str | None, text: str) -> int | None:
        if event in ("meeting", "veto"):
            if text:
                self.problem(
                    relative,
                    row,
                    "分值",
                    "unexpected_value",
                    f"{labels.EVENT_NAMES[event]}不加减分,「分值」请留空",
                )
            return None
        if event is None:
            return None
        number = parse_number(text) if text else None
        if number is None:
            self.problem(
                relative,
                row,
                "分值",
                "missing_value",
                f"{labels.EVENT_NAMES[event]}必须填写「分值」(大于0的数)",
            )
        elif number.error == "too_many_decimals":
            self.problem(
                relative,
                row,
                "分值",
                "too_many_decimals",
                f'"{text}" 超过两位小数,请四舍五入到两位小数',
            )
        elif number.error or number.hundredths <= 0:
            self.problem(
                relative,
                row,
                "分值",
                "bad_value",
                f'"{text}" 不是大于0的数,请填写要{labels.EVENT_NAMES[event]}的分数(如 2 或 0.5)',
            )
        else:
            return number.hundredths
        return None

    # -- annual -----------------------------------------------------------------------

    def _annuals(self, layout: _Layout) -> tuple[dict, dict[str, PeriodFile]]:
        frames = {"year": [], **{k: [] for k in _SCORE_FRAME}}
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
        rows = {k: [] for k in _SCORE_FRAME}
        seen: dict[str, int] = {}
        for row, cells in table.rows:
            village = self._find_village(relative, row, key, cells[0], seen)
            if village is None:
                continue
            if not village.active_in_year(year):
                self.problem(
                    relative,
                    row,
                    key,
                    "inactive_village",
                    f"「{cells[0]}」在 {year} 年不在评比范围内,请删除这一行",
                )
            self._check_identity(relative, table, row, cells, village)
            self._score_cells(relative, table, row, cells, columns, village, rows)
        frames["year"] += [year] * len(rows["village_id"])
        for k in _SCORE_FRAME:
            frames[k] += rows[k]
        return [c for _, c in columns]


def _points(value: float) -> str:
    return f"{value:g}"


def _score_frame(frames: dict, period_column: str) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            period_column: pd.Series(frames[period_column], dtype="string"),
            "village_id": pd.Series(frames["village_id"], dtype="string"),
            "category": pd.Series(frames["category"], dtype="string"),
            "cell": pd.array(frames["cell"], dtype="Int64"),
        }
    )
    return frame


def _event_frame(frames: dict) -> pd.DataFrame:
    return pd.DataFrame(
        {
            **{
                k: pd.Series(frames[k], dtype="string")
                for k in ("period", "village_id", "event", "category", "note", "file")
            },
            "value": pd.array(frames["value"], dtype="Int64"),
            "row": pd.array(frames["row"], dtype="Int64"),
        }
    )
