"""Readers of the site's rule sentences, written apart from generator/site/rulewords.py: they
read a sentence back into what it promises (an amount per flag count), so tests compare the
promise with what the rules compute, not with the code that wrote it."""

from __future__ import annotations

import html
import re

ITEM = re.compile(r"(\d+)(?:至(\d+))?面(及以上)?(?:([\d,]+)元|不(?:嘉奖|扣罚))")
PART = re.compile(r"(红旗|黄旗)(?:不(?:嘉奖|扣罚)(?=；|。|$)|(?:嘉奖|扣罚)：([^；。]+))")


def money_promise(sentence: str) -> dict[str, list[tuple[int, int | None, int]]]:
    """'红旗嘉奖：1面500元、2至3面2,000元、4面及以上6,000元；黄旗不扣罚…' →
    {"红旗": [(1, 1, 500), (2, 3, 2000), (4, None, 6000)], "黄旗": [(1, None, 0)]}."""
    found: dict[str, list[tuple[int, int | None, int]]] = {}
    for flag, items in PART.findall(sentence):
        if not items:
            found[flag] = [(1, None, 0)]
            continue
        tiers = []
        for item in items.split("、"):
            match = ITEM.fullmatch(item)
            assert match, f"not a tier: {item!r} in {sentence!r}"
            first, last, more, amount = match.groups()
            end = None if more else int(last or first)
            tiers.append((int(first), end, int(amount.replace(",", "")) if amount else 0))
        found[flag] = tiers
    return found


def promised_amount(tiers: list[tuple[int, int | None, int]], flags: int) -> int:
    """The amount a promise gives `flags` flags (0 for none), checking that its tiers cover
    1, 2, 3 … each exactly once."""
    if flags == 0:
        return 0
    expected = 1
    for first, last, _ in tiers:
        assert first == expected, f"tiers leave a gap or overlap: {tiers}"
        expected = (last or first) + 1
    assert tiers[-1][1] is None, f"the last tier is not open-ended: {tiers}"
    return next(a for first, last, a in tiers if first <= flags and (last is None or flags <= last))


def reference_amount(flags: int, tiers: list[int]) -> int:
    """docs/data-format.md §2: the amount for `flags`, the last tier for more."""
    return 0 if flags == 0 else tiers[min(flags, len(tiers)) - 1]


def page_text(markup: str) -> str:
    """A page's visible text, tags and scripts taken out, white space collapsed."""
    markup = re.sub(r"<(style|script)\b.*?</\1>", "", markup, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))
