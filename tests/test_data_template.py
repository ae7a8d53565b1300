"""The blank forms on the site (/data/template/): next month's and, once a year has ended without
annual scores, that year's; filled in with numbers, each validates as the office's file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from _site_helpers import build_site
from towns import Town

from generator.layout import annual_path, scores_path
from generator.load.loader import load

SCORES = {"V1": [90, 80], "V2": [85, 70], "V3": [80, 60], "V4": [70, 50], "V5": [60, 40]}


def town() -> Town:
    """Five villages in one grid through December 2024; V5 stops after December, V6 starts in
    January."""
    built = Town(
        villages=[
            ("V1", "g1"),
            ("V2", "g1"),
            ("V3", "g1"),
            ("V4", "g1"),
            ("V5", "g1", "", "2024-12"),
        ]
    )
    built.villages.append(("V6", "g1", "2025-01", ""))
    return built.month("2024-11", SCORES).month("2024-12", SCORES)


def read_form(site: Path, name: str) -> tuple[bytes, list[list[str]]]:
    data = (site / "data" / "template" / name).read_bytes()
    return data, list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def filled(rows: list[list[str]]) -> bytes:
    """The form as the clerk saves it from Excel: a score in every empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(rows[0])
    for i, row in enumerate(rows[1:]):
        writer.writerow([row[0], *(str(70 + i + j / 2) for j in range(len(row) - 1))])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def test_next_months_form_validates_once_filled(tmp_path):
    scores = town().write(tmp_path / "scores")
    site = build_site(scores, tmp_path / "out").out
    assert sorted(p.name for p in (site / "data" / "template").iterdir()) == [
        "2024-annual.csv",
        "2025-01.csv",
        "2025-01.events.csv",
    ]
    assert read_form(site, "2025-01.events.csv")[1] == [["村名", "事件", "类别", "分值", "说明"]]
    data, rows = read_form(site, "2025-01.csv")
    assert data.startswith("\ufeff".encode())
    assert rows[0] == ["村名", "甲项（100分）", "乙项（100分）"]
    assert [r[0] for r in rows[1:]] == ["V1村", "V2村", "V3村", "V4村", "V6村"]
    assert all(cell == "" for row in rows[1:] for cell in row[1:])
    (scores / scores_path("2025-01")).parent.mkdir()
    (scores / scores_path("2025-01")).write_bytes(filled(rows))
    data = load(scores)
    assert "2025-01" in data.periods
    assert len(data.scores[data.scores["period"] == "2025-01"]) == 2 * 5


def test_an_ended_years_annual_form_validates_once_filled(tmp_path):
    scores = town().write(tmp_path / "scores")
    site = build_site(scores, tmp_path / "out").out
    _, rows = read_form(site, "2024-annual.csv")
    assert rows[0] == ["村名", "年度项（100分）"]
    assert [r[0] for r in rows[1:]] == ["V1村", "V2村", "V3村", "V4村", "V5村"]
    (scores / annual_path("2024")).write_bytes(filled(rows))
    assert "2024" in load(scores).annual_files
    again = build_site(scores, tmp_path / "out").out
    assert sorted(p.name for p in (again / "data" / "template").iterdir()) == [
        "2025-01.csv",
        "2025-01.events.csv",
    ]
    assert "2025-01.csv" in (again / "data" / "index.html").read_text("utf-8")


def test_no_annual_form_before_december(tmp_path):
    scores = Town().month("2024-11", SCORES).write(tmp_path / "scores")
    site = build_site(scores, tmp_path / "out").out
    assert sorted(p.name for p in (site / "data" / "template").iterdir()) == [
        "2024-12.csv",
        "2024-12.events.csv",
    ]
