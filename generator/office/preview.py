"""`flagboard preview`: a period's flags, events, money and actions — the clerk's last check.

One neutral structure (`Preview`), two renderings: rich tables for the terminal and Markdown
for the pull request's summary. `--full` adds every village's typed score, 加分/扣分, adjusted
score and rank (并列 when tied), and its blank cells (未参评); against.py says what a
correction changes against an earlier version.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from generator import catalogue, labels
from generator.load.cells import format_points
from generator.load.folder import prefix_of
from generator.load.loader import Dataset, load
from generator.office.month import annual_file, check_month, period_path
from generator.periods import december, is_year
from generator.problems import InvalidArgument
from generator.rules import Results, compute

NONE = "—"
YEAR_ACTIONS_SHOWN = ("downgrade", "star_loss")  # the priority list is long; the site has it


Cell = str | tuple[str, ...]  # a list of villages is a tuple: "、" in Markdown, lines in rich


@dataclass(frozen=True)
class Section:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    empty: str = "无"  # said instead of the table when it has no rows


@dataclass(frozen=True)
class Preview:
    title: str
    summary: str
    sections: tuple[Section, ...]


def preview(scores_dir: Path, months: Sequence[str] = (), full: bool = False) -> list[Preview]:
    """Validate and compute the scores folder; preview `months` (default: the latest period),
    a year (YYYY) being its annual categories' flags and the year's actions; `full`: with
    every village's scores, grid by grid and category by category."""
    scores_dir = Path(scores_dir)
    for month in months:
        if not is_year(month):
            check_month(month, scores_dir)
    data = load(scores_dir)
    missing = [m for m in months if m not in data.periods and m not in data.years]
    if missing:
        raise InvalidArgument([_no_period(scores_dir, m) for m in missing])
    if not data.periods and not months:
        return []
    results = compute(data)
    return [
        year_preview(data, results, m, full)
        if is_year(m)
        else period_preview(data, results, m, full)
        for m in (months or data.periods[-1:])
    ]


def _no_period(scores_dir: Path, key: str):
    """没有 2025-08 的评分文件, naming the commands that make one."""
    scores = prefix_of(scores_dir)
    if is_year(key):
        path = annual_file(scores_dir, key)
        new = catalogue.command("new-annual", key, scores=scores)
        imported = catalogue.command("import", "表格文件", "--annual", key, scores=scores)
    else:
        path = period_path(scores_dir, key)
        new = catalogue.command("new-month", key, scores=scores)
        imported = catalogue.command("import", "表格文件", "--month", key, scores=scores)
    return catalogue.NO_PERIOD.at(path.as_posix(), month=key, new=new, imported=imported)


def period_preview(data: Dataset, results: Results, period: str, full: bool = False) -> Preview:
    rule = data.rule_for(period)
    flags = results.flags[results.flags["period"] == period]
    rewards = results.rewards[results.rewards["period"] == period]
    summary = (
        f"规则版本 {rule.from_} 起：每个网格每个项目红旗 {rule.red_count} 面、黄旗 "
        f"{rule.yellow_count} 面。本月共 {len(rewards)} 个村，红旗 {int(rewards['red'].sum())} 面，"
        f"黄旗 {int(rewards['yellow'].sum())} 面，嘉奖 {int(rewards['reward'].sum())} 元，"
        f"扣罚 {int(rewards['penalty'].sum())} 元。"
    )
    sections = [grid_section(data, flags, period, grid.id) for grid in data.town.grids]
    if full:
        sections += full_sections(data, flags, period)
    sections += [
        events_section(data, period),
        money_section(data, rewards),
        actions_section(data, results.actions, period),
    ]
    if period == max(p for p in data.periods if p[:4] == period[:4]):
        sections.append(year_section(data, results.actions, period))
    return Preview(f"{data.town.town} {month_title(period)} 评比结果预览", summary, tuple(sections))


def month_title(period: str) -> str:
    """'2024-02' → '2024年2月'; a year's key '2024' → '2024年度'."""
    return f"{period[:4]}年{int(period[5:])}月" if len(period) > 4 else f"{period}年度"


def grid_section(data: Dataset, flags: pd.DataFrame, period: str, grid: str) -> Section:
    """Per category of the period: its red and its yellow villages in this grid."""
    in_grid = flags[flags["grid"] == grid]
    scored = _scored(data, period)
    rows = [
        (
            category.name,
            _flag_list(data, in_grid, category.id, "red"),
            _flag_list(data, in_grid, category.id, "yellow"),
        )
        for category in data.town.categories
        if category.id in scored
    ]
    grid_name = next(g.name for g in data.town.grids if g.id == grid)
    columns = (
        "评比项目",
        f"{labels.FLAG_NAMES['red']}（{labels.FLAG_TITLES['red']}）",
        f"{labels.FLAG_NAMES['yellow']}（{labels.FLAG_TITLES['yellow']}）",
    )
    return Section(grid_name, columns, tuple(rows))


def _scored(data: Dataset, period: str) -> tuple[str, ...]:
    """The category ids a period's file (or a year's annual file) scores."""
    found = data.annual_files.get(period) if is_year(period) else data.period_files[period]
    return found.categories if found else ()


def _flag_list(data: Dataset, flags: pd.DataFrame, category: str, flag: str) -> tuple[str, ...]:
    chosen = flags[(flags["category"] == category) & (flags["flag"] == flag)]
    chosen = chosen.sort_values(
        ["score", "village_id"], ascending=[flag == "yellow", True], kind="stable"
    )
    items = []
    for record in chosen.itertuples():
        name = data.village(record.village_id).name
        if record.basis == "meeting":
            items.append(f"{name}（{labels.BASIS_NAMES['meeting']}）")
        else:
            items.append(f"{name} {score_text(record.score, record.cell, record.adjustment)}")
    return tuple(items)


def score_text(final, cell, adjustment) -> str:
    """'90', or '90（80+10）' when 加分/扣分 made it: the typed score is never hidden."""
    if pd.isna(final):
        return ""
    if pd.isna(adjustment) or int(adjustment) == 0:
        return _points(final)
    sign = "+" if int(adjustment) > 0 else "-"
    return f"{_points(final)}（{_points(cell)}{sign}{_points(abs(int(adjustment)))}）"


# -- --full: every village's scores ------------------------------------------------------------


FULL_COLUMNS = ("名次", "村名", "评分", "加减分", "得分", "红黄旗")


def full_sections(data: Dataset, flags: pd.DataFrame, period: str) -> list[Section]:
    """Per grid and category: every village of the period's file, by rank, blank cells last."""
    if is_year(period):
        cells = data.annual[data.annual["year"] == period]
    else:
        cells = data.scores[data.scores["period"] == period]
    return [
        Section(
            f"{grid.name}「{category.name}」",
            FULL_COLUMNS,
            _full_rows(data, cells, flags, grid.id, category.id),
        )
        for grid in data.town.grids
        for category in data.town.categories
        if category.id in _scored(data, period)
    ]


def _full_rows(data: Dataset, cells, flags, grid: str, category: str) -> tuple:
    mine = cells[cells["category"] == category]
    flagged = flags[(flags["grid"] == grid) & (flags["category"] == category)]
    by_village = {f.village_id: f for f in flagged.itertuples()}
    order = _village_order(data)
    rows = []
    for cell in mine.itertuples():
        if data.village(cell.village_id).grid != grid:
            continue
        found = by_village.get(cell.village_id)
        rank = found.rank if found is not None and not pd.isna(found.rank) else None
        key = (0 if rank is not None else 1, rank or 0, order[cell.village_id])
        rows.append((key, _full_row(data, cell, found, rank)))
    return tuple(row for _, row in sorted(rows))


def _full_row(data: Dataset, cell, found, rank) -> tuple[str, ...]:
    name = data.village(cell.village_id).name
    if pd.isna(cell.cell):
        return ("—", name, "未参评", "", "", _flag_text(found))
    adjustment = 0 if found is None or pd.isna(found.adjustment) else int(found.adjustment)
    final = int(cell.cell) + adjustment
    ranked = "" if rank is None else (f"并列{rank}" if found.tied else str(rank))
    return (
        ranked,
        name,
        _points(cell.cell),
        _signed(adjustment) if adjustment else "",
        _points(final),
        _flag_text(found),
    )


def signed(amount: int) -> str:
    """Money with its sign as the site writes it: ＋1000, －1000, 0."""
    sign = labels.PLUS if amount > 0 else labels.MINUS if amount < 0 else ""
    return f"{sign}{abs(int(amount))}"


def _signed(hundredths: int) -> str:
    return ("+" if hundredths > 0 else "-") + _points(abs(hundredths))


def _flag_text(found) -> str:
    if found is None or found.flag not in labels.FLAG_NAMES:
        return "一票否决" if found is not None and found.vetoed else ""
    text = labels.FLAG_NAMES[found.flag]
    if found.basis == "meeting":
        text += f"（{labels.BASIS_NAMES['meeting']}）"
    return text + ("（一票否决）" if found.vetoed else "")


def events_section(data: Dataset, period: str) -> Section:
    events = data.events[data.events["period"] == period].sort_values("row", kind="stable")
    names = {c.id: c.name for c in data.town.categories}
    rows = tuple(
        (
            data.village(e.village_id).name,
            labels.EVENT_NAMES[e.event],
            names.get(e.category, "") if not pd.isna(e.category) else "",
            "" if pd.isna(e.value) else format_points(int(e.value)),
            e.note,
        )
        for e in events.itertuples()
    )
    return Section("事件", ("村名", "事件", "类别", "分值", "说明"), rows, "本月没有登记事件")


def money_section(data: Dataset, rewards: pd.DataFrame) -> Section:
    """Villages with a reward or a penalty, grid by grid, and the period's totals."""
    order = _village_order(data)
    paid = rewards[(rewards["reward"] != 0) | (rewards["penalty"] != 0)]
    paid = paid.assign(order=paid["village_id"].map(order)).sort_values("order")
    grids = {g.id: g.name for g in data.town.grids}
    rows = [
        (
            grids[data.village(r.village_id).grid],
            data.village(r.village_id).name,
            str(r.red),
            str(r.yellow),
            str(r.reward),
            str(r.penalty),
            signed(r.net),
        )
        for r in paid.itertuples()
    ]
    if rows:
        totals = [int(rewards[c].sum()) for c in ("red", "yellow", "reward", "penalty")]
        net = signed(int(rewards["net"].sum()))
        rows.append(("合计", f"{len(rows)} 个{data.words.member}", *map(str, totals), net))
    columns = ("网格", "村名", "红旗", "黄旗", "嘉奖（元）", "扣罚（元）", "合计（元）")
    return Section("奖罚", columns, tuple(rows), "本月没有奖罚")


def actions_section(data: Dataset, actions: pd.DataFrame, period: str) -> Section:
    chosen = actions[actions["period"] == period]
    return Section(
        "处理措施", ("村名", "措施", "原因"), _action_rows(data, chosen), "本月没有约谈、警告或停职"
    )


def year_preview(data: Dataset, results: Results, year: str, full: bool = False) -> Preview:
    """A year's last step: the annual categories' flags grid by grid (December's rule version),
    the year's 降档, 降星 and 优先评优."""
    rule = data.rule_for(year)
    flags = results.flags[results.flags["period"] == year]
    annual = data.annual_files.get(year)
    if annual is None:
        where = annual_file(Path(data.prefix), year).as_posix()
        summary = f"{year}年还没有年度评分文件（{where}），下面只有这一年的年度处理。"
        sections = []
    else:
        summary = (
            f"年度项目按{year}年12月适用的规则版本（{rule.from_} 起）评比：每个网格每个项目红旗 "
            f"{rule.red_count} 面、黄旗 {rule.yellow_count} 面，不计奖罚。"
            f"红旗 {int((flags['flag'] == 'red').sum())} 面，黄旗 {int((flags['flag'] == 'yellow').sum())} 面。"
        )
        sections = [grid_section(data, flags, year, grid.id) for grid in data.town.grids]
        if full:
            sections += full_sections(data, flags, year)
    last = max((p for p in data.periods if p[:4] == year), default=None)
    if last is not None:
        sections += [year_section(data, results.actions, last, all_actions=True)]
    title = f"{data.town.town} {month_title(year)} 评比结果预览"
    return Preview(title, summary, tuple(sections))


def year_section(
    data: Dataset, actions: pd.DataFrame, period: str, all_actions: bool = False
) -> Section:
    """The year's actions up to `period`: 降档 and 降星 (and, `all_actions`, 优先评优)."""
    year = period[:4]
    shown = (*YEAR_ACTIONS_SHOWN, "priority") if all_actions else YEAR_ACTIONS_SHOWN
    chosen = actions[(actions["period"] == year) & actions["action"].isin(shown)]
    until = "" if period == december(year) else f"（截至{month_title(period)}）"
    return Section(
        f"{year}年度处理{until}",
        ("村名", "措施", "原因"),
        _action_rows(data, chosen),
        "本年度没有降档、降星或优先评优" if all_actions else "本年度目前没有降档或降星",
    )


def _action_rows(data: Dataset, actions: pd.DataFrame) -> tuple[tuple[str, ...], ...]:
    order = _village_order(data)
    kinds = {a: i for i, a in enumerate(labels.ACTION_NAMES)}
    actions = actions.assign(
        order=actions["village_id"].map(order), kind=actions["action"].map(kinds)
    )
    return tuple(
        (data.village(a.village_id).name, labels.ACTION_LONG_NAMES[a.action], a.reason)
        for a in actions.sort_values(["order", "kind"]).itertuples()
    )


def _village_order(data: Dataset) -> dict[str, int]:
    """Grid by grid in town.toml order, villages.csv order within a grid."""
    grids = {g.id: i for i, g in enumerate(data.town.grids)}
    ranked = sorted(enumerate(data.villages), key=lambda iv: (grids[iv[1].grid], iv[0]))
    return {village.id: i for i, (_, village) in enumerate(ranked)}


def _points(score: int) -> str:
    """A score from the results, which keep integer hundredths until they become text."""
    return format_points(int(score))


# -- renderings ------------------------------------------------------------------------------


def to_markdown(previews: Sequence[Preview]) -> str:
    """GitHub-flavoured Markdown, e.g. for $GITHUB_STEP_SUMMARY."""
    if not previews:
        return "还没有任何评分月份。\n"
    parts = []
    for item in previews:
        parts += [f"## {_md(item.title)}", "", _md(item.summary), ""]
        for section in item.sections:
            parts += [f"### {_md(section.title)}", ""]
            parts += _md_table(section) if section.rows else [_md(section.empty)]
            parts.append("")
    return "\n".join(parts)


def _md_table(section: Section) -> list[str]:
    lines = [
        "| " + " | ".join(map(_md, section.columns)) + " |",
        "|" + "---|" * len(section.columns),
    ]
    lines += [
        "| " + " | ".join(_md(_joined(cell, "、")) for cell in row) + " |" for row in section.rows
    ]
    return lines


def _joined(cell: Cell, separator: str) -> str:
    if isinstance(cell, tuple):
        return separator.join(cell) or NONE
    return cell


# Every ASCII punctuation mark CommonMark lets a backslash escape and that Markdown, GitHub or
# HTML give a meaning: emphasis, code, links and pictures, headings, quotes, lists (`1.`, `-`),
# tables, HTML and entities, strike-through, footnotes, math, mentions, emoji, bare addresses.
_MARKDOWN_MEANING = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~:@$])")
_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")


def _md(text: str) -> str:
    """Text that Markdown shows as written, on one line (a table cell or a paragraph)."""
    return _MARKDOWN_MEANING.sub(r"\\\1", _LINE_BREAK.sub(" ", text))


def print_rich(previews: Sequence[Preview], console) -> None:
    """Tables for the terminal (rich handles the width of Chinese characters)."""
    from rich.table import Table

    if not previews:
        console.print("还没有任何评分月份。", markup=False)
        return
    for item in previews:
        console.rule(item.title)
        console.print(item.summary, markup=False, highlight=False)
        for section in item.sections:
            if not section.rows:
                console.print(f"{section.title}：{section.empty}", markup=False, highlight=False)
                continue
            table = Table(
                title=section.title, title_justify="left", show_lines=False, highlight=False
            )
            for column in section.columns:
                table.add_column(column, overflow="fold")
            for row in section.rows:
                table.add_row(*(_escape(_joined(cell, "\n")) for cell in row))
            console.print(table)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
