"""The office's files → a validated Dataset (model + tidy DataFrames), or every problem found."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from generator import labels
from generator.load.cells import MAX_CSV_BYTES, Table, read_rows  # noqa: F401  (read_rows: loading API)
from generator.load.dataset import Dataset, PeriodFile, event_frame, score_frame
from generator.load.eventfile import EventFileChecks
from generator.load.filecheck import Layout, unsafe_message
from generator.load.scorefile import ScoreFileChecks
from generator.load.townfile import parse_town
from generator.model import VILLAGE_ID_RE, Village, name_key
from generator.periods import MONTH_RE, YEAR_RE
from generator.problems import InvalidData, Problem, errors_of, quote, unsafe_characters

MAX_ID_CHARS = 64  # 编号 goes into URLs; the 12-digit division code fits with room
MAX_NAME_CHARS = 100

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
    files, problems = read_folder(scores_dir, prefix)
    return load_files(files, prefix, problems)


def read_folder(folder: Path, prefix: str) -> tuple[dict[str, bytes], list[Problem]]:
    """The regular files of a folder by relative path, and a problem for anything else.

    Symbolic links and other non-regular files are never opened (RULES.md §2.1); hidden
    folders (a nested `.git`) are not entered; files the loader ignores are not read.
    """
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    for relative, entry in _walk(folder, ""):
        mode = entry.stat(follow_symlinks=False).st_mode
        if not stat.S_ISREG(mode):
            problems.append(not_regular_file(f"{prefix}/{relative}", stat.S_ISLNK(mode)))
        elif not _IGNORED_RE.search(relative):
            files[relative] = _read_capped(entry.path)
    return files, problems


def _walk(folder: Path, relative: str):
    """(relative path, entry) of every non-folder under `folder`, in name order; iterative, so
    that no depth of nesting can exhaust the stack."""
    stack = [(folder, relative)]
    while stack:
        here, prefix = stack.pop()
        with os.scandir(here) as entries:
            found = sorted(entries, key=lambda e: e.name)
        folders = []
        for entry in found:
            path = f"{prefix}{entry.name}"
            if not entry.is_dir(follow_symlinks=False):
                yield path, entry
            elif not entry.name.startswith("."):
                folders.append((Path(entry.path), f"{path}/"))
        stack.extend(reversed(folders))


def _read_capped(path: str) -> bytes:
    """At most one byte past the CSV size limit: enough to refuse a huge file without reading it."""
    with open(path, "rb") as handle:
        return handle.read(MAX_CSV_BYTES + 1)


def not_regular_file(name: str, link: bool) -> Problem:
    what = "符号链接(快捷方式)" if link else "不是普通文件"
    return Problem(
        name,
        None,
        None,
        "not_regular_file",
        f"这是{what},为安全起见不予读取:请换成普通文件,或把它移出文件夹",
    )


def load_files(
    files: dict[str, bytes], prefix: str = "scores", problems: list[Problem] | None = None
) -> Dataset:
    """Validate in-memory files keyed by their path inside the scores folder."""
    loader = _Loader(files, prefix)
    loader.problems += problems or []
    return loader.run()


class _Loader(ScoreFileChecks, EventFileChecks):
    def run(self) -> Dataset:
        layout = self._layout()
        self._town()
        self._villages()
        if self.town is None:
            raise InvalidData(self.all_problems())
        # A bad villages.csv row does not hide the scores files' problems: they are checked
        # against the good rows, and the bad rows' names are known (no "unknown village").
        scores, period_files = self._periods(layout)
        self._same_as_before(scores, period_files)
        events = self._events(layout, scores, period_files)
        annual, annual_files = self._annuals(layout)
        problems = self.all_problems()
        if errors_of(problems):
            raise InvalidData(problems)
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
            warnings=tuple(problems),
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
            if not (YEAR_RE if pattern is _ANNUAL_RE else MONTH_RE).match(key):
                what = "年份" if pattern is _ANNUAL_RE else "月份"
                self.problem(
                    relative,
                    None,
                    None,
                    "bad_file_name",
                    f"文件名中的{what} {key} 不是 2000 至 2099 年间的有效{what},"
                    "请命名为 YYYY-MM.csv,例如 2024-03.csv",
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
            "villages.csv 的表头应为 编号,村名,网格[,起始月份,终止月份,曾用名]",
        )
        if columns is None:
            return
        rows = []
        for row, cells in table.rows:
            values = {header: cells[i] for header, i in columns.items()}
            village = self._village(relative, row, values)
            if village:
                self.villages.append(village)
                self.by_id[village.id] = village
                self.by_name[name_key(village.name)] = village
                rows.append(row)
            else:  # the scores files may name it: not "unknown", only unchecked
                self.bad_keys |= {values["编号"], name_key(values["村名"])} - {""}
        self._former_names(relative, rows)

    def _former_names(self, relative: str, rows: list[int]) -> None:
        """A former name may be no village's name nor another former name; files may use it."""
        current = dict(self.by_name)
        for row, village in zip(rows, list(self.villages), strict=True):
            for former in village.former_names:
                key = name_key(former)
                other = current.get(key) or self.by_name.get(key)
                if other is not None:
                    what = "现用名" if current.get(key) else "曾用名"
                    self.problem(
                        relative,
                        row,
                        labels.FORMER_COLUMN,
                        "duplicate_name",
                        f"曾用名「{quote(former)}」与「{other.name}」的{what}相同,"
                        "一个名称只能属于一个村,请核对",
                    )
                    self.bad_keys.add(key)
                else:
                    self.by_name[key] = village

    def _village(self, relative: str, row: int, values: dict[str, str]) -> Village | None:
        ok = True

        def bad(column: str, code: str, message: str) -> None:
            nonlocal ok
            ok = False
            self.problem(relative, row, column, code, message)

        village_id, name, grid_key = values["编号"], values["村名"], values["网格"]
        if not VILLAGE_ID_RE.match(village_id) or len(village_id) > MAX_ID_CHARS:
            bad(
                "编号",
                "bad_id",
                f"编号「{quote(village_id)}」无效,只能用英文字母、数字和 -,"
                f"最多 {MAX_ID_CHARS} 个字符(例如 330110101201)",
            )
        elif village_id in self.by_id:
            bad("编号", "duplicate_id", f"编号 {village_id} 重复,每个村的编号必须不同")
        if not name:
            bad("村名", "missing_name", "村名不能为空")
        elif unsafe := unsafe_characters(name):
            bad("村名", "unsafe_characters", unsafe_message(unsafe))
        elif len(name) > MAX_NAME_CHARS:
            bad("村名", "name_too_long", f"村名太长(最多 {MAX_NAME_CHARS} 个字),请检查")
        elif name_key(name) in self.by_name:
            other = self.by_name[name_key(name)].name
            same = (
                "" if other == name else f"(与「{quote(other)}」只差空格或全角/半角,算同一个名称)"
            )
            bad("村名", "duplicate_name", f"村名「{quote(name)}」重复{same},每个村的名称必须不同")
        grid = self.town.grid_by_key(grid_key) if self.town else None
        if self.town and grid is None:
            known = "、".join(g.name for g in self.town.grids[:20])
            more = " 等" if len(self.town.grids) > 20 else ""
            bad(
                "网格",
                "unknown_grid",
                f"网格「{quote(grid_key)}」不在 town.toml 中,请填写:{known}{more}",
            )
        start, end = values.get("起始月份", ""), values.get("终止月份", "")
        for column, month in (("起始月份", start), ("终止月份", end)):
            if month and not MONTH_RE.match(month):
                bad(
                    column,
                    "bad_month",
                    f"「{quote(month)}」不是有效月份,请写成 YYYY-MM(2000-01 至 2099-12),例如 2024-03",
                )
        former = self._former_list(values.get(labels.FORMER_COLUMN, ""), name, bad)
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
            former_names=former,
        )

    def _former_list(self, text: str, name: str, bad) -> tuple[str, ...]:
        names = tuple(dict.fromkeys(n.strip() for n in text.split(labels.FORMER_SEPARATOR)))
        names = tuple(n for n in names if n and name_key(n) != name_key(name))
        for former in names:
            if unsafe := unsafe_characters(former):
                bad(labels.FORMER_COLUMN, "unsafe_characters", unsafe_message(unsafe))
            elif len(former) > MAX_NAME_CHARS:
                bad(
                    labels.FORMER_COLUMN, "name_too_long", f"曾用名太长(最多 {MAX_NAME_CHARS} 个字)"
                )
        return names
