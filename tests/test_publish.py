"""`flagboard publish` (issue 18): the manifest, the plan's order, the headers, the targets'
names, and publishing for real to a folder and a zip; a new month sends none of the earlier
periods' pages. The bucket and the server have test_publish_s3.py and test_publish_ssh.py."""

from __future__ import annotations

import fcntl
import gzip
import json
import os
import zipfile
from pathlib import Path

import pytest
from _deploy_helpers import (
    assert_old_site_whole,
    clean_env,
    dangling_links,
    kill_when,
    run_publish,
    serving,
    sha256,
    site_files,
)
from conftest import examples
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from generator.cli import main
from generator.deploy import check, gzipped, headers
from generator.deploy.errors import PublishFailed
from generator.deploy.links import page_links
from generator.deploy.manifest import MANIFEST, Entry, Manifest, parse, scan
from generator.deploy.plan import make_plan, stage_of
from generator.deploy.publish import publish
from generator.deploy.targets import Archive, Bucket, Folder, Server, parse_target
from generator.layout import SITE_MARK

# every test: no thread of its own left running (conftest.py threads_end)
pytestmark = pytest.mark.usefixtures("threads_end")


def stored_site(folder: Path) -> dict[str, bytes]:
    """A published folder's files as readers get them: without the .gz and flagboard's own."""
    return {
        path: data
        for path, data in site_files(folder).items()
        if not path.startswith(".flagboard/") and not path.endswith(".gz")
    }


# -- headers and gzip -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind", "cache"),
    [
        ("index.html", "text/html; charset=utf-8", "no-cache"),
        ("2024/03/index.html", "text/html; charset=utf-8", "no-cache"),
        ("feed.xml", "application/atom+xml; charset=utf-8", "no-cache"),
        ("sitemap.xml", "application/xml; charset=utf-8", "no-cache"),
        ("data/flags.csv", "text/csv; charset=utf-8", "no-cache"),
        ("data/results.json", "application/json; charset=utf-8", "no-cache"),
        ("data/scores/town.toml", "text/plain; charset=utf-8", "no-cache"),
        (
            "data/xlsx/2024-03.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "no-cache",
        ),
        ("images/share.png", "image/png", "public, max-age=86400"),
        ("files/通知.PDF", "application/pdf", "no-cache"),
        ("odd.weird", "application/octet-stream", "no-cache"),
    ],
)
def test_every_file_gets_its_type_from_the_table_and_text_is_utf8(path, kind, cache):
    assert headers.content_type(path) == kind
    assert headers.cache_control(kind) == cache


def test_text_is_gzipped_and_pictures_and_workbooks_are_not():
    assert headers.gzipped("text/html; charset=utf-8", 5000)
    assert not headers.gzipped("text/html; charset=utf-8", 100)  # the header would cost more
    assert not headers.gzipped("image/png", 5000)
    assert not headers.gzipped(headers.content_type("a.xlsx"), 5000)


def test_gzip_is_deterministic_with_no_time_and_no_name():
    data = "红黄旗评比结果".encode() * 100
    packed = gzipped.compress(data)
    assert packed == gzipped.compress(data)
    assert gzip.decompress(packed) == data
    assert packed[3] & 0x08 == 0  # FNAME flag: no file name
    assert packed[4:8] == b"\0\0\0\0"  # MTIME


# -- the manifest ---------------------------------------------------------------------------------


def test_the_manifest_lists_every_file_of_the_site_with_its_hash(sites):
    manifest = scan(sites.after)
    files = site_files(sites.after)
    assert set(manifest.files) == set(files) and SITE_MARK not in manifest.files
    for path, data in files.items():
        entry = manifest.files[path]
        assert (entry.sha256, entry.size) == (sha256(data), len(data))
        assert entry.type == headers.content_type(path)
    assert manifest.files["index.html"].gzip and not manifest.files["images/share.png"].gzip
    assert parse(manifest.to_bytes(), "t") == manifest
    assert scan(sites.after).to_bytes() == manifest.to_bytes()  # canonical: the same bytes


def test_only_a_site_flagboard_built_is_published(tmp_path, sites):
    with pytest.raises(PublishFailed) as refused:
        scan(tmp_path)
    assert refused.value.problem.code == "publish_not_a_site" and refused.value.usage
    site = tmp_path / "site"
    site.mkdir()
    (site / SITE_MARK).write_text("x")
    (site / "index.html").write_text("<p>hi</p>")
    os.symlink("/etc/passwd", site / "passwd.html")
    with pytest.raises(PublishFailed) as refused:
        scan(site)
    assert refused.value.problem.code == "publish_unsafe_file"
    assert refused.value.problem.file == "passwd.html"


HOSTILE = [
    {"flagboard-manifest": 1, "files": {"../../etc/passwd": None}},
    {"flagboard-manifest": 1, "files": {"/etc/passwd": None}},
    {"flagboard-manifest": 1, "files": {"a/../../b": None}},
    {"flagboard-manifest": 1, "files": {".flagboard/manifest.json": None}},
    {"flagboard-manifest": 1, "files": {"a\\b": None}},
    {"flagboard-manifest": 2, "files": {}},
    {"files": {}},
    [],
]


@pytest.mark.parametrize("document", HOSTILE)
def test_a_manifest_read_from_a_target_is_refused_if_any_path_or_field_is_doubtful(document):
    entry = {
        "sha256": "0" * 64,
        "size": 1,
        "type": "text/plain",
        "cache": "no-cache",
        "gzip": False,
    }
    if isinstance(document, dict):
        document["files"] = {path: entry for path in document.get("files", {})}
    with pytest.raises(PublishFailed) as refused:
        parse(json.dumps(document).encode(), "目标")
    assert refused.value.problem.code == "publish_bad_manifest"


@pytest.mark.parametrize(
    "field", [("sha256", "xyz"), ("size", -1), ("size", "1"), ("gzip", 1), ("type", "a\nb")]
)
def test_a_manifest_entry_with_a_wrong_field_is_refused(field):
    entry = {
        "sha256": "0" * 64,
        "size": 1,
        "type": "text/plain",
        "cache": "no-cache",
        "gzip": False,
    }
    entry[field[0]] = field[1]
    data = json.dumps({"flagboard-manifest": 1, "files": {"a.txt": entry}}).encode()
    with pytest.raises(PublishFailed):
        parse(data, "目标")


# -- the plan -------------------------------------------------------------------------------------

PATHS = st.sampled_from(
    [
        "index.html",
        "feed.xml",
        "sitemap.xml",
        "2024/index.html",
        "2025/index.html",
        "2024/03/index.html",
        "2024/03/g01/index.html",
        "2024/03/poster/g01/index.html",
        "village/1/index.html",
        "village/1/2021/index.html",
        "data/flags.csv",
        "data/record.json",
        "data/xlsx/2024.xlsx",
        "images/share.png",
        "404.html",
    ]
)
ENTRIES = st.builds(
    lambda h: Entry(h * 64, 1, "text/html; charset=utf-8", "no-cache", False),
    st.sampled_from("abc"),
)
SITES = st.dictionaries(PATHS, ENTRIES).map(Manifest)


@hsettings(max_examples=examples(200))
@given(SITES, SITES)
def test_the_plan_sends_what_differs_in_order_and_deletes_what_is_gone(old, new):
    plan = make_plan(old, new)
    changed = {p for p, e in new.files.items() if old.files.get(p) != e}
    assert sorted(plan.send) == sorted(changed)
    assert set(plan.delete) == set(old.files) - set(new.files)
    assert plan.unchanged == len(new.files) - len(changed)
    order = {path: i for i, path in enumerate(plan.send)}
    for a in order:
        for b in order:
            if stage_of(a) < stage_of(b):  # files before pages, deeper before shallower,
                assert order[a] < order[b]  # years, home, then the feed, sitemap and record


def test_pages_follow_what_they_need_and_the_entry_pages_come_last(sites):
    send = make_plan(None, scan(sites.after)).send
    # The site's record names the data commit every page shows: it goes live after them all.
    assert send[-1] == "data/record.json"
    send = send[:-1]
    pages = [p for p in send if p.endswith((".html", ".xml"))]
    assert all(not p.endswith((".html", ".xml")) for p in send[: len(send) - len(pages)])
    assert pages[-2:] == ["feed.xml", "sitemap.xml"] and pages[-3] == "index.html"
    years = [i for i, p in enumerate(pages) if p.count("/") == 1 and p[:4].isdigit()]
    villages = [i for i, p in enumerate(pages) if p.startswith("village/")]
    assert years and max(villages) < min(years)


LINKED = st.dictionaries(PATHS, st.lists(PATHS, max_size=4))


@hsettings(max_examples=examples(200))
@given(SITES, SITES, LINKED)
def test_each_page_is_sent_after_the_new_files_it_links_to_unless_they_link_back(old, new, linked):
    plan = make_plan(old, new, lambda page: set(linked.get(page, ())) - {page})
    stage = {path: i for i, files in enumerate(plan.stages) for path in files}
    fresh = set(new.files) - set(old.files)

    def reaches(a: str, b: str) -> bool:
        seen, todo = set(), [a]
        while todo:
            here = todo.pop()
            if here == b:
                return True
            if here not in seen and here in stage and here.endswith((".html", ".xml")):
                seen.add(here)
                todo += [t for t in linked.get(here, ()) if t in fresh]
        return False

    assert sorted(plan.send) == sorted(p for p, e in new.files.items() if old.files.get(p) != e)
    for page in plan.send:
        if not page.endswith((".html", ".xml")) or page in ("feed.xml", "sitemap.xml"):
            continue
        for target in set(linked.get(page, ())) & fresh - {page}:
            if target in ("feed.xml", "sitemap.xml", "data/record.json"):
                continue  # the entry files go last whatever links to them
            assert stage[target] < stage[page] or reaches(target, page), (page, target)
    entries = [p for p in plan.send if p in ("feed.xml", "sitemap.xml", "data/record.json")]
    assert plan.send[len(plan.send) - len(entries) :] == entries  # last, in this order
    assert entries == sorted(entries, key=["feed.xml", "sitemap.xml", "data/record.json"].index)


def test_page_links_reads_the_sites_own_links_however_written(tmp_path):
    (tmp_path / "2025" / "02").mkdir(parents=True)
    (tmp_path / "2025" / "02" / "index.html").write_text(
        '<a href="poster/">海报</a><a href="../01/">上月</a><a href="/village/1/#a">村</a>'
        '<img src="https://town.example/pub/images/x.png"><a href="mailto:a@b.cn">信</a>'
        '<a href="#top">顶</a><a href="https://other.example/">外</a><a href="/gone/">无</a>'
        '<a href="../../data/xlsx/2025-02.xlsx?v=1">表</a>',
        encoding="utf-8",
    )
    files = {
        "2025/02/poster/index.html",
        "2025/01/index.html",
        "village/1/index.html",
        "images/x.png",
        "data/xlsx/2025-02.xlsx",
        "2025/02/index.html",
        "index.html",
    }
    # The site's address is not known here: another site's root reads as this one's home,
    # which only makes the page wait for the home page, never send it early.
    assert page_links(tmp_path, "2025/02/index.html", files) == files - {"2025/02/index.html"}
    (tmp_path / "2025" / "02" / "index.html").write_text('<a href="/gone/">无</a>')
    assert page_links(tmp_path, "2025/02/index.html", files) == set()


def test_a_publish_cut_off_after_any_file_leaves_no_page_readers_reach_linking_to_nothing(sites):
    """The new month's page and the village pages that link to it used to go in one parallel
    stage (a village page first: a dead link until the next publish); its posters, deeper, went
    before the page they link back to. Every file of the plan, sent alone after the stages
    before it, must leave the old site's pages and what they lead to whole."""
    old, new = site_files(sites.before), site_files(sites.after)
    known = set(new)
    plan = make_plan(
        scan(sites.before), scan(sites.after), lambda p: page_links(sites.after, p, known)
    )
    done = dict(old)
    for files in plan.stages:
        for path in files:
            assert dangling_links({**done, path: new[path]}, entries=list(old)) == [], path
        done.update({path: new[path] for path in files})
    assert done == {**old, **new}


# -- a new month sends none of the earlier periods' pages ----------------------------------------


def test_a_new_month_sends_only_what_it_changes_and_no_earlier_periods_page(sites):
    before, after = scan(sites.before), scan(sites.after)
    plan = make_plan(before, after)
    new = sorted({p[:7] for p in after.files if p[:7] not in {q[:7] for q in before.files}})
    assert len(new) == 1 and new[0][4] == "/"  # the new month's folder, e.g. 2025/02
    month = new[0]
    earlier = [
        p
        for p in plan.send
        if p[:4].isdigit() and p[4:5] == "/" and p[5:7].isdigit() and p[:7] < month
    ]
    assert earlier == []
    past_years = [p for p in plan.send if p[:4].isdigit() and p[4:] == "/index.html"]
    assert past_years in ([], [month[:4] + "/index.html"])  # the new month's year only
    # the rest: the new period's pages and files, the pages that show the latest period, the
    # data files, the history, the feed and the sitemap (listed in the report of issue 18)
    others = {p.split("/")[0] for p in plan.send if not p.startswith(month)}
    assert others <= {
        "index.html",
        "village",
        "grid",
        "screen",
        "data",
        "history",
        "feed.xml",
        "sitemap.xml",
        month[:4],
    }
    assert len(plan.send) < len(after.files) / 2


# -- the targets' names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("site-out", Folder(Path("site-out"))),
        ("dir:hand.zip", Folder(Path("hand.zip"))),
        ("zip:out/huamu.zip", Archive(Path("out/huamu.zip"))),
        (
            "ssh://deploy@web.gov.cn:2222/srv/www/huamu",
            Server("web.gov.cn", "/srv/www/huamu", "deploy", 2222),
        ),
        ("ssh://web.gov.cn/srv/花木镇/", Server("web.gov.cn", "/srv/花木镇")),
        ("s3://huamu-site", Bucket("huamu-site")),
        ("s3://county-sites/huamu/", Bucket("county-sites", "huamu")),
    ],
)
def test_targets_are_read_from_their_names(text, target):
    assert parse_target(text) == target


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "没有指定发布目标"),
        ("https://example.org/", "不支持「https://」"),
        ("huamu.zip", "zip:FILE.zip"),
        ("zip:huamu.tar", ".zip 结尾"),
        ("ssh://-oProxyCommand=x/srv", "ssh://USER@HOST"),
        ("ssh://deploy@web.gov.cn/", "绝对路径"),
        ("ssh://deploy@web.gov.cn/srv/../etc", "绝对路径"),
        ("ssh://deploy@web.gov.cn/srv/$(reboot)", "绝对路径"),
        ("ssh://deploy:secret@web.gov.cn/srv", "不能写密码"),
        ("s3://A_B", "存储桶名称"),
        ("s3://bucket/../x", "前缀"),
    ],
)
def test_a_doubtful_target_is_a_usage_error_said_in_chinese(text, says, capsys, sites):
    assert main(["publish", "--site", str(sites.after), "--to", text]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err


def test_usage_errors_exit_2(capsys, sites, tmp_path):
    assert main(["publish", "--site", str(sites.after), "--rollback", "--to", str(tmp_path)]) == 2
    assert "只有发布到服务器（ssh://）时才能回退" in capsys.readouterr().err
    (tmp_path / "notes").mkdir()
    assert main(["publish", "--site", str(tmp_path / "notes"), "--to", str(tmp_path / "x")]) == 2
    assert "flagboard build" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["publish", "--rollback", "--dry-run", "--to", "x"])
    assert usage.value.code == 2
    assert "不能与参数" in capsys.readouterr().err
    folder_in_site = sites.after / "copy"
    assert main(["publish", "--site", str(sites.after), "--to", str(folder_in_site)]) == 2
    assert "重叠" in capsys.readouterr().err and not folder_in_site.exists()


def test_the_target_may_come_from_the_environment(monkeypatch, sites, tmp_path, capsys):
    monkeypatch.setenv("FLAGBOARD_PUBLISH_TO", str(tmp_path / "pub"))
    assert main(["publish", "--site", str(sites.before)]) == 0
    assert stored_site(tmp_path / "pub") == site_files(sites.before)


# -- a folder -------------------------------------------------------------------------------------


def test_a_folder_gets_the_site_then_only_what_changed(sites, tmp_path, capsys):
    target = tmp_path / "county" / "huamu"
    assert main(["publish", "--site", str(sites.before), "--to", str(target)]) == 0
    assert stored_site(target) == site_files(sites.before)
    for path, data in site_files(sites.before).items():
        packed = target / gzipped.gz_path(path)
        assert packed.exists() == headers.gzipped(headers.content_type(path), len(data))
        if packed.exists():
            assert gzip.decompress(packed.read_bytes()) == data
    unchanged = target / "2023" / "06" / "index.html"
    inode = unchanged.stat().st_ino
    capsys.readouterr()
    assert main(["publish", "--site", str(sites.after), "--to", str(target)]) == 0
    out = capsys.readouterr().out
    plan = make_plan(scan(sites.before), scan(sites.after))
    assert f"发送 {len(plan.send)} 个文件" in out and f"删除 {len(plan.delete)} 个" in out
    assert stored_site(target) == site_files(sites.after)
    assert unchanged.stat().st_ino == inode  # not written again
    for path in plan.delete:
        assert not (target / path).exists() and not (target / gzipped.gz_path(path)).exists()
    assert (target / MANIFEST).read_bytes() == scan(sites.after).to_bytes()


def test_a_dry_run_lists_what_would_be_sent_and_deleted_and_changes_nothing(
    sites, tmp_path, capsys
):
    target = tmp_path / "pub"
    assert main(["publish", "--site", str(sites.before), "--to", str(target)]) == 0
    before = site_files(target)
    capsys.readouterr()
    assert main(["publish", "--site", str(sites.after), "--to", str(target), "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    plan = make_plan(scan(sites.before), scan(sites.after))
    assert [ln.removeprefix("将发送 ") for ln in out if ln.startswith("将发送 ")] == plan.send
    assert [ln.removeprefix("将删除 ") for ln in out if ln.startswith("将删除 ")] == list(
        plan.delete
    )
    assert site_files(target) == before


def test_a_folder_holding_other_files_is_refused_and_others_files_are_left_alone(
    sites, tmp_path, capsys
):
    foreign = tmp_path / "portal"
    foreign.mkdir()
    (foreign / "index.html").write_text("县门户首页")
    assert main(["publish", "--site", str(sites.before), "--to", str(foreign)]) == 1
    assert "不是 flagboard 发布的文件（index.html）" in capsys.readouterr().err
    assert sorted(p.name for p in foreign.iterdir()) == ["index.html"]
    target = tmp_path / "pub"
    assert main(["publish", "--site", str(sites.before), "--to", str(target)]) == 0
    (target / "robots.txt").write_text("added by the county")  # after the first publish
    assert main(["publish", "--site", str(sites.after), "--to", str(target)]) == 0
    assert (target / "robots.txt").read_text() == "added by the county"


def test_one_publish_at_a_time_in_a_folder(sites, tmp_path, capsys):
    target = tmp_path / "pub"
    assert main(["publish", "--site", str(sites.before), "--to", str(target)]) == 0
    with open(target / ".flagboard" / "lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert main(["publish", "--site", str(sites.after), "--to", str(target)]) == 1
    assert "另一次发布正在向这个文件夹发布" in capsys.readouterr().err
    assert stored_site(target) == site_files(sites.before)


@pytest.mark.parametrize("after_files", [1, 40])
def test_a_folder_publish_killed_midway_leaves_the_old_site_whole_and_the_next_completes(
    sites, tmp_path, after_files
):
    target = tmp_path / "pub"
    env = clean_env()
    assert run_publish("--site", str(sites.before), "--to", str(target), env=env).returncode == 0
    count = []
    killed = kill_when(
        ["--site", str(sites.after), "--to", str(target), "--verbose"],
        env,
        lambda line: line.startswith("已发送") and len(count.append(1) or count) >= after_files,
    )
    assert killed.returncode == -9
    old, new = site_files(sites.before), site_files(sites.after)
    assert_old_site_whole(stored_site(target), old, new)
    assert parse((target / MANIFEST).read_bytes(), "t") == scan(sites.before)
    done = run_publish("--site", str(sites.after), "--to", str(target), env=env)
    assert done.returncode == 0, done.stderr
    assert stored_site(target) == new and not (target / ".flagboard" / "pending.json").exists()


def test_the_published_folder_served_with_gzip_static_is_checked_back(sites, tmp_path, capsys):
    target = tmp_path / "pub"
    assert main(["publish", "--site", str(sites.before), "--to", str(target)]) == 0
    with serving(target) as url:
        code = main(
            ["publish", "--site", str(sites.after), "--to", str(target), "--check-url", url]
        )
        out = capsys.readouterr().out
    assert code == 0
    assert f"已核对：{url}/ 与发布的版本一致" in out and out.count("已核对") == 2
    assert dangling_links(stored_site(target)) == []


def test_a_public_address_serving_another_site_fails_the_check(
    sites, tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(check, "WAITS", ())
    target = tmp_path / "pub"
    with serving(sites.before) as url:  # the address still serves the old site
        code = main(
            ["publish", "--site", str(sites.after), "--to", str(target), "--check-url", url]
        )
    assert code == 1
    err = capsys.readouterr().err
    assert f"从 {url}/ 取回的网页不是本次发布的版本" in err
    assert "这次发布没有完成" not in err  # it was: what readers get is another matter
    assert stored_site(target) == site_files(sites.after)


# -- a zip ----------------------------------------------------------------------------------------


def test_a_zip_holds_the_site_its_gz_and_manifest_and_is_the_same_bytes_each_time(sites, tmp_path):
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    for path in (first, second):
        assert main(["publish", "--site", str(sites.after), "--to", f"zip:{path}"]) == 0
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = set(archive.namelist())
        files = site_files(sites.after)
        assert {n for n in names if not n.endswith(".gz")} == set(files) | {MANIFEST}
        for path, data in files.items():
            assert archive.read(path) == data
        assert gzip.decompress(archive.read("index.html.gz")) == files["index.html"]
        assert parse(archive.read(MANIFEST), "zip") == scan(sites.after)


def test_a_zip_that_flagboard_did_not_write_is_not_replaced(sites, tmp_path, capsys):
    other = tmp_path / "report.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("report.doc", "county report")
    assert main(["publish", "--site", str(sites.after), "--to", f"zip:{other}"]) == 1
    assert "不是 flagboard 生成的网站压缩包" in capsys.readouterr().err
    with zipfile.ZipFile(other) as archive:
        assert archive.namelist() == ["report.doc"]


# -- nothing secret is ever printed -----------------------------------------------------------------


def test_a_flaw_of_flagboard_is_said_with_the_secrets_hidden(sites, tmp_path, monkeypatch, capsys):
    secret = "Fb0Secret+Test/Value9876543210abcdefXYZ"
    monkeypatch.setenv("FLAGBOARD_S3_SECRET_ACCESS_KEY", secret)

    def broken(*args, **kwargs):
        raise RuntimeError(f"unexpected: {secret}")

    monkeypatch.setattr("generator.deploy.publish.scan", broken)
    assert main(["publish", "--site", str(sites.after), "--to", str(tmp_path / "p")]) == 1
    said = capsys.readouterr()
    assert secret not in said.out + said.err
    assert "RuntimeError: unexpected: ***" in said.err and "请报告给开发者" in said.err


def test_publish_is_a_library_call_too(sites, tmp_path):
    sent = []
    report = publish(sites.before, str(tmp_path / "pub"), {}, sent=sent.append)
    assert report.release == scan(sites.before).release
    assert sorted(p for stage in sent for p in stage) == sorted(scan(sites.before).files)


def test_a_folder_that_cannot_be_written_is_said_not_a_traceback(sites, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    assert main(["publish", "--site", str(sites.before), "--to", str(blocker / "pub")]) == 1
    err = capsys.readouterr().err
    assert "读写文件出错" in err and "Traceback" not in err
