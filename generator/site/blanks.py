"""The blank forms the site publishes under /data/template/, so that the clerk can start a month
without the command line: next month's form and its events form (the month after the latest
period; for a town with no period yet, the first month its rules apply, so a town that has just
run `flagboard init` finds its first forms here) and, once a year has ended (its December is
published) without annual scores, that year's annual form. Made by generator.forms from
town.toml and villages.csv.
"""

from __future__ import annotations

from pathlib import Path

from generator import forms
from generator.layout import SETTINGS_FILES
from generator.load.folder import prefix_of, read_folder
from generator.load.loader import load_files
from generator.periods import december, is_month, month_number, year_of
from generator.periods import label as period_label
from generator.site.publish import DataFile

TEMPLATE_FOLDER = "data/template"


def next_month(month: str) -> str | None:
    """'2024-12' → '2025-01'; None past the last month periods allow."""
    year, number = int(year_of(month)), month_number(month)
    following = f"{year + (number == 12)}-{number % 12 + 1:02d}"
    return following if is_month(following) else None


def blank_files(doc: dict, scores_dir: Path) -> list[DataFile]:
    """Next month's blank forms (scores and events) and every ended year's annual form still
    to be filled."""
    periods = [p["period"] for p in doc["periods"]]
    first = min((r["from"] for r in doc["rules"]), default=None)
    month = next_month(periods[-1]) if periods else first
    years = [y["year"] for y in doc["years"] if december(y["year"]) in periods]
    years = [y for y in years if not _annual_done(doc, y)]
    if month is None and not years:
        return []
    data = load_files(_settings(scores_dir), prefix_of(scores_dir))
    town, villages = data.town, data.villages
    files = []
    if month is not None:
        label = period_label(month)
        note = f"{label}空白评分表：填好分数后另存为 CSV 上传"
        files.append(_file(f"{month}.csv", note, forms.month_form(town, villages, month)))
        note = f"{label}空白事件表：有现场会、一票否决、加分或扣分时填写，另存为 CSV 上传"
        files.append(_file(f"{month}.events.csv", note, forms.events_form()))
    for year in years:
        if forms.annual_categories(town, year):
            note = f"{year}年度空白评分表：填好年度项目分数后另存为 CSV 上传"
            form = forms.annual_form(town, villages, year)
            files.append(_file(f"{year}-annual.csv", note, form))
    return files


def _annual_done(doc: dict, year: str) -> bool:
    return any(y["year"] == year and y.get("annual_file") for y in doc["years"])


def _settings(scores_dir: Path) -> dict[str, bytes]:
    folder = read_folder(Path(scores_dir), wanted=lambda relative: relative in SETTINGS_FILES)
    return folder.files


def _file(name: str, note: str, data: bytes) -> DataFile:
    return DataFile(f"{TEMPLATE_FOLDER}/{name}", name, note, data)
