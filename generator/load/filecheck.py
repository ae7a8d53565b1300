"""Checks shared by the office's table files: the village column, category columns, scores."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from generator import labels
from generator.load.cells import Table, parse_number, read_table
from generator.model import Category, Town, Village, name_key
from generator.problems import PER_FILE, Problem, more_problems, quote


def unsafe_message(codes: list[str]) -> str:
    return f"含有控制字符或看不见的字符({' '.join(codes[:5])}),请删除后重新输入"


@dataclass
class Layout:
    """Which file holds which period's scores, events and annual scores."""

    periods: dict[str, str] = field(default_factory=dict)  # month → relative path
    events: dict[str, str] = field(default_factory=dict)
    annual: dict[str, str] = field(default_factory=dict)  # year → relative path


class FileChecker:
    """Collects problems while reading the files of one scores folder."""

    def __init__(self, files: dict[str, bytes], prefix: str):
        self.files = files
        self.prefix = prefix
        self.problems: list[Problem] = []
        self.town: Town | None = None
        self.villages: list[Village] = []
        self.by_id: dict[str, Village] = {}
        self.by_name: dict[str, Village] = {}  # by name_key()
        self.bad_keys: set[str] = set()  # ids and name keys of villages.csv rows with problems
        self.listed: dict[str, int] = {}  # problems recorded, by file
        self.unlisted: dict[str, int] = {}  # problems past PER_FILE, counted by file

    def name(self, relative: str) -> str:
        return f"{self.prefix}/{relative}"

    def problem(
        self,
        relative: str,
        row: int | None,
        column: str | None,
        code: str,
        message: str,
        severity: str = "error",
    ) -> None:
        """Record a problem; past PER_FILE of one file they are only counted (bounded memory)."""
        name = self.name(relative)
        listed = self.listed.get(name, 0)
        if listed >= PER_FILE:
            self.unlisted[name] = self.unlisted.get(name, 0) + 1
            return
        self.listed[name] = listed + 1
        self.problems.append(Problem(name, row, column, code, message, severity))

    def has_problems(self, relative: str) -> bool:
        return self.name(relative) in self.listed

    def all_problems(self) -> list[Problem]:
        return self.problems + [more_problems(f, n) for f, n in sorted(self.unlisted.items())]

    # -- shared table reading ------------------------------------------------------

    def _table(self, relative: str) -> Table | None:
        table, problems = read_table(self.files[relative], self.name(relative))
        self.problems += problems
        return table

    def _fixed_columns(
        self,
        relative: str,
        table: Table,
        known: tuple[str, ...],
        required: tuple[str, ...],
        expected: str,
        first: dict[str, int] | None = None,
    ) -> dict[str, int] | None:
        """Header → column index for a file with a fixed set of columns; None if one is missing."""
        index = dict(first or {})
        for i, header in enumerate(table.header[len(index) :], start=len(index)):
            label = table.column_label(i)
            if header not in known:
                self.problem(
                    relative, table.header_row, label, "unknown_column", f"不认识的列,{expected}"
                )
            elif header in index:
                self._duplicate_column(relative, table, label)
            else:
                index[header] = i
        missing = [header for header in required if header not in index]
        for header in missing:
            self.problem(
                relative,
                table.header_row,
                header,
                "missing_column",
                f"缺少「{header}」列,{expected}",
            )
        return None if missing else index

    def _duplicate_column(self, relative: str, table: Table, label: str) -> None:
        self.problem(
            relative, table.header_row, label, "duplicate_column", "这一列重复出现,请删除多余的一列"
        )

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
        lookup = name_key(value) if key == labels.NAME_COLUMN else value
        village = (self.by_name if key == labels.NAME_COLUMN else self.by_id).get(lookup)
        if not value:
            self.problem(relative, row, key, "missing_village", f"{key}为空,请填写")
        elif village is None and lookup in self.bad_keys:
            pass  # its villages.csv row has a problem of its own
        elif village is None:
            self.problem(
                relative,
                row,
                key,
                "unknown_village",
                f"「{quote(value)}」不在 villages.csv 中,请检查{key}是否写错,新村请先加入 villages.csv",
            )
        elif village.id in seen:
            self.problem(
                relative,
                row,
                key,
                "duplicate_village",
                f"「{quote(value)}」重复出现(第{seen[village.id]}行已有),请删除多余的一行",
            )
            return None
        else:
            seen[village.id] = row
        return village

    def _category_columns(
        self, relative: str, table: Table, key: str, allowed: Callable[[Category], str | None]
    ) -> list[tuple[int, Category]]:
        """Map headers to categories; `allowed(category)` returns a problem text or None."""
        columns: list[tuple[int, Category]] = []
        seen: set[str] = set()
        assert self.town is not None
        for i, header in enumerate(table.header[1:], start=1):
            label = table.column_label(i)
            category = self.town.category_by_name(header)
            if header in seen:
                self._duplicate_column(relative, table, label)
            elif header in labels.VILLAGE_COLUMNS[:3] and header != key:
                pass  # an extra 编号/村名/网格 column helps the clerk; checked row by row
            elif category is None:
                names = "、".join(c.name for c in self.town.categories[:20])
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
                        f"「{quote(value)}」与 villages.csv 中该村的网格不一致,请核对",
                    )
            elif _key(header, value) not in _known(header, expected[header], village):
                self.problem(
                    relative,
                    row,
                    header,
                    "id_name_mismatch",
                    f"「{quote(value)}」与 villages.csv 中该村的{header}「{expected[header]}」不一致,请核对",
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
        number = parse_number(text)
        if number.error is None and 0 <= number.hundredths <= category.full_hundredths:
            return number.hundredths
        fix = f"请填写0到{_points(category.full_marks)}之间的分数"
        shown = quote(text)
        if number.error == "not_a_number":
            self.problem(relative, row, column, "not_a_number", f'"{shown}" 不是数字,{fix}')
        elif number.error == "too_many_decimals":
            self.problem(
                relative,
                row,
                column,
                "too_many_decimals",
                f'"{shown}" 超过两位小数,请四舍五入到两位小数',
            )
        else:
            self.problem(relative, row, column, "out_of_range", f'"{shown}" 超出范围,{fix}')
        return None

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


def _known(header: str, expected: str, village: Village) -> set[str]:
    """What a 编号 or 村名 cell may say of `village`: its id, or its name or a former name."""
    if header != labels.NAME_COLUMN:
        return {expected}
    return {name_key(n) for n in (village.name, *village.former_names)}


def _key(header: str, value: str) -> str:
    return name_key(value) if header == labels.NAME_COLUMN else value


def _points(value: float) -> str:
    return f"{value:g}"
