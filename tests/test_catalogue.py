"""The problem catalogue is the one home of every problem code: every problem is made from it,
it lists nothing unused, its table in docs/problems.md is up to date, its texts are GBK."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest
from towns import Town

from generator import catalogue
from generator.load import load_files
from generator.problems import InvalidData, ProblemType

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"
DEFINED = {name: value for name, value in vars(catalogue).items() if isinstance(value, ProblemType)}


def sources() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text()) for path in sorted(PACKAGE.rglob("*.py"))}


def catalogue_names_used() -> set[str]:
    """Every `catalogue.NAME` written in the package outside the catalogue itself."""
    return {
        node.attr
        for path, tree in sources().items()
        if path.name != "catalogue.py"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "catalogue"
    }


def test_no_problem_is_made_but_from_the_catalogue():
    made_directly = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path, tree in sources().items()
        if path.name != "problems.py"  # where Problem and ProblemType.at() live
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Problem"
    ]
    assert made_directly == []


def test_every_name_used_is_in_the_catalogue():
    assert catalogue_names_used() - set(vars(catalogue)) == set()


def test_every_entry_of_the_catalogue_is_used():
    made_in_problems = {"MORE_PROBLEMS", "MORE_IN_ALL"}  # by problems.limited()
    unused = set(DEFINED) - catalogue_names_used() - made_in_problems
    assert unused == set()
    assert {t.code for t in DEFINED.values()} == set(catalogue.TYPES)


def test_the_docs_table_is_up_to_date():
    docs = (ROOT / "docs" / "problems.md").read_text(encoding="utf-8")
    assert docs == catalogue.markdown(), "run: python -m generator.catalogue docs/problems.md"
    for code in catalogue.TYPES:
        assert f"| `{code}` |" in docs


@pytest.mark.parametrize("name", sorted(DEFINED))
def test_each_entry_is_complete_and_gbk(name):
    kind = DEFINED[name]
    assert kind.code and kind.title and kind.fix and kind.template
    assert kind.severity in ("error", "warning")
    for text in (kind.title, kind.fix, kind.template):
        text.encode("gbk")  # cheap phones' fonts
    fields = [f for _, f, _, _ in string.Formatter().parse(kind.template) if f is not None]
    assert all(f.isidentifier() for f in fields), fields


def test_a_message_is_its_template_filled():
    problem = catalogue.UNKNOWN_VILLAGE.at(
        "scores/2024/2024-03.csv", 5, "村名", value="x", key="村名", own="本乡", member="村"
    )
    assert (problem.file, problem.row, problem.column, problem.code) == (
        "scores/2024/2024-03.csv",
        5,
        "村名",
        "unknown_village",
    )
    assert (
        problem.message == "「x」不是本乡的村（villages.csv 里没有这个村名）：请检查是否写错；"
        "新设的村请先加入 villages.csv"
    )
    assert catalogue.SAME_AS_PREVIOUS.at("f", previous="2024-02").is_warning


def test_problems_found_by_the_loader_carry_catalogue_codes():
    town = Town()
    town.month("2024-03", {"v1": [90, 80], "v2": [85, None]})
    files = town.files()
    files["2024/2024-03.csv"] += b"v9,1,2\r\nv2,1.234,x\r\n"
    files["notes.txt"] = b"x"
    with pytest.raises(InvalidData) as error:
        load_files(files)
    codes = {p.code for p in error.value.problems}
    assert codes == {"unknown_village", "duplicate_village", "unexpected_file"}
    assert codes <= set(catalogue.TYPES)
