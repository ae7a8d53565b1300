"""`flagboard preview --against REF`: what a correction changes, before the 班子会 decides.

The scores folder as it was at a git ref (history/gitlog.py reads it) and as it is now are
both validated and computed; from the first period whose files differ (or the months asked
for) to the last, the score cells, flags, money and actions that differ are listed as
old → new — a corrected month's knock-on chain through later months and the year included.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from generator import catalogue, labels
from generator.history.gitlog import RefUnavailable, folder_at
from generator.layout import SETTINGS_FILES, place
from generator.load.folder import prefix_of, read_folder
from generator.load.loader import Dataset, load, load_files
from generator.office.month import check_month
from generator.office.preview import Preview, Section, month_title, score_text
from generator.problems import InvalidData, quote
from generator.rules import Results, compute

NOTHING = "无"
CHANGE_COLUMNS = ("期别", "村名", "项目", "原来", "现在")
VILLAGE_COLUMNS = ("期别", "村名", "原来", "现在")  # money and actions: a village's period


def against(scores_dir: Path, ref: str, months: Sequence[str] = ()) -> Preview:
    """The changes between the scores folder at `ref` and now, from `months`' earliest (or
    the first changed period) on."""
    for month in months:
        check_month(month)
    scores_dir = Path(scores_dir)
    new_files = read_folder(scores_dir).files
    new = load(scores_dir)
    old_files = _old_files(scores_dir, ref)
    old = _old_data(scores_dir, ref, old_files)
    start = min(months) if months else first_change(old_files, new_files)
    title = f"{new.town.town} 与「{quote(ref)}」相比的变化"
    if start is None:
        return Preview(title, f"与「{quote(ref)}」相比，评分数据没有变化。", ())
    return _compared(title, ref, start, (old, compute(old)), (new, compute(new)))


def _old_files(scores_dir: Path, ref: str) -> dict[str, bytes]:
    try:
        return folder_at(scores_dir, ref)
    except RefUnavailable as error:
        raise InvalidData(
            [catalogue.BAD_REF.at(prefix_of(scores_dir), ref=quote(ref), reason=str(error))]
        ) from None


def _old_data(scores_dir: Path, ref: str, files: dict[str, bytes]) -> Dataset:
    try:
        return load_files(files, prefix_of(scores_dir))
    except InvalidData as error:
        raise InvalidData(
            [
                catalogue.BAD_REF.at(
                    prefix_of(scores_dir),
                    ref=quote(ref),
                    reason=f"那时的评分数据没有通过校验（{len(error.problems)} 个问题）",
                )
            ]
        ) from None


def order_key(period: str) -> str:
    """Months in order, a year's annual results after its December: '2024' → '2024-13'."""
    return period if len(period) > 4 else f"{period}-13"


def first_change(old: dict[str, bytes], new: dict[str, bytes]) -> str | None:
    """The earliest period whose files differ; town.toml or villages.csv: the first of all."""
    changed = [p for p in set(old) | set(new) if old.get(p) != new.get(p)]
    if not changed:
        return None
    if any(p in SETTINGS_FILES or place(p) is None for p in changed):
        periods = [found.key for p in set(old) | set(new) if (found := place(p))]
        return min(periods, key=order_key, default="2000-01")
    return min((place(p).key for p in changed), key=order_key)


def _compared(title: str, ref: str, start: str, old: tuple, new: tuple) -> Preview:
    names = {v.id: v.name for v in old[0].villages} | {v.id: v.name for v in new[0].villages}
    categories = {c.id: c.name for c in (*old[0].town.categories, *new[0].town.categories)}
    sections = (
        Section("分数", CHANGE_COLUMNS, score_rows(old, new, start, names, categories), NOTHING),
        Section("红黄旗", CHANGE_COLUMNS, flag_rows(old, new, start, names, categories), NOTHING),
        Section("奖罚", VILLAGE_COLUMNS, money_rows(old[1], new[1], start, names), NOTHING),
        Section("处理措施", VILLAGE_COLUMNS, action_rows(old[1], new[1], start, names), NOTHING),
    )
    counts = "、".join(f"{s.title} {len(s.rows)} 处" for s in sections)
    summary = f"与「{quote(ref)}」相比，{month_title(start)}及以后的变化：{counts}。"
    return Preview(title, summary, sections)


def _since(frame: pd.DataFrame, start: str) -> pd.DataFrame:
    return frame[frame["period"].map(order_key) >= order_key(start)]


def _diff(old: dict[tuple, str], new: dict[tuple, str], names, label=None) -> tuple:
    """Rows (期别, 村名, 项目, 原来, 现在) for the keys (period, village, item) that differ;
    without `label`, rows (期别, 村名, 原来, 现在)."""
    keys = sorted(
        (k for k in set(old) | set(new) if old.get(k, NOTHING) != new.get(k, NOTHING)),
        key=lambda k: (order_key(k[0]), names.get(k[1], k[1]), k[2]),
    )
    return tuple(
        (
            month_title(k[0]),
            names.get(k[1], k[1]),
            *([label(k[2])] if label else []),
            old.get(k, NOTHING),
            new.get(k, NOTHING),
        )
        for k in keys
    )


def score_rows(old: tuple, new: tuple, start: str, names, categories) -> tuple:
    """Each changed cell: the typed score, with 加分/扣分 as the preview shows them."""

    def texts(data: Dataset, results: Results) -> dict[tuple, str]:
        cells = pd.concat([data.scores, data.annual.rename(columns={"year": "period"})])
        keys = ["period", "village_id", "category"]
        adjustments = results.flags[[*keys, "adjustment"]]
        cells = _since(cells, start).merge(adjustments, on=keys, how="left")
        return {
            (c.period, c.village_id, c.category): "未参评"
            if pd.isna(c.cell)
            else score_text(c.cell + _zero(c.adjustment), c.cell, _zero(c.adjustment))
            for c in cells.itertuples()
        }

    return _diff(texts(*old), texts(*new), names, lambda c: categories.get(c, c))


def _zero(value) -> int:
    return 0 if pd.isna(value) else int(value)


def flag_rows(old: tuple, new: tuple, start: str, names, categories) -> tuple:
    def texts(results: Results) -> dict[tuple, str]:
        flags = _since(results.flags, start)
        flags = flags[flags["flag"].isin(list(labels.FLAG_NAMES))]
        return {
            (f.period, f.village_id, f.category): labels.FLAG_NAMES[f.flag]
            + (f"（{labels.BASIS_NAMES['meeting']}）" if f.basis == "meeting" else "")
            for f in flags.itertuples()
        }

    return _diff(texts(old[1]), texts(new[1]), names, lambda c: categories.get(c, c))


def money_rows(old: Results, new: Results, start: str, names) -> tuple:
    def texts(results: Results) -> dict[tuple, str]:
        paid = _since(results.rewards, start)
        paid = paid[(paid["reward"] != 0) | (paid["penalty"] != 0)]
        return {
            (r.period, r.village_id, ""): _money(r.reward, r.penalty) for r in paid.itertuples()
        }

    return _diff(texts(old), texts(new), names)


def _money(reward: int, penalty: int) -> str:
    parts = [f"嘉奖 {reward} 元"] if reward else []
    return "、".join(parts + ([f"扣罚 {penalty} 元"] if penalty else []))


def action_rows(old: Results, new: Results, start: str, names) -> tuple:
    def texts(results: Results) -> dict[tuple, str]:
        found: dict[tuple, list[str]] = {}
        for a in _since(results.actions, start).itertuples():
            found.setdefault((a.period, a.village_id, ""), []).append(a.action)
        order = list(labels.ACTION_NAMES)
        return {
            key: "、".join(labels.ACTION_NAMES[a] for a in sorted(set(acts), key=order.index))
            for key, acts in found.items()
        }

    return _diff(texts(old), texts(new), names)
