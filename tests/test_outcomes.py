"""Changed outcomes without git: the rules recomputed with a period's first published files."""

from __future__ import annotations

from _history_helpers import APRIL, MARCH, TOWN_TOML, csv_bytes, period_rows, villages_csv

from generator.history.outcomes import Outcomes, PeriodOutcomes, window

MARCH_FILE = "2024/2024-03.csv"


def town(**periods: dict) -> dict[str, bytes]:
    """A scores folder in memory: town.toml, villages.csv and one file per period given."""
    files = {"town.toml": TOWN_TOML.encode(), "villages.csv": villages_csv()}
    for period, scores in periods.items():
        month = period.replace("_", "-")[1:]
        files[f"{month[:4]}/{month}.csv"] = csv_bytes(period_rows(scores))
    return files


def first_march(scores: dict = MARCH) -> dict[str, bytes]:
    return {MARCH_FILE: csv_bytes(period_rows(scores))}


def texts(changes) -> list[tuple[str, str]]:
    return [(c.period, c.text) for c in changes]


def test_a_corrected_flag_changes_its_period_and_the_chains_after_it():
    current = town(m2024_03={**MARCH, "东村": 85}, m2024_04=APRIL)
    found = Outcomes(current).changed_by("2024-03", first_march())
    assert [text for _, text in texts(found.outcome)] == [
        "东村 和美家园建设：黄旗 → 无",
        "北村 和美家园建设：无 → 黄旗",
        "东村 奖罚：扣罚 1000 → 0 元，净额 0 → ＋1000 元",
        "北村 奖罚：扣罚 0 → 1000 元，净额 0 → －1000 元",
        "东村 约谈：取消",
        "北村 约谈：新增",
    ]
    assert texts(found.later) == [
        ("2024", "东村 年度考核降一档：取消"),
        ("2024-04", "东村 警告：取消"),
    ]
    assert found.note is None
    money = found.outcome[2]
    assert (money.kind, money.village_id, money.item, money.old, money.new) == (
        "money",
        "V1",
        None,
        "0",
        "1000",
    )


def test_a_period_corrected_back_changes_nothing_and_computes_nothing():
    outcomes = Outcomes(town(m2024_03=MARCH, m2024_04=APRIL))
    assert outcomes.changed_by("2024-03", first_march()) == PeriodOutcomes()
    assert outcomes.results == {}


def test_files_that_do_not_load_give_a_note_instead_of_changes():
    broken = town(m2024_03={**MARCH, "东村": "八十五"})
    assert Outcomes(broken).changed_by("2024-03", first_march()).note == (
        "现在的评分数据没有通过校验，无法比较结果"
    )
    stranger = csv_bytes([*period_rows(MARCH), ["外村", 70, 70]])
    found = Outcomes(town(m2024_03=MARCH)).changed_by("2024-03", {MARCH_FILE: stranger})
    assert found == PeriodOutcomes(note="首次发布的数据与现在的村名单或规则不一致，无法单独重算")


def test_the_window_is_the_year_and_the_period_on_each_side():
    files = town(m2023_11=APRIL, m2023_12=APRIL, m2024_04=APRIL, m2025_01=APRIL, m2025_02=APRIL)
    files |= {
        "2023/2023-12.events.csv": b"",
        "2024/2024-04.events.csv": b"",
        "2023/2023-annual.csv": b"",
        "2024/2024-annual.csv": b"",
        "README.md": b"",
    }
    assert sorted(window(files, "2024-04")) == [
        "2023/2023-12.csv",
        "2023/2023-12.events.csv",
        "2024/2024-04.csv",
        "2024/2024-04.events.csv",
        "2024/2024-annual.csv",
        "2025/2025-01.csv",
        "README.md",
        "town.toml",
        "villages.csv",
    ]


def test_the_window_misses_no_change_of_a_chain_across_a_year_end():
    yellow, corrected = {**APRIL, "东村": 50}, {**APRIL, "东村": 85}
    months = {"2023-11": yellow, "2023-12": corrected, "2024-01": yellow, "2024-02": yellow}
    months |= {"2024-04": corrected, "2025-01": yellow}
    current = town(**{f"m{m.replace('-', '_')}": scores for m, scores in months.items()})
    current["town.toml"] = TOWN_TOML.replace('from = "2024-01"', 'from = "2023-01"').encode()
    for month, chained in (("2023-12", "2024-01"), ("2024-04", "2025-01")):
        first = {f"{month[:4]}/{month}.csv": csv_bytes(period_rows(yellow))}
        windowed = Outcomes(current).changed_by(month, first)
        whole = Outcomes(current, window=lambda files, period: files).changed_by(month, first)
        assert windowed == whole
        assert (chained, "东村 警告：取消") in texts(windowed.later)


def test_each_set_of_files_is_computed_once():
    current = town(m2024_03={**MARCH, "东村": 85}, m2024_04={**APRIL, "西村": 60})
    outcomes = Outcomes(current)
    outcomes.changed_by("2024-03", first_march())
    outcomes.changed_by("2024-04", {"2024/2024-04.csv": csv_bytes(period_rows(APRIL))})
    assert len(outcomes.results) == 3  # today's window is shared by both periods of 2024
