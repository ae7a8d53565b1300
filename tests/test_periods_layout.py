"""The period key and the scores folder's layout: one home for each."""

from __future__ import annotations

import pytest

from generator import layout, periods


@pytest.mark.parametrize(
    "key, month, year",
    [
        ("2024-03", True, False),
        ("2024", False, True),
        ("1999-12", False, False),
        ("2100", False, False),
        ("2024-13", False, False),
        ("2024-3", False, False),
    ],
)
def test_months_and_years_are_told_apart_by_form(key, month, year):
    assert (periods.is_month(key), periods.is_year(key)) == (month, year)


def test_labels_and_rule_months():
    assert periods.label("2024-03") == "2024年3月" and periods.label("2024") == "2024年"
    assert periods.rule_month("2024") == "2024-12" and periods.rule_month("2024-03") == "2024-03"
    assert periods.year_of("2024-03") == periods.year_of("2024") == "2024"


@pytest.mark.parametrize(
    "relative, expected",
    [
        ("2024/2024-03.csv", ("scores", "2024-03", "2024", "2024")),
        ("2024/2024-03.events.csv", ("events", "2024-03", "2024", "2024")),
        ("2024/2024-annual.csv", ("annual", "2024", "2024", "2024")),
        ("2023/2024-03.csv", ("scores", "2024-03", "2023", "2024")),
        ("2024-03.csv", ("scores", "2024-03", "", "2024")),
        ("2024/notes.csv", None),
    ],
)
def test_place_reads_what_a_file_holds_from_its_name(relative, expected):
    placed = layout.place(relative)
    assert (placed and (placed.kind, placed.key, placed.folder, placed.folder_year)) == expected


def test_paths_of_a_periods_files_round_trip():
    for month in ("2023-05", "2099-12"):
        assert layout.place(layout.scores_path(month)).key == month
        assert layout.place(layout.events_path(month)).kind == "events"
        assert layout.events_of(layout.scores_path(month)) == layout.events_path(month)
    assert layout.place(layout.annual_path("2024")).kind == "annual"


@pytest.mark.parametrize("relative", [".git/x.csv", "README.md", "notes.md", "2024/.hidden.csv"])
def test_hidden_files_and_notes_are_ignored(relative):
    assert layout.is_ignored(relative)
