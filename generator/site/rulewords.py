"""The rule version in force said in words: who gets a flag and what flags are worth. Every
channel (period page, a grid's page, the 公众号 article, the poster, /rules/) takes these
sentences from here, so that they always say what the rules compute. Pure.

A tier list gives the amount for 1, 2, 3 … flags, and more flags than the list is long take its
last amount (docs/data-format.md §2): consecutive counts with the same amount are said once
(1至2面), the last tier as N面及以上, and an amount of 0 as 不嘉奖 / 不扣罚.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.site.format import cn_number, yuan

REWARD, PENALTY = "嘉奖", "扣罚"


@dataclass(frozen=True)
class Tier:
    """Flag counts from `first` to `last` (None: and more) that are worth `amount` 元."""

    first: int
    last: int | None
    amount: int

    @property
    def flags(self) -> str:
        """1面, 1至2面, 3面及以上."""
        if self.last is None:
            return f"{self.first}面及以上"
        if self.last == self.first:
            return f"{self.first}面"
        return f"{self.first}至{self.last}面"

    def worth(self, verb: str) -> str:
        """2,000元, or 不嘉奖 for 0."""
        return f"{yuan(self.amount)}元" if self.amount else f"不{verb}"


def tiers(amounts: list[int] | tuple[int, ...]) -> list[Tier]:
    """The amounts by flag count, equal neighbours merged; the last tier open-ended."""
    found: list[Tier] = []
    for count, amount in enumerate(amounts, start=1):
        if found and found[-1].amount == amount:
            found[-1] = Tier(found[-1].first, count, amount)
        else:
            found.append(Tier(count, count, amount))
    if found:
        found[-1] = Tier(found[-1].first, None, found[-1].amount)
    return found


def tier_list(amounts: list[int] | tuple[int, ...], verb: str) -> str:
    """'1面2,000元、2面及以上4,000元', or '不嘉奖' when every amount is 0."""
    return "、".join(tier_parts(amounts, verb))


def tier_parts(amounts: list[int] | tuple[int, ...], verb: str) -> list[str]:
    """['1面2,000元', '2面及以上4,000元'], or ['不嘉奖'] when every amount is 0: a tier a
    line where a table lists them."""
    found = tiers(amounts)
    if all(t.amount == 0 for t in found):
        return [f"不{verb}"]
    return [f"{t.flags}{t.worth(verb)}" for t in found]


def tier_words(amounts: list[int] | tuple[int, ...], flag: str, verb: str) -> str:
    """'红旗嘉奖：1面2,000元、2面及以上4,000元', or '红旗不嘉奖' when every amount is 0."""
    listed = tier_list(amounts, verb)
    return f"{flag}{listed}" if listed == f"不{verb}" else f"{flag}{verb}：{listed}"


def money_sentence(rule: dict) -> str:
    """What a period's red and yellow flags are worth under `rule` (a rule version as
    results.json has it), in one sentence."""
    red = tier_words(rule["reward_tiers"], "红旗", REWARD)
    yellow = tier_words(rule["penalty_tiers"], "黄旗", PENALTY)
    return f"按每村当月面数，{red}；{yellow}；红旗黄旗都有的，奖罚相抵。"


def flag_sentence(rule: dict) -> str:
    """Who gets a flag under `rule`: 前三名 red, the last of the rest yellow, ties included."""
    red, yellow = count_words(rule["red_count"]), count_words(rule["yellow_count"])
    return (
        f"每个网格、每个项目得分前{red}名得红旗（先进村），其余参评村得分后{yellow}名"
        "得黄旗（促进村），同分并列。"
    )


def count_words(number: int) -> str:
    """前两名, not 前二名: a count in words."""
    return "两" if number == 2 else cn_number(number)


FILTERS = {"money_sentence": money_sentence, "flag_sentence": flag_sentence}
