"""The Excel files for people (/data/xlsx/): they open, their sheets hold the results CSVs with
names for codes, they are the same bytes on every build, and text never becomes a formula."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from _site_helpers import FORMULA_NAME, build_site, demo_site, small_town

from generator import labels
from generator.periods import is_month, label, year_of

SHEETS = ["红黄旗", "奖罚", "处理措施", "网格平均分"]
TABLES = ["flags", "rewards", "actions", "grid_averages"]
HEADERS = {
    "flags": ["期别", "网格", "村名", "评比项目", "得分", "名次", "红黄旗", "依据"],
    "rewards": [
        "期别",
        "村名",
        "红旗（面）",
        "黄旗（面）",
        "嘉奖（元）",
        "扣罚（元）",
        "合计（元）",
    ],
    "actions": ["期别", "村名", "措施", "原因"],
    "grid_averages": ["期别", "网格", "评比项目", "平均分", "参评村数"],
}
NUMBERS = {"score", "rank", "red", "yellow", "reward", "penalty", "net", "average", "count"}


def csv_rows(site: Path, table: str) -> list[dict]:
    text = (site / "data" / f"{table}.csv").read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def expected_row(row: dict, names: dict) -> list:
    """A results CSV row as a person reads it: names for ids, Chinese for codes."""
    shown = []
    for column, value in row.items():
        if value == "":
            shown.append(None)
        elif column in NUMBERS:
            shown.append(float(value))
        elif column == "period":
            shown.append(label(value))
        elif column in names:
            shown.append(names[column][value])
        else:
            formula_safe = value.startswith("'") and value[1:2] in ("=", "+", "-", "@")
            shown.append(value[1:] if formula_safe else value)
    return shown


def names_of(site: Path) -> dict:
    doc = json.loads((site / "data" / "results.json").read_bytes())
    codes = {**labels.FLAG_NAMES, **labels.BASIS_NAMES, **labels.ACTION_LONG_NAMES}
    return {
        "village_id": {v["id"]: v["name"] for v in doc["villages"]},
        "grid": {g["id"]: g["name"] for g in doc["grids"]},
        "category": {c["id"]: c["name"] for c in doc["categories"]},
        "flag": codes,
        "basis": codes,
        "action": codes,
    }


def sheet_rows(path: Path) -> dict[str, list[list]]:
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == SHEETS
    found = {}
    for table, sheet in zip(TABLES, SHEETS, strict=True):
        rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
        assert rows[0] == HEADERS[table]
        found[table] = [[float(v) if isinstance(v, int) else v for v in r] for r in rows[1:]]
    return found


def in_period(key: str):
    return lambda row: row["period"] == key or (len(key) == 4 and year_of(row["period"]) == key)


@pytest.fixture(scope="module")
def site() -> Path:
    return demo_site()


def test_every_period_and_year_has_a_workbook(site):
    doc = json.loads((site / "data" / "results.json").read_bytes())
    keys = {p["period"] for p in doc["periods"]} | {y["year"] for y in doc["years"]}
    found = {p.stem for p in (site / "data" / "xlsx").glob("*.xlsx")}
    assert found == keys


@pytest.mark.parametrize("which", ["latest month", "first year"])
def test_sheets_hold_the_results_csvs_with_names(site, which):
    doc = json.loads((site / "data" / "results.json").read_bytes())
    key = doc["periods"][-1]["period"] if which == "latest month" else doc["years"][0]["year"]
    names = names_of(site)
    sheets = sheet_rows(site / "data" / "xlsx" / f"{key}.xlsx")
    for table in TABLES:
        rows = [r for r in csv_rows(site, table) if in_period(key)(r)]
        assert sheets[table] == [expected_row(r, names) for r in rows], table
    assert sheets["flags"], "a period's workbook lists its flags"
    if not is_month(key):
        assert any(len(r[0]) > 5 for r in sheets["flags"]), "a year's workbook has its months"


def test_same_bytes_on_every_build_and_text_stays_text(tmp_path):
    scores = small_town(tmp_path / "scores")
    sites = [build_site(scores, tmp_path / f"out{i}").out for i in (1, 2)]
    files = sorted(p.relative_to(sites[0]) for p in (sites[0] / "data" / "xlsx").glob("*"))
    assert [f.name for f in files] == ["2024-01.xlsx", "2024-02.xlsx", "2024.xlsx"]
    for relative in files:
        assert (sites[0] / relative).read_bytes() == (sites[1] / relative).read_bytes()
    book = openpyxl.load_workbook(sites[0] / "data" / "xlsx" / "2024-02.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no formulas"
    named = [c for c in cells if c.value == FORMULA_NAME]
    assert named and all(c.data_type == "s" for c in named)
    assert book.properties.created.year == 2024
