"""The data of the rules page (/rules/): what town.toml says, as results.json carries it —
the categories in force and their kinds, every rule version with its months, flag counts and
money tiers, full marks. The page's prose is content/pages/rules.md; theme/templates/rules.html
puts the two together, so a rule change shows on the next build without editing Markdown. Pure.
"""

from __future__ import annotations

from generator.periods import label
from generator.site.format import yuan
from generator.site.publication import appeal_steps
from generator.site.rulewords import (
    PENALTY,
    REWARD,
    count_words,
    flag_sentence,
    money_sentence,
    tier_parts,
    tiers,
)
from generator.site.views import SiteIndex

KIND_WORDS = {
    "monthly": "每月必评",
    "optional": "每月可选（当月评分表有这一列才评）",
    "annual": "年度项目（每年评一次，不计奖罚）",
}


def rules_data(index: SiteIndex, notice: dict | None = None) -> dict:
    """Categories and rule versions for the rules page, the version in force last, and the
    way to 复议 (`notice`: town.toml's [notice], revisions.notice_settings)."""
    versions = [index.rules[key] for key in sorted(index.rules)]
    return {
        "categories": [_category(c) for c in index.categories],
        "versions": [
            _version(v, versions[i + 1]["from"] if i + 1 < len(versions) else None)
            for i, v in enumerate(versions)
        ],
        "marks": sorted({c["full_marks"] for c in index.categories}),
        "appeal": appeal_steps(notice or {}, index.words),
    }


def _category(category: dict) -> dict:
    start, end = category.get("from"), category.get("until")
    if start and end:
        when = f"{label(start)}至{label(end)}"
    elif start:
        when = f"{label(start)}起"
    elif end:
        when = f"至{label(end)}"
    else:
        when = "一直评比"
    return {
        "name": category["name"],
        "kind": KIND_WORDS.get(category["kind"], category["kind"]),
        "full_marks": category["full_marks"],
        "when": when,
    }


def _version(rule: dict, following: str | None) -> dict:
    """One rule version: from when to when, the flag counts in words, the money tiers."""
    start = label(rule["from"])
    return {
        "from": rule["from"],
        "when": f"{start}起" if following is None else f"{start}至{_month_before(following)}",
        "current": following is None,
        "red": f"前{count_words(rule['red_count'])}名",
        "yellow": f"后{count_words(rule['yellow_count'])}名",
        "rewards": _tiers(rule["reward_tiers"]),
        "penalties": _tiers(rule["penalty_tiers"]),
        "flags": flag_sentence(rule),
        "money": money_sentence(rule),
        "reward_words": tier_parts(rule["reward_tiers"], REWARD),  # a tier a line
        "penalty_words": tier_parts(rule["penalty_tiers"], PENALTY),
    }


def _tiers(amounts: list[int]) -> list[dict]:
    """The table of a tier list (rulewords.tiers): 1面, 1至2面, … N面及以上."""
    return [{"flags": t.flags, "amount": yuan(t.amount)} for t in tiers(amounts)]


def _month_before(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    year, number = (year - 1, 12) if number == 1 else (year, number - 1)
    return f"{year}年{number}月"
