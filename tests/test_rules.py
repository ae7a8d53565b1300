"""Every rule of RULES.md §3 and §4 on small hand-made towns.

Results hold scores, averages and totals in integer hundredths of a point (9250 is 92.5).
"""

from __future__ import annotations

from towns import Town, actions_of, flag_of, flags_by_village

from generator.rules import compute

R, Y, N = "red", "yellow", ""


def one_month(scores: dict, **town) -> Town:
    return Town(**town).month("2024-03", scores)


def flags_for(scores: dict, **town) -> dict[str, str]:
    return flags_by_village(one_month(scores, **town).compute(), "2024-03")


# -- §3.1 score and rank ---------------------------------------------------------


def test_competition_rank_1224():
    results = one_month({"v1": 95, "v2": 90, "v3": 90, "v4": 80, "v5": 70}).compute()
    ranks = dict(zip(results.flags["village_id"], results.flags["rank"], strict=True))
    assert ranks == {"v1": 1, "v2": 2, "v3": 2, "v4": 4, "v5": 5}


def test_empty_cell_has_no_rank_no_flag_no_average():
    results = one_month({"v1": 90, "v2": None, "v3": 80, "v4": 70}).compute()
    assert flag_of(results, "2024-03", "v2") is None
    averages = results.grid_averages
    row = averages[averages["category"] == "a"].iloc[0]
    assert (row["average"], row["count"]) == (8000, 3)


def test_bonus_and_deduction_change_the_order():
    town = one_month({"v1": 90, "v2": 89, "v3": 88, "v4": 87, "v5": 86, "v6": 85, "v7": 84})
    town.event("2024-03", "v7", "加分", "甲项", "10", "表彰")
    town.event("2024-03", "v1", "扣分", "甲项", "6.5", "通报")
    town.event("2024-03", "v1", "扣分", "甲项", "1", "再次通报")
    results = town.compute()
    flags = flags_by_village(results, "2024-03")
    assert flags == {"v7": R, "v2": R, "v3": R, "v1": Y, "v5": Y, "v6": Y, "v4": N}
    scores = results.flags.set_index("village_id")["score"]
    assert scores["v7"] == 9400 and scores["v1"] == 8250


def test_adjusted_scores_are_not_clamped():
    town = one_month({"v1": 99, "v2": 50, "v3": 1, "v4": 60})
    town.event("2024-03", "v1", "加分", "甲项", "5", "表彰")
    town.event("2024-03", "v3", "扣分", "甲项", "3", "通报")
    scores = town.compute().flags.set_index("village_id")["score"]
    assert scores["v1"] == 10400 and scores["v3"] == -200


# -- §3.2 red and yellow -----------------------------------------------------------


def test_ties_at_the_red_boundary_are_all_red():
    flags = flags_for(
        {"v1": 95, "v2": 90, "v3": 90, "v4": 90, "v5": 80, "v6": 70, "v7": 60, "v8": 50}
    )
    assert flags == {"v1": R, "v2": R, "v3": R, "v4": R, "v5": N, "v6": Y, "v7": Y, "v8": Y}


def test_ties_at_the_yellow_boundary_are_all_yellow():
    flags = flags_for(
        {"v1": 99, "v2": 98, "v3": 97, "v4": 96, "v5": 60, "v6": 60, "v7": 50, "v8": 40}
    )
    assert flags == {"v1": R, "v2": R, "v3": R, "v4": N, "v5": Y, "v6": Y, "v7": Y, "v8": Y}


def test_all_tied_group_is_all_red():
    flags = flags_for({"v1": 80, "v2": 80, "v3": 80, "v4": 80, "v5": 80})
    assert set(flags.values()) == {R}


def test_grid_of_four_three_red_one_yellow():
    assert flags_for({"v1": 90, "v2": 80, "v3": 70, "v4": 60}) == {
        "v1": R,
        "v2": R,
        "v3": R,
        "v4": Y,
    }


def test_grid_of_five_every_village_flagged():
    flags = flags_for({"v1": 90, "v2": 80, "v3": 70, "v4": 60, "v5": 50})
    assert flags == {"v1": R, "v2": R, "v3": R, "v4": Y, "v5": Y}


def test_grid_of_six_three_and_three():
    flags = flags_for({f"v{i}": 100 - 5 * i for i in range(1, 7)})
    assert list(flags.values()).count(R) == 3 and list(flags.values()).count(Y) == 3


def test_grids_are_ranked_separately():
    town = Town()
    town.villages = [
        ("e1", "g1"),
        ("e2", "g1"),
        ("e3", "g1"),
        ("e4", "g1"),
        ("w1", "g2"),
        ("w2", "g2"),
        ("w3", "g2"),
        ("w4", "g2"),
    ]
    town.month(
        "2024-03", {"e1": 90, "e2": 89, "e3": 88, "e4": 87, "w1": 50, "w2": 49, "w3": 48, "w4": 47}
    )
    flags = flags_by_village(town.compute(), "2024-03")
    assert flags["w1"] == R and flags["e4"] == Y


# -- §3.3 meetings -----------------------------------------------------------------------


def test_meeting_with_a_top_score_takes_no_ordinary_slot():
    town = one_month({"v1": 99, "v2": 90, "v3": 80, "v4": 70, "v5": 60, "v6": 50, "v7": 40})
    town.event("2024-03", "v1", "现场会", "甲项", "", "区级现场会")
    results = town.compute()
    flags = flags_by_village(results, "2024-03")
    assert flags == {"v1": R, "v2": R, "v3": R, "v4": R, "v5": Y, "v6": Y, "v7": Y}
    basis = dict(zip(results.flags["village_id"], results.flags["basis"], strict=True))
    assert basis["v1"] == "meeting" and basis["v2"] == "rank"


def test_meeting_with_a_low_score_is_red_and_never_yellow():
    town = one_month({"v1": 99, "v2": 90, "v3": 80, "v4": 70, "v5": 60, "v6": 50, "v7": 40})
    town.event("2024-03", "v7", "现场会", "甲项", "", "市级现场会")
    flags = flags_by_village(town.compute(), "2024-03")
    assert flags == {"v1": R, "v2": R, "v3": R, "v4": Y, "v5": Y, "v6": Y, "v7": R}


def test_meeting_only_in_its_category():
    town = one_month(
        {"v1": [40, 40], "v2": [90, 90], "v3": [80, 80], "v4": [70, 70], "v5": [60, 60]}
    )
    town.event("2024-03", "v1", "现场会", "乙项", "", "区级现场会")
    results = town.compute()
    assert flag_of(results, "2024-03", "v1", "a") == Y
    assert flag_of(results, "2024-03", "v1", "b") == R


def test_meeting_on_an_unscored_cell_still_gives_red():
    town = one_month({"v1": None, "v2": 90, "v3": 80, "v4": 70})
    town.event("2024-03", "v1", "现场会", "甲项", "", "区级现场会")
    results = town.compute()
    row = results.flags[results.flags["village_id"] == "v1"].iloc[0]
    assert row["flag"] == R and row["basis"] == "meeting" and row["rank"] is __import__("pandas").NA


def test_meeting_counts_for_rewards():
    town = one_month({"v1": 40, "v2": 90, "v3": 80, "v4": 70, "v5": 60})
    town.event("2024-03", "v1", "现场会", "甲项", "", "区级现场会")
    rewards = town.compute().rewards.set_index("village_id")
    assert (rewards.loc["v1", "red"], rewards.loc["v1", "reward"]) == (1, 1000)


# -- §3.4 veto -------------------------------------------------------------------------------


def test_veto_passes_the_red_slot_on():
    town = one_month(
        {"v1": 99, "v2": 90, "v3": 80, "v4": 70, "v5": 60, "v6": 50, "v7": 40, "v8": 30}
    )
    town.event("2024-03", "v1", "一票否决", "", "", "安全生产事故")
    flags = flags_by_village(town.compute(), "2024-03")
    assert [flags[v] for v in ("v2", "v3", "v4")] == [R, R, R]
    assert flags["v1"] == N


def test_vetoed_village_can_still_be_yellow():
    town = one_month({"v1": 99, "v2": 90, "v3": 80, "v4": 70})
    town.event("2024-03", "v1", "一票否决", "", "", "群体性事件")
    flags = flags_by_village(town.compute(), "2024-03")
    assert flags == {"v1": Y, "v2": R, "v3": R, "v4": R}


def test_veto_cancels_a_meeting_flag():
    town = one_month({"v1": 99, "v2": 90, "v3": 80, "v4": 70, "v5": 60})
    town.event("2024-03", "v1", "现场会", "甲项", "", "区级现场会")
    town.event("2024-03", "v1", "一票否决", "", "", "安全事故")
    results = town.compute()
    flags = flags_by_village(results, "2024-03")
    assert flags["v1"] == Y and [flags[v] for v in ("v2", "v3", "v4")] == [R, R, R]


def test_veto_bars_priority_for_the_year_but_not_other_years():
    town = Town().month("2023-12", {"v1": 99, "v2": 10, "v3": 20, "v4": 30})
    town.month("2024-03", {"v1": 99, "v2": 10, "v3": 20, "v4": 30})
    town.event("2024-03", "v1", "一票否决", "", "", "重大事故")
    actions = actions_of(town.compute(), "v1")
    assert ("2023", "priority") in actions and ("2024", "priority") not in actions


# -- §3.5 money ---------------------------------------------------------------------------------


def test_tiers_per_flag_count():
    town = Town(
        categories=[
            ("a", "甲项", "monthly"),
            ("b", "乙项", "monthly"),
            ("c", "丙项", "monthly"),
            ("d", "丁项", "monthly"),
        ]
    )
    town.month(
        "2024-03",
        {
            "v1": [99, 99, 99, 99],
            "v2": [90, 90, 90, 10],
            "v3": [80, 80, 10, 80],
            "v4": [10, 70, 70, 70],
            "v5": [5, 5, 5, 5],
        },
        columns=["甲项", "乙项", "丙项", "丁项"],
    )
    rewards = town.compute().rewards.set_index("village_id")
    assert rewards.loc["v1", ["red", "reward"]].tolist() == [4, 5000]
    assert rewards.loc["v5", ["yellow", "penalty", "net"]].tolist() == [4, 5000, -5000]
    # a 10 (yellow), b 70 (yellow: five villages, all flagged), c 70 (red), d 70 (red)
    assert rewards.loc["v4", ["red", "yellow", "reward", "penalty", "net"]].tolist() == [
        2,
        2,
        3000,
        3000,
        0,
    ]


def test_short_tier_list_takes_its_last_amount():
    town = Town(rules=[{"from": "2020-01", "reward_tiers": [800], "penalty_tiers": [500, 900]}])
    town.month("2024-03", {"v1": [99, 99], "v2": [90, 90], "v3": [80, 80], "v4": [1, 1]})
    rewards = town.compute().rewards.set_index("village_id")
    assert rewards.loc["v1", "reward"] == 800
    assert rewards.loc["v4", "penalty"] == 900


def test_rule_versions_apply_from_their_month():
    town = Town(
        rules=[
            {"from": "2020-01"},
            {
                "from": "2024-04",
                "red_count": 1,
                "yellow_count": 1,
                "reward_tiers": [2000],
                "penalty_tiers": [1500],
            },
        ]
    )
    scores = {"v1": 90, "v2": 80, "v3": 70, "v4": 60, "v5": 50}
    town.month("2024-03", scores).month("2024-04", scores)
    results = town.compute()
    assert list(flags_by_village(results, "2024-03").values()).count(R) == 3
    assert flags_by_village(results, "2024-04") == {"v1": R, "v2": N, "v3": N, "v4": N, "v5": Y}
    rewards = results.rewards.set_index(["period", "village_id"])
    assert rewards.loc[("2024-04", "v1"), "reward"] == 2000
    assert rewards.loc[("2024-04", "v5"), "penalty"] == 1500


def test_optional_category_counts_for_money():
    town = Town().month(
        "2024-03",
        {"v1": [99, None, 99], "v2": [90, None, 90], "v3": [80, None, 80], "v4": [70, None, 70]},
        columns=["甲项", "乙项", "可选项"],
    )
    rewards = town.compute().rewards.set_index("village_id")
    assert rewards.loc["v1", ["red", "reward"]].tolist() == [2, 3000]


def test_inactive_village_has_no_rewards_row():
    town = Town()
    town.villages = [("v1", "g1"), ("v2", "g1"), ("v3", "g1"), ("v4", "g1", "2024-04", "")]
    town.month("2024-03", {"v1": 90, "v2": 80, "v3": 70})
    town.month("2024-04", {"v1": 90, "v2": 80, "v3": 70, "v4": 60})
    rewards = town.compute().rewards
    assert len(rewards[rewards["period"] == "2024-03"]) == 3
    assert len(rewards[rewards["period"] == "2024-04"]) == 4


# -- §4 consequences ----------------------------------------------------------------------------

LOW = {"v1": 99, "v2": 90, "v3": 80, "v4": 70, "v5": 60, "v6": 50, "v7": 1}  # v7 yellow
MID = {"v1": 99, "v2": 90, "v3": 80, "v4": 70, "v5": 60, "v6": 50, "v7": 75}  # v7 no flag
LOW_TWICE = {v: [s, s] for v, s in LOW.items()}  # v7 yellow in both 甲项 and 乙项


def test_interview_for_any_yellow():
    results = Town().month("2024-03", LOW).compute()
    assert actions_of(results, "v7") == [("2024-03", "interview")]


def test_warning_for_two_consecutive_periods_across_a_skipped_month():
    results = Town().month("2024-01", LOW).month("2024-03", LOW).compute()
    assert ("2024-03", "warning") in actions_of(results, "v7")
    assert ("2024", "downgrade") in actions_of(results, "v7")


def test_chain_across_a_year_end_warns_but_does_not_downgrade():
    results = Town().month("2023-12", LOW).month("2024-01", LOW).compute()
    actions = actions_of(results, "v7")
    assert ("2024-01", "warning") in actions
    assert not any(a == "downgrade" for _, a in actions)


def test_a_period_without_yellow_breaks_the_chain():
    results = Town().month("2024-01", LOW).month("2024-02", MID).month("2024-03", LOW).compute()
    assert ("2024-03", "warning") not in actions_of(results, "v7")


def test_not_evaluated_breaks_the_chain():
    gap = dict(LOW, v7=None)
    results = Town().month("2024-01", LOW).month("2024-02", gap).month("2024-03", LOW).compute()
    actions = actions_of(results, "v7")
    assert ("2024-03", "warning") not in actions and ("2024", "downgrade") not in actions


def test_warning_when_the_years_yellow_flags_reach_three():
    results = (
        Town().month("2024-01", LOW_TWICE).month("2024-02", MID).month("2024-03", LOW).compute()
    )
    actions = actions_of(results, "v7")
    assert ("2024-01", "warning") not in actions  # 2 flags: below 3
    assert ("2024-03", "warning") in actions  # 2 + 1 = 3, from below
    warnings = results.actions[
        (results.actions["action"] == "warning") & (results.actions["village_id"] == "v7")
    ]
    assert warnings["reason"].tolist() == ["2024年累计黄旗达到3面（截至3月共3面）"]


def test_year_total_only_counts_the_calendar_year():
    results = (
        Town()
        .month("2023-11", LOW)
        .month("2023-12", MID)
        .month("2024-01", MID)
        .month("2024-02", LOW)
        .month("2024-03", MID)
        .compute()
    )
    assert not any(a == "warning" for _, a in actions_of(results, "v7"))


def test_warning_reason_names_both_triggers():
    results = Town().month("2024-01", LOW).month("2024-02", LOW_TWICE).compute()
    warnings = results.actions[
        (results.actions["action"] == "warning") & (results.actions["village_id"] == "v7")
    ]
    reason = warnings["reason"].iloc[-1]
    assert "连续两期" in reason and "累计黄旗达到3面" in reason


def test_suspension_for_three_yellow_in_two_consecutive_periods():
    cats = [("a", "甲项", "monthly"), ("b", "乙项", "monthly"), ("c", "丙项", "monthly")]
    cols = ["甲项", "乙项", "丙项"]
    bad = {f"v{i}": [100 - i] * 3 for i in range(1, 7)} | {"v7": [1, 1, 1]}
    two = dict(bad, v7=[1, 1, 97.5])  # red in 丙项: two yellow flags only
    town = Town(categories=cats).month("2024-01", bad, cols).month("2024-02", bad, cols)
    town.month("2024-03", two, cols).month("2024-04", bad, cols)
    actions = actions_of(town.compute(), "v7")
    assert ("2024-02", "suspension") in actions
    assert ("2024-03", "suspension") not in actions and ("2024-04", "suspension") not in actions


def test_star_loss_for_three_yellow_periods_in_a_year():
    results = (
        Town()
        .month("2024-01", LOW)
        .month("2024-02", MID)
        .month("2024-05", LOW)
        .month("2024-08", MID)
        .month("2024-11", LOW)
        .compute()
    )
    actions = actions_of(results, "v7")
    assert ("2024", "star_loss") in actions and ("2024", "downgrade") not in actions


def test_priority_reason_starts_with_red_total_then_rank():
    town = Town().month("2024-01", {"v1": 99, "v2": 98, "v3": 97, "v4": 1, "v5": 2})
    town.month("2024-02", {"v1": 99, "v2": 1, "v3": 97, "v4": 96, "v5": 2})
    results = town.compute()
    priority = results.actions[results.actions["action"] == "priority"].set_index("village_id")
    assert priority.loc["v1", "reason"].startswith("2面红旗，全镇第1名")
    assert priority.loc["v3", "reason"].startswith("2面红旗，全镇第1名")
    assert priority.loc["v2", "reason"].startswith("1面红旗，全镇第3名")
    assert "v5" not in priority.index


# -- annual categories ---------------------------------------------------------------------------


def test_annual_flags_use_decembers_rules_and_no_money():
    town = Town(rules=[{"from": "2020-01"}, {"from": "2024-12", "red_count": 1, "yellow_count": 1}])
    town.month("2024-03", {"v1": 50, "v2": 50, "v3": 50, "v4": 50})
    town.annual["2024"] = {"v1": [90], "v2": [80], "v3": [70], "v4": [60]}
    results = town.compute()
    assert flags_by_village(results, "2024", "yr") == {"v1": R, "v2": N, "v3": N, "v4": Y}
    assert set(results.rewards["period"]) == {"2024-03"}
    assert results.rewards["red"].tolist() == [1, 1, 1, 1]  # only 甲项's tie


def test_veto_in_the_year_bars_annual_red():
    town = Town().month("2024-03", {"v1": 50, "v2": 50, "v3": 50, "v4": 50, "v5": 50})
    town.event("2024-03", "v1", "一票否决", "", "", "重大事故")
    town.annual["2024"] = {"v1": [99], "v2": [80], "v3": [70], "v4": [60], "v5": [50]}
    flags = flags_by_village(town.compute(), "2024", "yr")
    assert flags == {"v1": Y, "v2": R, "v3": R, "v4": R, "v5": Y}


# -- §3.6 averages --------------------------------------------------------------------------------


def test_grid_average_rounds_half_up():
    results = Town().month("2024-03", {"v1": 80.01, "v2": 80, "v3": 80, "v4": 80.02}).compute()
    row = results.grid_averages[results.grid_averages["category"] == "a"].iloc[0]
    assert row["average"] == 8001  # 320.03 / 4 = 80.0075 → 80.01


def test_grid_year_total_and_leader():
    town = Town()
    town.villages = [("e1", "g1"), ("e2", "g1"), ("w1", "g2"), ("w2", "g2")]
    town.month("2024-01", {"e1": 90, "e2": 80, "w1": 70, "w2": 70})
    town.month("2024-02", {"e1": 60, "e2": 60, "w1": 80, "w2": 80})
    totals = town.compute().grid_year_totals.set_index(["grid", "category"])
    assert totals.loc[("g1", "a"), "total"] == 14500
    assert totals.loc[("g2", "a"), "total"] == 15000
    assert not totals.loc[("g1", "a"), "leader"] and totals.loc[("g2", "a"), "leader"]


# -- facts the site shows, computed once: 递补, a village's year, a year's rule version ------------


def _moved_up(results, period: str = "2024-03") -> set[str]:
    rows = results.flags[(results.flags["period"] == period) & results.flags["moved_up"]]
    return set(rows["village_id"])


def test_red_flag_passed_on_by_a_veto_is_moved_up():
    town = one_month({"v1": 99, "v2": 90, "v3": 80, "v4": 70, "v5": 60, "v6": 50, "v7": 40})
    town.event("2024-03", "v1", "一票否决", "", "", "安全生产事故")
    results = town.compute()
    assert flags_by_village(results, "2024-03")["v4"] == R
    assert _moved_up(results) == {"v4"}  # ranked 4th, red because v1 was skipped


def test_red_flag_passed_on_by_a_meeting_is_moved_up_and_the_meeting_flag_is_not():
    town = one_month({"v1": 99, "v2": 90, "v3": 80, "v4": 70, "v5": 60, "v6": 50, "v7": 40})
    town.event("2024-03", "v2", "现场会", "甲项", "", "区级现场会")
    assert _moved_up(town.compute()) == {"v4"}


def test_ties_at_the_boundary_are_not_moved_up():
    results = one_month({"v1": 95, "v2": 90, "v3": 90, "v4": 90, "v5": 80, "v6": 70}).compute()
    assert _moved_up(results) == set()  # four red flags, each ranked within the first three


def _village_years(results) -> dict:
    frame = results.village_years.set_index(["year", "village_id"])
    return {key: row.to_dict() for key, row in frame.iterrows()}


def test_a_villages_year_sums_its_flags_and_money():
    town = Town(rules=[{"from": "2020-01", "red_count": 1, "yellow_count": 1}])
    town.month("2024-01", {"v1": 90, "v2": 80, "v3": 70})
    town.month("2024-02", {"v1": 90, "v2": 80, "v3": 70})
    town.month("2025-01", {"v1": 70, "v2": 80, "v3": 90})
    years = _village_years(town.compute())
    assert {k: years[("2024", "v1")][k] for k in ("red", "yellow", "reward", "penalty")} == {
        "red": 2,
        "yellow": 0,
        "reward": 2000,
        "penalty": 0,
    }
    assert years[("2024", "v3")]["net"] == -2000 and years[("2025", "v3")]["net"] == 1000
    assert len(years) == 6  # every village active in each year, flagged or not


def test_priority_rank_is_a_competition_rank_over_the_eligible_villages():
    town = Town(rules=[{"from": "2020-01", "red_count": 1, "yellow_count": 1}])
    town.villages = [("v1", "g1"), ("v2", "g1"), ("v3", "g2"), ("v4", "g2"), ("v5", "g2")]
    town.month("2024-01", {"v1": 90, "v2": 80, "v3": 90, "v4": 80, "v5": 70})
    town.month("2024-02", {"v1": 90, "v2": 80, "v3": 70, "v4": 90, "v5": 80})
    town.month("2024-03", {"v1": 70, "v2": 90, "v3": 90, "v4": 80, "v5": 70})
    town.event("2024-03", "v3", "一票否决", "", "", "安全事故")
    results = town.compute()
    ranks = results.village_years.set_index("village_id")["priority_rank"]
    # v4's second red flag is v3's, passed on by the veto; v3 (vetoed) and v5 (no red) are out
    reds = results.village_years.set_index("village_id")["red"].to_dict()
    assert reds == {"v1": 2, "v2": 1, "v3": 1, "v4": 2, "v5": 0}
    assert ranks.isna().tolist() == [False, False, True, False, True]
    assert ranks.dropna().astype(int).to_dict() == {"v1": 1, "v2": 3, "v4": 1}
    reasons = results.actions[results.actions["action"] == "priority"].set_index("village_id")
    assert reasons.loc["v2", "reason"].startswith("1面红旗，全镇第3名")


def test_the_rule_version_of_a_year_is_its_decembers():
    town = Town(rules=[{"from": "2020-01"}, {"from": "2024-07", "red_count": 1}])
    town.month("2024-03", {"v1": 50, "v2": 60})
    town.month("2024-09", {"v1": 50, "v2": 60})
    rules = town.compute().period_rules.set_index("period")
    assert rules.loc["2024-03", "rules_from"] == "2020-01"
    assert rules.loc["2024-09", "rules_from"] == "2024-07"
    assert rules.loc["2024", "rules_from"] == "2024-07"
    assert rules.loc["2024", "red_count"] == 1


def test_results_document_carries_the_new_facts_beside_the_old_ones():
    from generator.results import results_document

    town = one_month({"v1": 99, "v2": 90, "v3": 80, "v4": 70, "v5": 60})
    town.event("2024-03", "v1", "一票否决", "", "", "安全生产事故")
    data = town.load()
    document = results_document(data, compute(data))
    assert document["years"] == [
        {
            "year": "2024",
            "periods": ["2024-03"],
            "annual_categories": [],
            "annual_file": None,
            "rules_from": "2020-01",
        }
    ]
    moved = [f["village_id"] for f in document["flags"] if f["moved_up"]]
    assert moved == ["v4"]
    first = document["village_years"][0]
    assert first == {
        "year": "2024",
        "village_id": "v1",
        "red": 0,
        "yellow": 1,  # vetoed, so yellow-eligible: the grid has 2 such villages for 3 slots
        "reward": 0,
        "penalty": 1000,
        "net": -1000,
        "priority_rank": None,
    }
