"""The rule version in force said in words (issue 19 #1): every money and flag sentence read back
by an independent reader (_sentence_helpers) promises what the rules compute, for tier lists of
any length, equal neighbours, zero amounts, and red and yellow tiers that differ."""

from __future__ import annotations

import pytest
from _sentence_helpers import money_promise, promised_amount, reference_amount
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from towns import Town

from generator.site.rulewords import flag_sentence, money_sentence, tiers

AMOUNTS = st.lists(st.sampled_from([0, 500, 1000, 2000, 2000, 4000, 6000]), min_size=1, max_size=5)


def rule(reward: list[int], penalty: list[int], red: int = 3, yellow: int = 3) -> dict:
    return {
        "reward_tiers": reward,
        "penalty_tiers": penalty,
        "red_count": red,
        "yellow_count": yellow,
    }


@given(reward=AMOUNTS, penalty=AMOUNTS)
@settings(max_examples=examples(300))
def test_the_money_sentence_promises_every_tier_of_the_rule(reward, penalty):
    promise = money_promise(money_sentence(rule(reward, penalty)))
    for flags in range(0, max(len(reward), len(penalty)) + 3):
        assert promised_amount(promise["红旗"], flags) == reference_amount(flags, reward)
        assert promised_amount(promise["黄旗"], flags) == reference_amount(flags, penalty)


@pytest.mark.parametrize(
    ("amounts", "words"),
    [
        ([2000], "红旗嘉奖：1面及以上2,000元"),
        ([1000, 3000], "红旗嘉奖：1面1,000元、2面及以上3,000元"),
        (
            [500, 2000, 4000, 6000],
            "红旗嘉奖：1面500元、2面2,000元、3面4,000元、4面及以上6,000元",
        ),
        (
            [100, 200, 300, 400, 500],
            "红旗嘉奖：1面100元、2面200元、3面300元、4面400元、5面及以上500元",
        ),
        ([1000, 1000, 3000], "红旗嘉奖：1至2面1,000元、3面及以上3,000元"),
        ([1000, 3000, 3000], "红旗嘉奖：1面1,000元、2面及以上3,000元"),
        ([0, 1000], "红旗嘉奖：1面不嘉奖、2面及以上1,000元"),
        ([0, 0], "红旗不嘉奖"),
    ],
)
def test_tiers_read_as_a_person_says_them(amounts, words):
    sentence = money_sentence(rule(amounts, [1000]))
    assert sentence.split("；")[0].endswith(words)
    assert "黄旗扣罚：1面及以上1,000元" in sentence


def test_four_red_tiers_and_two_yellow_ones_are_never_three_labels():
    sentence = money_sentence(rule([500, 2000, 4000, 6000], [1000, 3000]))
    assert "3面及以上" not in sentence
    assert "4面及以上6,000元" in sentence and "2面及以上3,000元" in sentence


def test_an_equal_last_pair_ends_the_list_early():
    assert [(t.first, t.last, t.amount) for t in tiers([1000, 3000, 3000])] == [
        (1, 1, 1000),
        (2, None, 3000),
    ]


@pytest.mark.parametrize(
    ("red", "yellow", "words"), [(3, 3, ("前三名", "后三名")), (2, 1, ("前两名", "后一名"))]
)
def test_the_flag_sentence_says_the_counts_in_force(red, yellow, words):
    sentence = flag_sentence(rule([1000], [1000], red, yellow))
    assert all(w in sentence for w in words)


@given(reward=AMOUNTS, penalty=AMOUNTS, reds=st.integers(0, 4), yellows=st.integers(0, 4))
@settings(max_examples=examples(60))
def test_what_the_sentence_promises_is_what_the_rules_pay(reward, penalty, reds, yellows):
    """One village red in `reds` categories and yellow in `yellows` others, in a town whose
    grid has one red and one yellow flag per category: the rules pay what the sentence says."""
    columns = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"]
    town = Town(
        categories=[(f"c{i}", name, "monthly") for i, name in enumerate(columns)],
        rules=[
            {
                "from": "2024-01",
                "red_count": 1,
                "yellow_count": 1,
                "reward_tiers": reward,
                "penalty_tiers": penalty,
            }
        ],
        grids=["g1"],
    )
    mine = [90] * reds + [10] * yellows + [50] * (8 - reds - yellows)
    town.month("2024-01", {"v": mine, "w1": [60] * 8, "w2": [40] * 8}, columns)
    rewards = town.compute().rewards.set_index("village_id")
    promise = money_promise(money_sentence(rule(reward, penalty)))
    assert rewards.loc["v", "reward"] == promised_amount(promise["红旗"], reds)
    assert rewards.loc["v", "penalty"] == promised_amount(promise["黄旗"], yellows)
