"""Open data: /data/datapackage.json describes every CSV under /data/ and frictionless finds it
true; /data/ explains every column; every data link on /data/ and the period pages resolves."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from _site_helpers import build_site, demo_site, small_town
from frictionless import validate
from towns import Town

from generator.site.schema import RAW_COLUMNS, RESULT_TABLES

DATA_LINK_RE = re.compile(r'href="([^"]+\.(?:csv|xlsx|json))"')


@pytest.fixture(scope="module")
def site() -> Path:
    return demo_site()


def package(site: Path) -> dict:
    return json.loads((site / "data" / "datapackage.json").read_bytes())


def test_every_csv_under_data_is_a_resource(site):
    described = {r["path"] for r in package(site)["resources"]}
    published = {p.relative_to(site / "data").as_posix() for p in (site / "data").rglob("*.csv")}
    assert described == published
    assert {"flags.csv", "rewards.csv", "actions.csv", "grid_averages.csv"} <= described
    assert any(path.startswith("template/") for path in described)


def test_the_package_names_town_licence_and_keys(site):
    described = package(site)
    doc = json.loads((site / "data" / "results.json").read_bytes())
    assert described["town"] == doc["town"]["name"]
    assert described["licenses"][0]["name"] == "CC-BY-4.0"
    flags = next(r for r in described["resources"] if r["name"] == "flags")
    assert flags["schema"]["primaryKey"] == ["period", "village_id", "category"]
    assert flags["schema"]["foreignKeys"][0]["reference"]["resource"] == "villages"


def test_frictionless_finds_the_package_true(site):
    report = validate(site / "data" / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type"])[:10]


def test_frictionless_catches_a_wrong_row(site, tmp_path):
    """The check can fail: a flag for an unknown village breaks the foreign key."""
    data = tmp_path / "data"
    shutil.copytree(site / "data", data)
    flags = data / "flags.csv"
    lines = flags.read_bytes().decode("utf-8-sig").splitlines(keepends=True)
    first = lines[1].split(",")
    lines.append(",".join([first[0], first[1], "NOSUCHVILLAGE", *first[3:]]))
    flags.write_bytes(("\ufeff" + "".join(lines)).encode("utf-8"))
    report = validate(data / "datapackage.json")
    assert not report.valid
    assert "foreign-key" in {row[0] for row in report.flatten(["type"])}


def test_the_licence_is_a_setting(tmp_path):
    scores = small_town(tmp_path / "scores")
    out = build_site(scores, tmp_path / "out", FLAGBOARD_LICENSE="CC0-1.0").out
    described = json.loads((out / "data" / "datapackage.json").read_bytes())
    assert [lic["name"] for lic in described["licenses"]] == ["CC0-1.0"]
    assert validate(out / "data" / "datapackage.json").valid


def test_the_data_page_explains_every_column(site):
    text = (site / "data" / "index.html").read_text(encoding="utf-8")
    for table in RESULT_TABLES.values():
        assert f"{table.name}.csv" in text
        for column in table.columns:
            assert f"<code>{column.name}</code>" in text
            assert column.description in text
    for column in RAW_COLUMNS.values():
        assert column.description in text
    assert "datapackage.json" in text


def data_links(page: Path) -> list[str]:
    return [urlsplit(href).path for href in DATA_LINK_RE.findall(page.read_text("utf-8"))]


def test_every_data_link_resolves(site):
    doc = json.loads((site / "data" / "results.json").read_bytes())
    pages = [site / "data" / "index.html"]
    pages += [site / p["period"].replace("-", "/") / "index.html" for p in doc["periods"]]
    links = {link for page in pages for link in data_links(page)}
    assert {link.rpartition(".")[2] for link in links} == {"csv", "xlsx", "json"}
    missing = [link for link in links if not (site / link.lstrip("/")).is_file()]
    assert not missing
    listed = {link.lstrip("/") for link in data_links(site / "data" / "index.html")}
    on_disk = {
        p.relative_to(site).as_posix()
        for p in (site / "data").rglob("*")
        if p.suffix in (".csv", ".xlsx", ".json")
    }
    assert on_disk <= listed, "the data page lists every published file"


def test_scores_are_described_with_each_categorys_real_range(tmp_path):
    """A category of 30 marks is 0到30分 in the package and on /data/, not 0 to 100; the blank
    form's header carries the marks and is described as the category's column."""
    town = Town(categories=[("a", "甲项", "monthly", 30), ("b", "乙项", "monthly")])
    scores = town.month("2024-01", {"V1": [25, 90], "V2": [20, 80]}).write(tmp_path / "scores")
    out = build_site(scores, tmp_path / "out").out
    resources = {r["path"]: r for r in package(out)["resources"]}
    raw = {
        f["name"]: f["description"]
        for f in resources["scores/2024/2024-01.csv"]["schema"]["fields"]
    }
    assert raw["甲项"] == "「甲项」项目的得分（0到30分），空为不参评"
    assert raw["乙项"] == "「乙项」项目的得分（0到100分），空为不参评"
    form = {
        f["name"]: f["description"] for f in resources["template/2024-02.csv"]["schema"]["fields"]
    }
    assert form["甲项（30分）"] == "「甲项」项目的得分（0到30分），空为不参评"
    text = (out / "data" / "index.html").read_text("utf-8")
    assert "0到该项目的满分（甲项30分、乙项100分）" in text and "0到100" not in text
    assert validate(out / "data" / "datapackage.json").valid
