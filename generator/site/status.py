"""A village's status at the latest period, for the top of its page (当前状态): its flags with
their rank context, its yellow-flag chains, the actions in force, and what one more yellow flag
would bring by docs/data-format.md §4. Pure: a SiteIndex's rows in, a dict for the template out.

What happens next is computed by the rules of §4 (`if_yellow`), never written as fixed text, and
said in whole sentences here, each naming the year it is about: the next period may fall in the
latest period's year (when that is not December) or be the first period of the next year, where
the year's counts (警告 at 3 flags, 降档, 降星) start again, so each case gets its own lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator import labels
from generator.periods import label, month_number, year_of
from generator.rules import STAR_LOSS_PERIODS, SUSPENSION_FLAGS, WARNING_YEAR_FLAGS
from generator.site.blocks import row_anchor, why
from generator.site.views import SiteIndex

MONTHLY = ("interview", "warning", "suspension")
YEARLY = ("downgrade", "star_loss")
LAST_YEAR = 2099  # periods run to 2099-12 (docs/data-format.md §2.1)


@dataclass(frozen=True)
class Chain:
    """A village's yellow flags as they stand after period P."""

    yellow: int  # yellow flags in P
    year_total: int  # yellow flags in P's year, counted up to P
    year_periods: int  # periods of P's year with a yellow flag, P included
    yearly: frozenset[str] = frozenset()  # yearly actions P's year already holds


@dataclass(frozen=True)
class Next:
    """Where the next period falls: later in P's year (`same_year`), or in `year` after it,
    as that year's first period."""

    year: str
    same_year: bool

    @property
    def lead(self) -> str:
        """How a sentence about it begins: 如2024年内的下一期 / 如2025年第一期."""
        return f"如{self.year}年内的下一期" if self.same_year else f"如{self.year}年第一期"


def if_yellow(chain: Chain, flags: int, when: Next) -> list[tuple[str, str]]:
    """(action, why) that `flags` yellow flags in the next period bring, by
    docs/data-format.md §4; each why names the year whose count it is."""
    total = chain.year_total if when.same_year else 0
    periods = chain.year_periods if when.same_year else 0
    yearly = chain.yearly if when.same_year else frozenset()
    found = [("interview", "")]
    if chain.yellow:
        found.append(("warning", "连续两期得黄旗"))
    elif total < WARNING_YEAR_FLAGS <= total + flags:
        found.append(("warning", f"{when.year}年黄旗累计达到{WARNING_YEAR_FLAGS}面"))
    if chain.yellow >= SUSPENSION_FLAGS and flags >= SUSPENSION_FLAGS:
        found.append(("suspension", f"连续两期各得{SUSPENSION_FLAGS}面及以上黄旗"))
    if when.same_year and chain.yellow and "downgrade" not in yearly:
        found.append(("downgrade", f"{when.year}年内连续两期得黄旗"))
    if periods + 1 >= STAR_LOSS_PERIODS and "star_loss" not in yearly:
        found.append(("star_loss", f"{when.year}年第{periods + 1}期得黄旗"))
    return found


def next_steps(chain: Chain, meanings: dict[str, str], when: Next) -> list[dict]:
    """What 1, 2, 3 … yellow flags next period bring: the first line, then what more flags add."""
    steps, seen = [], set()
    for flags in range(1, max(WARNING_YEAR_FLAGS, SUSPENSION_FLAGS) + 1):
        new = [(a, w) for a, w in if_yellow(chain, flags, when) if a not in seen]
        if new:
            seen.update(a for a, _ in new)
            steps.append({"flags": flags, "actions": [_action(a, w, meanings) for a, w in new]})
    return steps


def next_sentences(chain: Chain, meanings: dict[str, str], when: Next) -> list[str]:
    """接下来 for one place of the next period: '如2024年内的下一期再得黄旗：…。' and
    '如2024年内的下一期得3面及以上黄旗，还将：…。'"""
    found = []
    for step in next_steps(chain, meanings, when):
        brings = "；".join(
            a["meaning"] + (f"（{a['why']}）" if a["why"] else "") for a in step["actions"]
        )
        if not found:
            found.append(f"{when.lead}{'再' if chain.yellow else ''}得黄旗：{brings}。")
        else:
            found.append(f"{when.lead}得{step['flags']}面及以上黄旗，还将：{brings}。")
    return found


def next_periods(period: str, village: dict) -> list[Next]:
    """Where the village's next period may fall: later in P's year when P is not December, and
    the next year; only where the village is still active (its 终止月份)."""
    year, end = year_of(period), village.get("end")
    found = []
    if month_number(period) < 12 and (end is None or end > period):
        found.append(Next(year, True))
    following = str(int(year) + 1)
    if int(following) <= LAST_YEAR and (end is None or end >= f"{following}-01"):
        found.append(Next(following, False))
    return found


def _action(action: str, reason: str, meanings: dict[str, str]) -> dict:
    """`meanings`: labels.ACTION_MEANINGS in the town's words (TownWords.action_meanings)."""
    return {
        "action": action,
        "name": labels.ACTION_TITLES[action],
        "meaning": meanings[action],
        "why": reason,
    }


def village_status(
    index: SiteIndex, village_id: str, rank_url: Callable[[str, str], str]
) -> dict | None:
    """当前状态 at the latest period; `rank_url(period, grid)` is the page of its rankings."""
    period = index.latest
    if period is None:
        return None
    money = {r["period"]: r for r in index.village_rows("rewards", village_id)}
    year = year_of(period)
    chain = _chain(index, village_id, money, period)
    village = index.village[village_id]
    joined = index.refs[village_id].get("successor", {}).get("name", "")
    meanings = index.words.action_meanings
    return {
        "period": index.period_ref(period),
        "year": index.period_ref(year),
        "as_of": index.as_of(year),
        "active": period in money,
        "outside": outside(village, period, joined),
        "evaluated": village_id in index.evaluated(period),
        "categories": _categories(index, village_id, period, rank_url),
        "chain": _chain_words(index, money, period, chain),
        "actions": _in_force(index, village_id, period),
        "next": [
            s for w in next_periods(period, village) for s in next_sentences(chain, meanings, w)
        ],
        "last": ended(village, period, joined),
        "annual": _annual(index, village_id, period, chain),
    }


def outside(village: dict, period: str, joined: str = "") -> str:
    """Why a village is not active in `period`: '本村自2025年3月起参评。' / '本村参评至…。'."""
    start, end = village.get("start"), village.get("end")
    if start and start > period:
        return f"本村自{label(start)}起参评。"
    if end and end < period:
        return _until(end, joined)
    return ""


def ended(village: dict, period: str, joined: str = "") -> str:
    """'本村参评至2024年6月，此后不再参加评比。' when `period` is its last month; a merged
    village names the village it joined (`joined`)."""
    end = village.get("end")
    return _until(end, joined) if end == period else ""


def _until(end: str, joined: str) -> str:
    after = f"此后并入{joined}" if joined else "此后不再参加评比"
    return f"本村参评至{label(end)}，{after}。"


def _chain(index: SiteIndex, village_id: str, money: dict, period: str) -> Chain:
    year = year_of(period)
    in_year = [money[p] for p in index.year_info[year]["periods"] if p <= period and p in money]
    yearly = {a["action"] for a in index.village_rows("actions", village_id) if a["period"] == year}
    return Chain(
        yellow=money[period]["yellow"] if period in money else 0,
        year_total=sum(r["yellow"] for r in in_year),
        year_periods=sum(1 for r in in_year if r["yellow"]),
        yearly=frozenset(yearly),
    )


def _categories(index: SiteIndex, village_id: str, period: str, rank_url) -> list[dict]:
    """Per category of the period: score, 第N名/共M村, flag and where its row is; a category
    the village was not scored in says 未参评."""
    rows = {
        r["category"]: r for r in index.village_rows("flags", village_id) if r["period"] == period
    }
    rule = index.rule(period)
    found = []
    for category in index.categories_in(index.period_info[period]["categories"]):
        r = rows.get(category["id"])
        if r is None:
            found.append(
                {"category": category, "score": None, "rank": None, "flag": None, "why": ()}
            )
            continue
        url = rank_url(period, r["grid"]) + "#" + row_anchor(village_id)
        found.append(
            {
                "category": category,
                "score": r["score"],
                "rank": r["rank"],
                "of": index.ranked(period, r["grid"], r["category"]),
                "flag": r["flag"],
                "why": why(r, rule),
                "url": url,
            }
        )
    return found


def _chain_words(index: SiteIndex, money: dict, period: str, chain: Chain) -> list[str]:
    """连续几期黄旗, 2024年第几面黄旗: sentences, empty when it holds no yellow flag this year."""
    words, year = [], year_of(period)
    if chain.yellow:
        run = 0
        for p in reversed(index.periods[: index.periods.index(period) + 1]):
            if not money.get(p, {}).get("yellow"):
                break
            run += 1
        words.append(f"已连续{run}期得黄旗" if run > 1 else "本期得黄旗，上期没有")
    if chain.year_total:
        first = chain.year_total - chain.yellow + 1
        these = f"第{first}至{chain.year_total}面" if chain.yellow > 1 else f"第{first}面"
        count = f"{year}年累计黄旗{chain.year_total}面，分布在{chain.year_periods}期"
        words.append(f"{count}；本期的是{year}年{these}" if chain.yellow else count)
    return words


def _in_force(index: SiteIndex, village_id: str, period: str) -> list[dict]:
    """The actions of the latest period (the year's are in `_annual`)."""
    rows = [a for a in index.village_rows("actions", village_id) if a["period"] == period]
    rows.sort(key=lambda a: MONTHLY.index(a["action"]) if a["action"] in MONTHLY else 9)
    meanings = index.words.action_meanings
    return [_action(a["action"], a["reason"], meanings) for a in rows]


def _annual(index: SiteIndex, village_id: str, period: str, chain: Chain) -> list[str]:
    """How close the year's consequences are: 降档, 降星, 优先评优, each naming its year."""
    found, year = [], year_of(period)
    meanings = index.words.action_meanings
    if "downgrade" in chain.yearly:
        found.append(f"{year}年已有连续两期得黄旗：{meanings['downgrade']}")
    if "star_loss" in chain.yearly:
        found.append(f"{year}年已有{chain.year_periods}期得黄旗：{meanings['star_loss']}")
    elif chain.year_periods:
        found.append(_star_loss_ahead(index, village_id, period, chain))
    rows = index.years_of_village.get(village_id, [])
    mine = next((r for r in rows if r["year"] == year), None)
    if mine and mine["priority_rank"] is not None:
        found.append(
            f"{year}年已得红旗{mine['red']}面，{index.words.whole}第{mine['priority_rank']}名，"
            "可列入优先评优"
        )
    elif mine and mine["red"]:
        found.append(f"{year}年有一票否决，不能列入优先评优")
    return found


def _star_loss_ahead(index: SiteIndex, village_id: str, period: str, chain: Chain) -> str:
    """'2024年已有2期得黄旗，2024年内再有1期得黄旗，…降一颗星' — the second half only when the
    months of the year left to the village can still hold that many periods."""
    year = year_of(period)
    said = f"{year}年已有{chain.year_periods}期得黄旗"
    left = STAR_LOSS_PERIODS - chain.year_periods
    end = index.village[village_id].get("end")
    last = min(end, f"{year}-12") if end else f"{year}-12"
    months_left = max(0, month_number(last) - month_number(period)) if last > period else 0
    if left > months_left:
        return said
    meaning = index.words.action_meanings["star_loss"]
    return f"{said}，{year}年内再有{left}期得黄旗，{meaning}"
