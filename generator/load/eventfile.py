"""Checks of the events files (现场会, 一票否决, 加分, 扣分)."""

from __future__ import annotations

from generator import labels
from generator.load.cells import parse_number
from generator.load.dataset import PeriodFile
from generator.load.filecheck import FileChecker, Layout, unsafe_message
from generator.model import MAX_FULL_MARKS
from generator.problems import quote, unsafe_characters

MAX_NOTE_CHARS = 500


class EventFileChecks(FileChecker):
    def _events(self, layout: Layout, frames: dict, period_files: dict) -> dict:
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
        index = self._fixed_columns(
            relative,
            table,
            labels.EVENT_COLUMNS,
            labels.EVENT_COLUMNS,
            "事件文件的表头应为 村名,事件,类别,分值,说明",
            first={key: 0},
        )
        if index is None:
            return
        for row, values in table.rows:
            record = {name: values[i] for name, i in index.items()}
            self._event(month, relative, row, key, record, period, cells, out)

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
                f"「{quote(record[key])}」在 {month} 不在评比范围内,不能登记事件",
            )
        event = labels.EVENT_IDS.get(record["事件"])
        if event is None:
            self.problem(
                relative,
                row,
                "事件",
                "bad_event_type",
                f"「{quote(record['事件'])}」不是有效的事件,只能填:{'、'.join(labels.EVENT_IDS)}",
            )
        self._note(relative, row, record["说明"])
        category = self._event_category(relative, row, event, record["类别"], period)
        value = self._event_value(relative, row, event, record["分值"], category)
        if len(self.problems) > problems_before:
            return
        if event in ("bonus", "deduction") and cells.get((month, village.id, category)) is None:
            self.problem(
                relative,
                row,
                "类别",
                "adjust_empty_score",
                f"「{quote(record[key])}」的「{record['类别']}」没有分数(未参评),不能{record['事件']};"
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

    def _note(self, relative: str, row: int, note: str) -> None:
        if not note:
            self.problem(relative, row, "说明", "missing_note", "说明不能为空,请写明事件的依据")
        elif unsafe := unsafe_characters(note):
            self.problem(relative, row, "说明", "unsafe_characters", unsafe_message(unsafe))
        elif len(note) > MAX_NOTE_CHARS:
            self.problem(
                relative,
                row,
                "说明",
                "note_too_long",
                f"说明有 {len(note)} 个字,太长了(最多 {MAX_NOTE_CHARS} 个字),请简写",
            )

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
                f"「{quote(name)}」不是本月评分文件中的评比项目,请填写:{scored}",
            )
        else:
            return category.id
        return None

    def _event_value(
        self, relative: str, row: int, event: str | None, text: str, category: str | None
    ) -> int | None:
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
                f'"{quote(text)}" 超过两位小数,请四舍五入到两位小数',
            )
        elif number.error == "not_a_number" or (number.error is None and number.hundredths <= 0):
            self.problem(
                relative,
                row,
                "分值",
                "bad_value",
                f'"{quote(text)}" 不是大于0的数,请填写要{labels.EVENT_NAMES[event]}的分数(如 2 或 0.5)',
            )
        elif self._over_full_marks(number, category):
            full = self.town.category_by_id(category).full_marks
            self.problem(
                relative,
                row,
                "分值",
                "value_over_full_marks",
                f'"{quote(text)}" 超过该项目的满分 {full:g} 分,{labels.EVENT_NAMES[event]}'
                "不能超过满分,请核对",
            )
        else:
            return number.hundredths
        return None

    def _over_full_marks(self, number, category: str | None) -> bool:
        """分值 is at most the category's full marks; without a known category, at most 1000."""
        if number.error == "too_large":
            return True
        found = self.town.category_by_id(category) if category else None
        limit = found.full_hundredths if found else MAX_FULL_MARKS * 100
        return number.hundredths > limit
