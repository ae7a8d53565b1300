"""Issue 17 class 2, RULES.md §2.1 "Content pages publish only themselves": a page under content/
cannot bring in a file from outside it, cannot take a URL or file name that results own, and
nothing the build writes replaces the computed files under /data/. Each hostile page is refused
before Pelican reads it, naming the page and the line; what settings could still do is refused
by the plugin before Pelican writes. Real Pelican builds, real files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from _site_helpers import ROOT, build_site, demo_site
from towns import Town

from generator import routes
from generator.load import load
from generator.problems import InvalidData
from generator.rules import compute
from generator.site import publish
from generator.site.build import BuildFailed
from generator.site.contentcheck import check_content
from generator.site.pagecheck import output_problem, resolve

SECRET = "SECRET-5b1e-do-not-publish"
LINK, SETTING, ADDRESS, FORMAT = (
    "content_link",
    "content_setting",
    "content_address",
    "content_format",
)
PAGE = "Title: 页\nSlug: page\n\n"


def content(root: Path, files: dict[str, str | bytes]) -> Path:
    """A content folder holding the files given (text or bytes), beside an `outside` folder whose
    files hold SECRET (what a link out of the content folder would publish)."""
    folder = root / "content"
    for sub in ("pages", "articles", "pages/img"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "pages" / "img" / "ok.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    outside = root / "outside"
    outside.mkdir(exist_ok=True)
    for name in ("secret.png", "secret.md", "secret.pdf"):
        (outside / name).write_text(f"Title: x\n\n{SECRET}\n", "utf-8")
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8") if isinstance(text, str) else text
        (folder / path).write_bytes(data.replace(b"ROOT", str(root).encode()))
    return folder


def found(root: Path, files: dict) -> list[tuple[str, int | None, str]]:
    return [(p.file, p.row, p.code) for p in check_content(content(root, files))]


# -- links: every spelling of a way out is refused, naming the page and the line ------------

LINKS_OUT = {
    "dot-dot": "![x]({static}../../outside/secret.png)",
    "dot-dot from the root": "![x]({static}/../outside/secret.png)",
    "absolute path": "![x]({static}//ROOT/outside/secret.png)",
    "attach": "[x]({attach}../../outside/secret.pdf)",
    "filename": "[x]({filename}../../outside/secret.md)",
    "URL-encoded dots": "[x]({static}%2e%2e/%2e%2e/outside/secret.png)",
    "URL-encoded slash": "[x]({static}..%2f..%2foutside%2fsecret.png)",
    "old pipe syntax": "[x](|static|../../outside/secret.png)",
    "HTML character references": '<img src="&#123;static&#125;../../outside/secret.png">',
    "HTML entity dots": '<img src="{static}&#46;&#46;/&#46;&#46;/outside/secret.png">',
    "backslashes": "[x]({static}..\\..\\outside\\secret.png)",
    "file URL": "[x]({static}file:///ROOT/outside/secret.png)",
    "another host": "[x]({static}//evil.example/secret.png)",
    "raw HTML attach": '<a href="{attach}../../outside/secret.pdf">x</a>',
    "reference link": "[x][r]\n\n[r]: {static}../../outside/secret.png",
    "in the summary": None,  # below: a link in a metadata line
}


@pytest.mark.parametrize("case", sorted(LINKS_OUT))
def test_a_link_out_of_the_content_folder_is_refused_naming_the_line(tmp_path, case):
    if case == "in the summary":
        page = "Title: 页\nSlug: page\nSummary: 见 [x]({attach}../../outside/secret.pdf)\n\n正文\n"
        line = 3
    else:
        page = PAGE + "第一段。\n\n" + LINKS_OUT[case] + "\n"
        line = next(
            n for n, text in enumerate(page.split("\n"), 1) if "static" in text or "{" in text
        )
    assert found(tmp_path, {"pages/page.md": page}) == [("content/pages/page.md", line, LINK)]


@pytest.mark.parametrize(
    "link, why",
    [
        ("{static}img/missing.png", "找不到"),
        ("{filename}img/ok.png", "{static}"),
        ("{static}evil.svg", "图片"),
        ("{attach}page.html", "图片"),
        ("{category}news", "分类"),
        ("{static}", "找不到"),
    ],
)
def test_a_link_to_a_missing_page_or_a_file_that_is_not_a_picture_is_refused(tmp_path, link, why):
    files = {"pages/page.md": PAGE + f"[x]({link})\n", "pages/evil.svg": "<svg><script/></svg>"}
    files["pages/page.html"] = "<html><head><title>t</title></head><body>x</body></html>"
    folder = content(tmp_path, files)
    problems = [p for p in check_content(folder) if p.file.endswith("page.md")]
    assert [(p.row, p.code) for p in problems] == [(4, LINK)]
    assert why in problems[0].message


def test_links_inside_the_content_folder_are_kept(tmp_path):
    page = PAGE + (
        "![a]({static}img/ok.png) ![b]({attach}/pages/img/ok.png) [r]({filename}../pages/r.md)\n"
        '<a href="{filename}r.md#top">r</a> [r2]({filename}r.md?x=1)\n'
    )
    files = {"pages/page.md": page, "pages/r.md": "Title: r\nSlug: r\n\nr\n"}
    assert found(tmp_path, files) == []


def test_every_spelling_of_a_link_resolves_to_one_file_inside_or_is_refused():
    assert resolve("pages/a.md", "img/x.png") == ("pages/img/x.png", None)
    assert resolve("pages/a.md", "/pages/x.png") == ("pages/x.png", None)
    assert resolve("pages/a.md", "../articles/x.md") == ("articles/x.md", None)
    for target in ("../../x", "/../x", "%2e%2e/%2e%2e/x", "..%2F..%2Fx", "&#46;&#46;/../x"):
        assert resolve("pages/a.md", target)[0] is None, target
    for target in ("a\\b.png", "file:x", "//host/x", "http://host/x", "%5c..%5cx"):
        assert resolve("pages/a.md", target)[0] is None, target
    # a name that is one file as written and another once decoded
    assert resolve("pages/a.md", "a%2520b.png")[0] is None


# -- metadata: only the allow-list, in any case, in Markdown and HTML ---------------------------

METADATA = {
    "save_as": "Save_as: data/flags.csv",
    "save_as upper": "SAVE_AS: feed.xml",
    "url": "URL: data/",
    "path": "Path: ../../outside",
    "lang": "Lang: en",
    "translation": "Translation: true",
    "template of results": "Template: home",
    "template path": "Template: ../../outside/secret",
    "status": "Status: evil",
    "slug of a period": "Slug: 2024/01",
    "slug of a year": "Slug: 2024",
    "slug data": "Slug: data",
    "slug village": "Slug: village",
    "slug upper case": "Slug: Village",
    "slug dot-dot": "Slug: ../outside",
    "slug empty-looking": "Slug: -",
    "og_image": "Og_image: ../../outside/secret.png",
    "image": "Image: /etc/passwd",
    "attach": "Attach: ../../outside/secret.pdf",
    "timezone": "Timezone: ../../../etc/passwd",
    "date format": "Date_format: %Y",
}


@pytest.mark.parametrize("case", sorted(METADATA))
def test_metadata_outside_the_allow_list_is_refused_naming_the_line(tmp_path, case):
    page = f"Title: 页\n{METADATA[case]}\n\n正文\n"
    if not case.startswith("slug"):
        page = page.replace("Title: 页\n", "Title: 页\nSlug: page\n")
    line = 2 if case.startswith("slug") else 3
    assert found(tmp_path, {"pages/page.md": page}) == [("content/pages/page.md", line, SETTING)]


def test_metadata_is_read_as_markdown_reads_it(tmp_path):
    """The `---` header, continuation lines, tabs and CR line ends: the same lines as Markdown."""
    files = {
        "pages/a.md": "---\nTitle: a\nSlug: a\nSummary: one\n    Save_as: not a key\n---\n\nx\n",
        "pages/b.md": "Title: b\r\nSlug: b\r\n\tSave_as: data/x.csv\r\n\r\nx\r\n",
        "pages/c.md": "Title: c\rSlug: c\rsave_as: index.html\r\rx\r",
        "pages/d.md": "Title: d\nSlug: d\n\nSave_as: body text, not a setting\n",
        "pages/e.md": "\ufeffTitle: e\nSlug: e\nTEMPLATE: feed\n\nx\n",
    }
    assert found(tmp_path, files) == [
        ("content/pages/b.md", 3, SETTING),
        ("content/pages/c.md", 3, SETTING),
        ("content/pages/e.md", 3, SETTING),
    ]


def test_html_pages_meta_tags_are_checked(tmp_path):
    page = (
        '<html><head><title>t</title>\n<meta name="slug" content="h">\n'
        '<META NAME="Save_As" CONTENT="data/flags.csv">\n</head>\n'
        '<body><img src="{static}../../outside/secret.png"></body></html>\n'
    )
    assert found(tmp_path, {"pages/h.html": page}) == [
        ("content/pages/h.html", 3, SETTING),
        ("content/pages/h.html", 5, LINK),
    ]


@pytest.mark.parametrize("name", ["data", "2024", "village", "Grid", "screen", "feed", "news"])
def test_a_page_named_like_the_results_without_a_slug_is_refused(tmp_path, name):
    assert found(tmp_path, {f"pages/{name}.md": "Title: 页\n\n正文\n"}) == [
        (f"content/pages/{name}.md", 1, ADDRESS)
    ]


def test_two_pages_at_one_address_are_refused(tmp_path):
    files = {"pages/a.md": PAGE + "a\n", "pages/b.md": PAGE + "b\n"}
    assert found(tmp_path, files) == [("content/pages/b.md", 2, ADDRESS)]
    files = {"articles/a.md": PAGE + "a\n", "pages/b.md": PAGE + "b\n"}  # /news/page/ and /page/
    assert found(tmp_path / "2", files) == []


def test_articles_keep_their_own_slugs_under_news(tmp_path):
    files = {"articles/a.md": "Title: a\nSlug: data\nDate: 2024-01-01\n\nx\n"}
    assert found(tmp_path, files) == []  # /news/data/
    files = {"articles/a.md": "Title: a\nSlug: ../../data\nDate: 2024-01-01\n\nx\n"}
    assert found(tmp_path / "2", files) == [("content/articles/a.md", 2, SETTING)]


def test_other_formats_bad_encodings_and_huge_pages_are_not_read(tmp_path):
    files = {
        "pages/inc.rst": "t\n=\n\n.. include:: ROOT/outside/secret.md\n",
        "pages/latin.md": "Title: \xe9\n\nx\n".encode("latin-1"),
        "pages/huge.md": PAGE.encode() + b"x" * (2 * 1024 * 1024),
        "pages/notes.txt": "notes",
    }
    problems = check_content(content(tmp_path, files))
    assert [(p.file, p.code) for p in problems] == [
        ("content/pages/huge.md", FORMAT),
        ("content/pages/inc.rst", FORMAT),
        ("content/pages/latin.md", FORMAT),
        ("content/pages/notes.txt", FORMAT),
    ]
    assert SECRET not in "\n".join(p.text() for p in problems)


def test_the_shipped_content_passes():
    assert check_content(ROOT / "content") == []


def test_messages_quote_at_most_forty_characters(tmp_path):
    long = "x" * 500
    files = {"pages/page.md": f"Title: t\nSlug: page\nSave_{long}: 1\n\n[a]({{static}}{long})\n"}
    for problem in check_content(content(tmp_path, files)):
        assert long[:41] not in problem.message and "共" in problem.message


# -- the output paths and the site's own names --------------------------------------------------


def test_no_pelican_file_may_go_where_results_do():
    for path in ["index.html", "feed.xml", "404.html", "data/flags.csv", "2024/01/index.html",
                 "village/a/index.html", "GRID/x.html", "images/share.png", "screen/2/index.html",
                 "../x", "/etc/x", "a\\b", "", "a/../data/x.csv"]:  # fmt: skip
        assert output_problem(path), path
    for path in ["news/a/index.html", "rules/index.html", "pages/img/a.png", "about/x.png"]:
        assert output_problem(path) is None, path


def test_the_site_names_cover_every_path_the_results_write():
    """On a built site: what results write is theirs (routes.results_own), what Pelican writes
    (the content pages, the articles) is not; fixed names inside a period folder are listed."""
    site = demo_site()
    pelican = {"news"} | {p.stem for p in (ROOT / "content" / "pages").glob("*.md")}
    for path in site.rglob("*"):
        relative = path.relative_to(site).as_posix()
        if path.is_file() and not relative.startswith("."):
            top = relative.split("/")[0]
            assert routes.results_own(relative) == (top not in pelican), relative
    for month in site.glob("[0-9]*/[0-9]*"):
        assert {p.name for p in month.iterdir() if p.is_dir()} <= routes.PERIOD_FOLDERS, month


# -- real builds ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> Path:
    town = Town().month("2024-01", {"A1": 90, "A2": 80, "A3": 70})
    return town.write(tmp_path_factory.mktemp("town") / "scores")


def refusal(error) -> str:
    if isinstance(error, InvalidData):
        return "\n".join(p.text() for p in error.problems)
    return str(error)


@pytest.mark.parametrize(
    "files, shown",
    [
        ({"pages/p.md": PAGE + "![x]({static}../../outside/secret.png)\n"}, "p.md 第4行"),
        ({"pages/p.md": "Title: p\nSave_as: data/flags.csv\n\n" + SECRET}, "p.md 第2行"),
        ({"pages/p.md": "Title: p\nSlug: x\nLang: ../index\n\n" + SECRET}, "p.md 第3行"),
        ({"pages/p.rst": "p\n=\n\n.. include:: ROOT/outside/secret.md\n"}, "p.rst"),
        ({"pages/data.md": "Title: p\n\n" + SECRET}, "data.md 第1行"),
    ],
)
def test_the_build_refuses_before_writing_and_the_last_site_stays(scores, tmp_path, files, shown):
    out = tmp_path / "out"
    build_site(scores, out, content=content(tmp_path / "good", {"pages/ok.md": PAGE + "好\n"}))
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises((InvalidData, BuildFailed)) as error:
        build_site(scores, out, content=content(tmp_path, files))
    assert shown in refusal(error.value) and SECRET not in refusal(error.value)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    sources = {"outside", "content"}
    leaked = [p for p in tmp_path.rglob("*") if p.is_file() and not sources & set(p.parts)]
    assert not [p for p in leaked if SECRET.encode() in p.read_bytes()]


SETTINGS = {
    "EXTRA_PATH_METADATA": {"EXTRA_PATH_METADATA": {"pages/ok.md": {"save_as": "data/flags.csv"}}},
    "STATIC_PATHS": {"STATIC_PATHS": ["data"]},
    "FEED_ALL_ATOM": {"FEED_ALL_ATOM": "feed.xml"},
    "TEMPLATE_PAGES": {"TEMPLATE_PAGES": {"extra/t.html": "data/flags.csv"}},
    "ARTICLE_SAVE_AS": {"ARTICLE_SAVE_AS": "{date:%Y}/{slug}.html"},
    "CATEGORY_SAVE_AS": {"CATEGORY_SAVE_AS": "data/{slug}.csv"},
    "DEFAULT_METADATA": {"DEFAULT_METADATA": {"save_as": "index.html"}},
}


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_settings_cannot_write_over_the_results_either(scores, tmp_path, name):
    files = {
        "pages/ok.md": PAGE + "好\n",
        "extra/t.html": "PWNED",
        "data/flags.csv": "PWNED,1\n",
        "articles/a.md": "Title: a\nSlug: a\nDate: 2024-01-05\nCategory: flags\n\nx\n",
    }
    with pytest.raises(BuildFailed, match="网站设置|页面设置") as error:
        build_site(scores, tmp_path / "out", content=content(tmp_path, files), **SETTINGS[name])
    assert "Traceback" not in str(error.value)
    assert not (tmp_path / "out").exists()


def test_the_published_data_always_equals_what_compute_made(scores, tmp_path):
    """A content folder full of files named like the data files (not linked: not published),
    articles and pages named like them: /data/*.csv is compute's output, byte for byte."""
    files = {
        "data/flags.csv": "PWNED\n",
        "pages/flags.csv": "PWNED\n",
        "pages/results.json": "{}",
        "articles/flags.md": "Title: f\nDate: 2024-01-05\n\n正文\n",
        "pages/rewards.md": "Title: r\n\n正文\n",
        "pages/datapage.md": "Title: d\nSlug: data-notes\n\n[下载](/data/flags.csv)\n",
    }
    out = build_site(scores, tmp_path / "out", content=content(tmp_path, files)).out
    expected = publish.safe_tables(compute(load(scores)))
    for name, data in expected.items():
        assert (out / "data" / f"{name}.csv").read_bytes() == data, name
    assert not any(b"PWNED" in p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert (out / "news" / "flags" / "index.html").is_file()
    assert (out / "rewards" / "index.html").is_file()


def test_an_attachment_lands_beside_its_page(scores, tmp_path):
    files = {"pages/p.md": "Title: p\nSlug: notice\n\n![图]({attach}img/ok.png)\n"}
    out = build_site(scores, tmp_path / "out", content=content(tmp_path, files)).out
    assert (out / "notice" / "img" / "ok.png").read_bytes().startswith(b"\x89PNG")
    assert 'src="/notice/img/ok.png"' in (out / "notice" / "index.html").read_text("utf-8")


def test_plain_pelican_refuses_a_hostile_page_too(tmp_path):
    files = {"pages/p.md": PAGE + "![x]({static}../../outside/secret.png)\n"}
    folder = content(tmp_path, files)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pelican", str(folder), "-s", "pelicanconf.py"]
    command += ["-o", str(out), "--fatal", "errors"]
    env = {**os.environ, "COLUMNS": "400", "NO_COLOR": "1"}
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode != 0
    assert "content/pages/p.md 第4行" in run.stderr + run.stdout
    assert not [p for p in out.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]
