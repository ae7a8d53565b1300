"""The newcomer's documents hold true: README, docs/data-format.md, docs/publish.md and the
office guide.

The README starts with commands that exist and names the venv's flagboard; every `flagboard`
command that README, the guide or the publishing guide shows is a real subcommand with options
its `-h` lists; the data format document covers every file, column, setting and word the loader
accepts; the publishing guide names every setting the forges' workflows read; the code cites
the document's sections instead of the shared RULES.md.
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

import pytest
import yaml
from towns import Town

from generator import labels
from generator.cli import _parser
from generator.load.cells import NOT_EVALUATED
from generator.load.loader import load
from generator.model import (
    DEFAULT_CATEGORIES,
    Category,
    Grid,
    Notice,
    RuleVersion,
)
from generator.model import (
    Town as TownModel,
)
from generator.results import TABLES, write_results
from generator.site.blanks import TEMPLATE_FOLDER

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
FORMAT = ROOT / "docs" / "data-format.md"
PUBLISH = ROOT / "docs" / "publish.md"
GUIDE = ROOT / "content" / "pages" / "guide.md"
SETUP = ROOT / "content" / "pages" / "setup.md"  # the guide's part for the technician
WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
FORGE_WORKFLOWS = (".forgejo/workflows/site.yml", ".gitea/workflows/site.yml", ".gitlab-ci.yml")
# Commands another branch is adding, by the interface agreed for them (issue 18: `flagboard
# publish`): the documents are checked against it until the command is here, then against the
# command's own -h (and test_a_pending_command_has_the_agreed_options holds it to the agreement).
PENDING = {
    "publish": {
        "-h",
        "--help",
        "--site",
        "--to",
        "--dry-run",
        "--rollback",
        "--keep",
        "--check-url",
    }
}
HALF_WIDTH = re.compile(r"[\u4e00-\u9fff][,:;()?!]|[,:;()?!][\u4e00-\u9fff]")


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def fenced_blocks(text: str) -> list[str]:
    return re.findall(r"^```[^\n]*\n(.*?)^```", text, re.M | re.S)


def prose(text: str) -> str:
    """The text a reader reads as sentences: code blocks, code spans and HTML tags left out."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    return re.sub(r"`[^`\n]*`|<[^>\n]*>", "", text)


def subcommands() -> dict:
    return _parser()._subparsers._group_actions[0].choices


def options(name: str) -> set[str] | None:
    """The options `flagboard NAME -h` lists (the agreed ones of a pending command); None: no
    such command."""
    commands = subcommands()
    if name in commands:
        return set(re.findall(r"(?<![\w-])--?[A-Za-z][\w-]*", commands[name].format_help()))
    return PENDING.get(name)


def flagboard_commands(text: str) -> list[list[str]]:
    """Every `flagboard <subcommand> …` shown as code: in a block's lines or in a code span."""
    shown = [line for block in fenced_blocks(text) for line in block.splitlines()]
    shown += re.findall(r"`([^`\n]+)`", text)
    commands = []
    for line in shown:
        line = line.split("#")[0].replace("\\|", "|")
        for match in re.finditer(r"(?:\.venv/bin/)?flagboard[ \t]+([a-z][a-z-]*[^&;]*)", line):
            commands.append(shlex.split(match.group(1).replace("[", " ").replace("]", " ")))
    return commands


# -- README ----------------------------------------------------------------------------------


def test_readme_starts_with_the_demo_site_and_the_suite():
    text = read(README)
    first = fenced_blocks(text)[0]
    assert text.index("```") < text.index("\n## ")  # before any section
    commands = [line.split("#")[0].split() for line in first.splitlines() if line.strip()]
    assert commands == [["make", "site"], ["make", "test"]]
    makefile = read(ROOT / "Makefile")
    for _, target in commands:
        assert re.search(rf"^{target}:", makefile, re.M), f"make {target}"
    # make site builds the committed scores/, the demo town, into output/
    assert re.search(r"^site:.*\n\t.*flagboard build --scores scores --out output", makefile, re.M)


def test_readme_runs_flagboard_from_the_venv():
    text = read(README)
    code = [line for block in fenced_blocks(text) for line in block.splitlines()]
    code += re.findall(r"`([^`\n]+)`", text)
    written = [
        prefix
        for line in code
        for prefix in re.findall(r"(\S*)flagboard[ \t]+(?:[a-z][a-z-]+|--version)\b", line)
    ]
    assert written and set(written) == {".venv/bin/"}, set(written)
    assert "`. .venv/bin/activate`" in text  # said once: or activate the venv


def test_readme_lists_every_subcommand():
    text = read(README)
    documented = {command[0] for command in flagboard_commands(text)}
    missing = set(subcommands()) - documented
    assert not missing, f"add a row to README's command table for: {sorted(missing)}"


def test_readme_links_the_data_format_the_guide_and_files_that_exist():
    text = read(README)
    assert "](docs/data-format.md)" in text and "](content/pages/guide.md)" in text
    for target in re.findall(r"\]\(([^)#\s]+)", text):
        if "://" not in target:
            assert (ROOT / target).exists(), target


# -- every flagboard command shown is real ---------------------------------------------------


@pytest.mark.parametrize("document", [README, GUIDE, SETUP, FORMAT, PUBLISH], ids=lambda p: p.name)
def test_every_command_shown_is_a_real_subcommand_with_real_options(document):
    shown = flagboard_commands(read(document))
    if document != FORMAT:
        assert shown, document
    for command in shown:
        name, *words = command
        listed = options(name)
        assert listed is not None, f"{document.name}: flagboard {name} is no subcommand"
        for word in words:
            if word.startswith("--"):
                assert word.split("=")[0] in listed, f"{document.name}: flagboard {name} {word}"


def test_a_pending_command_has_the_agreed_options():
    for name, agreed in PENDING.items():
        if name not in subcommands():
            pytest.skip(f"flagboard {name} is not here yet")
        assert agreed <= options(name), f"flagboard {name} -h lacks {agreed - options(name)}"


@pytest.mark.parametrize("document", [GUIDE, SETUP, PUBLISH], ids=lambda p: p.name)
def test_every_shown_command_parses(document):
    """The example commands are whole: the parser takes them as written."""
    parser = _parser()
    for command in flagboard_commands(read(document)):
        if command[0] not in subcommands():  # pending: its options are checked above
            continue
        if not any(word.isupper() or "|" in word for word in command):  # not a YYYY-MM pattern
            parser.parse_args(command)


# -- the office guide -----------------------------------------------------------------------


def test_the_guide_names_the_site_forms_where_the_site_puts_them():
    text = read(GUIDE)
    assert TEMPLATE_FOLDER == "data/template"
    assert f"/{TEMPLATE_FOLDER}/2024-04.csv" in text
    assert f"/{TEMPLATE_FOLDER}/2024-annual.csv" in text
    footer = read(ROOT / "theme" / "templates" / "_footer.html")  # every page's footer
    assert "数据下载</a>" in footer and "空白评分表" in read(
        ROOT / "theme" / "templates" / "data.html"
    )
    for step in ("Add file", "Upload files", "Create a new branch", "Propose changes", "Revert"):
        assert step in text, step


def test_the_guide_names_the_checks_as_the_workflow_does():
    text = read(GUIDE)
    workflow = yaml.safe_load(read(WORKFLOW))
    assert f"「{workflow['name']}」" in text
    names = [job["name"] for key, job in workflow["jobs"].items() if key != "deploy"]
    assert all(f"「{name}」" in text for name in names), names


def test_the_guides_paths_exist():
    text = read(GUIDE) + read(SETUP)
    assert "]({filename}setup.md)" in read(GUIDE)  # the clerk's guide leads the technician on
    for path in (
        "scores/town.toml",
        "scores/villages.csv",
        "content/articles/",
        ".github/workflows/site.yml",
        *FORGE_WORKFLOWS,
        "docs/publish.md",
    ):
        assert f"`{path}`" in text, path
        assert (ROOT / path).exists(), path


def test_the_guides_new_rule_version_applies_from_its_month_when_appended(tmp_path):
    """Followed as the guide says (a [[rules]] section added at the end of town.toml), the
    new version is valid and judges its months, the old one the months before."""
    snippet = next(b for b in fenced_blocks(read(GUIDE)) if "[[rules]]" in b)
    version = tomllib.loads(snippet)["rules"][0]
    scores = {"v1": 90, "v2": 80, "v3": 70, "v4": 60}
    town = Town().month("2024-12", scores).month(version["from"], scores)
    folder = town.write(tmp_path / "scores")
    toml = folder / "town.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n" + snippet, encoding="utf-8")
    data = load(folder)
    assert data.rule_for("2024-12").from_ == "2020-01"
    assert data.rule_for(version["from"]).reward_tiers == tuple(version["reward_tiers"])


def test_the_guides_announcement_has_the_headers_articles_have():
    block = next(b for b in fenced_blocks(read(GUIDE)) if b.startswith("Title:"))
    headers = [line.split(":")[0] for line in block.split("\n\n")[0].splitlines()]
    for article in (ROOT / "content" / "articles").glob("*.md"):
        head = read(article).split("\n\n")[0]
        assert [line.split(":")[0] for line in head.splitlines()] == headers, article.name


# -- docs/data-format.md -------------------------------------------------------------------


def test_the_format_covers_every_column_the_loader_accepts():
    text = read(FORMAT)
    for column in labels.VILLAGE_COLUMNS:
        assert f"| `{column}` |" in text, column  # a row of the villages.csv table
    assert ",".join(labels.VILLAGE_COLUMNS) in text  # the example's header
    assert ",".join((labels.NAME_COLUMN, *labels.EVENT_COLUMNS)) in text
    name, key = labels.NAME_COLUMN, labels.ID_COLUMN  # scores and events: by 村名 or by 编号
    assert f"第一列的表头是 `{name}`（或 `{key}`" in text
    assert f"`{name}` 也可以换成 `{key}`" in text
    for event in labels.EVENT_IDS:
        assert f"`{event}`" in text, event
    assert labels.FORMER_SEPARATOR in text


def test_the_format_covers_every_setting_of_town_toml():
    text = read(FORMAT)
    for model in (TownModel, Grid, Category, RuleVersion, Notice):
        for name, field in model.model_fields.items():
            key = field.alias or name
            assert re.search(rf"^\[*{key}\]*\b|^{key} =|`{key}`", text, re.M), (model.__name__, key)
    for kind in ("monthly", "optional", "annual"):
        assert f"`{kind}`" in text
    for category in DEFAULT_CATEGORIES:
        assert f"| `{category.id}` | {category.name} |" in text


def test_the_format_names_every_mark_of_not_evaluated():
    text = read(FORMAT)
    for mark in NOT_EVALUATED:
        try:
            mark.encode("gbk")
        except UnicodeEncodeError:  # U+2212, read as "-": not written in a GBK document
            continue
        assert f"`{mark}`" in text, mark


def test_the_format_names_every_results_column_as_compute_writes_it(tmp_path):
    text = read(FORMAT)
    town = Town().month("2024-03", {"v1": 90, "v2": 80, "v3": 70, "v4": 60})
    for path in write_results(town.load(), town.compute(), tmp_path):
        if path.suffix == ".csv":
            header = path.read_text(encoding="utf-8").splitlines()[0]
            assert f"| `{path.name}` | `{header}`" in text, path.name
    for name, (columns, _) in TABLES.items():
        assert f"| `{name}.csv` | `{','.join(columns)}`" in text, name


def test_the_format_and_readme_are_chinese_with_full_width_punctuation():
    for path in (FORMAT, README, PUBLISH):
        text = read(path)
        text.encode("gbk")  # only characters of the GBK set
        found = [line for line in prose(text).splitlines() if HALF_WIDTH.search(line)]
        assert not found, (path.name, found)


# -- the code cites the format document -------------------------------------------------------


def test_the_code_cites_the_format_document_by_sections_that_exist():
    headings = re.findall(r"^#+ (\d+(?:\.\d+)?)\.? ", read(FORMAT), re.M)
    sections = set(headings)
    cited = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        text = read(path)
        assert "RULES.md" not in text, f"{path.relative_to(ROOT)} cites RULES.md"
        for match in re.finditer(r"docs/data-format\.md §(\d+(?:\.\d+)?)(?:[–-]§?(\d+))?", text):
            cited.append(match.group(1))
            assert match.group(1) in sections, (path.name, match.group(0))
            assert match.group(2) is None or match.group(2) in sections, (path.name, match.group(0))
    assert cited


# -- docs/publish.md -----------------------------------------------------------------------


def workflow_settings() -> set[str]:
    """Every variable and secret the forges' workflows read, and GitLab's own variables."""
    names: set[str] = set()
    for path in (".forgejo/workflows/site.yml", ".gitea/workflows/site.yml"):
        names |= set(re.findall(r"\$\{\{ (?:vars|secrets)\.(\w+) \}\}", read(ROOT / path)))
    names |= set(yaml.safe_load(read(ROOT / ".gitlab-ci.yml"))["variables"]) - {"GIT_DEPTH"}
    return names


def test_the_publishing_guide_names_every_setting_the_workflows_read():
    text = read(PUBLISH)
    settings = workflow_settings()
    assert {"FLAGBOARD_PUBLISH_TO", "FLAGBOARD_SSH_KEY", "PIP_INDEX_URL"} <= settings
    for name in sorted(settings):
        assert f"`{name}`" in text, name
    for path in FORGE_WORKFLOWS:
        assert f"`{path}`" in text and (ROOT / path).exists(), path
    # the runner label the workflows ask for, and how to register one
    assert "标签 `docker`" in text and "register --labels docker:docker://node:20-bookworm" in text


def test_the_publishing_guide_covers_what_the_county_needs():
    text = read(PUBLISH)
    assert "`[notice]`" in text and "icp = " in text  # where the 备案号 goes …
    footer = read(ROOT / "theme" / "templates" / "_footer.html")  # every page's footer
    assert "notice.icp" in footer and "https://beian.miit.gov.cn/" in text  # … and shows
    snippet = next(b for b in fenced_blocks(text) if b.startswith("[notice]"))
    assert tomllib.loads(snippet)["notice"]["icp"]
    for words in (
        "https://county.gov.cn/hongqi/huamu",  # the portal's sub-path, as the build's SITEURL
        "强制作为附件下载",  # OSS and COS default domains
        "子目录首页",
        "遵循源站",  # CDN
        "ssh-keyscan",
        "ssh-keygen -lf",
        "gzip_static on;",
        "root /srv/www/huamu/current;",
        "--rollback",
        "restrict,from=",
    ):
        assert words in text, words
    policies = [json.loads(b) for b in fenced_blocks(text) if b.lstrip().startswith("{")]
    assert len(policies) == 2  # OSS (RAM) and COS (CAM): one bucket or folder, nothing else
    assert {a for s in policies[0]["Statement"] for a in s["Action"]} <= {
        "oss:GetObject",
        "oss:PutObject",
        "oss:DeleteObject",
        "oss:ListObjects",
    }
    assert all("*" not in s["Resource"] for s in policies[0]["Statement"])
    assert all(s["resource"] != ["*"] for s in policies[1]["statement"])
