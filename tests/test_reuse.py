"""A rebuild links the pages and data files the site it replaces holds already (reuse.py):
the same bytes as a build into an empty folder, the old site never written into, and left
whole by a build that fails. Real files, real links and real builds."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import pytest
from _site_helpers import build_site, small_town
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.site import outfolder, reuse
from generator.site.build import BuildFailed


def inodes(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under `folder` by its relative path: its inode and its bytes."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.read_bytes())
        for p in folder.rglob("*")
        if p.is_file()
    }


# -- one file ---------------------------------------------------------------------------


def test_the_same_bytes_are_linked_and_other_bytes_written(tmp_path):
    old = tmp_path / "old.html"
    old.write_bytes("红旗".encode())
    same, other = tmp_path / "same.html", tmp_path / "other.html"
    assert reuse.write_bytes(str(same), "红旗".encode(), str(old))
    assert not reuse.write_bytes(str(other), "黄旗".encode(), str(old))
    assert same.stat().st_ino == old.stat().st_ino and old.stat().st_nlink == 2
    assert other.stat().st_ino != old.stat().st_ino and other.read_bytes() == "黄旗".encode()
    assert old.read_bytes() == "红旗".encode()


def test_a_large_file_is_compared_to_its_last_byte(tmp_path):
    """Compared a part at a time (a county's results.json is 88 MB): a difference in the last
    part, or a file that grew, is a difference."""
    data = bytes(range(256)) * (3 * 4096 + 7)  # three parts and a bit
    old = tmp_path / "results.json"
    old.write_bytes(data)
    assert reuse.write_bytes(str(tmp_path / "same.json"), data, str(old))
    (tmp_path / "same.json").unlink()
    assert not reuse.write_bytes(str(tmp_path / "last.json"), data[:-1] + b"!", str(old))
    with open(old, "ab") as grown:
        grown.write(b"x")
    assert not reuse.write_bytes(str(tmp_path / "grown.json"), data, str(old))
    assert (tmp_path / "grown.json").read_bytes() == data


def test_text_is_written_as_a_text_file_is(tmp_path):
    page = tmp_path / "page.html"
    assert not reuse.write_text(str(page), "<p>红旗</p>\n", None)
    with open(page, "w", encoding="utf-8") as plain:
        plain.write("<p>红旗</p>\n")
    again = tmp_path / "again.html"
    assert reuse.write_text(str(again), "<p>红旗</p>\n", str(page))
    assert again.read_bytes() == page.read_bytes() == "<p>红旗</p>\n".encode()


def test_a_file_with_another_name_or_behind_a_link_is_never_linked(tmp_path):
    """Only a regular file whose one name is in the old site: nothing outside the two sites
    may come to share a page's file."""
    outside = tmp_path / "outside.html"
    outside.write_bytes(b"<p>x</p>")
    named_twice = tmp_path / "twice.html"
    os.link(outside, named_twice)
    behind_link = tmp_path / "link.html"
    behind_link.symlink_to(outside)
    for number, previous in enumerate((named_twice, behind_link)):
        page = tmp_path / f"page{number}.html"
        assert not reuse.write_bytes(str(page), b"<p>x</p>", str(previous))
        assert page.stat().st_ino != outside.stat().st_ino and not page.is_symlink()
    assert outside.stat().st_nlink == 2 and outside.read_bytes() == b"<p>x</p>"


def test_a_file_already_at_the_path_is_replaced_not_written_into(tmp_path):
    """Written twice (no page is, but if one were), the first file's other names keep its
    bytes: it may be a file of the old site."""
    old = tmp_path / "old.html"
    old.write_bytes(b"old")
    page = tmp_path / "page.html"
    assert reuse.write_bytes(str(page), b"old", str(old))
    assert not reuse.write_bytes(str(page), b"new", str(old))
    assert page.read_bytes() == b"new" and old.read_bytes() == b"old"
    assert reuse.write_bytes(str(page), b"old", str(old))  # and linked again over a file


OLD = st.one_of(
    st.none(),
    st.binary(max_size=40).map(lambda data: ("file", data)),
    st.binary(max_size=40).map(lambda data: ("twice", data)),
    st.binary(max_size=40).map(lambda data: ("link", data)),
    st.just(("folder", b"")),
)


@settings(max_examples=60, deadline=None)
@given(OLD, st.one_of(st.none(), st.binary(max_size=40)), st.binary(max_size=40))
def test_the_path_holds_the_bytes_and_nothing_else_changes(old, there, data):
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        previous, outside = root / "old", root / "outside"
        if old is not None:
            kind, old_bytes = old
            if kind == "folder":
                previous.mkdir()
            else:
                (outside if kind == "link" else previous).write_bytes(old_bytes)
            if kind == "twice":
                os.link(previous, outside)
            if kind == "link":
                previous.symlink_to(outside)
        path = root / "page"
        if there is not None:
            path.write_bytes(there)
            os.link(path, root / "there-too")
        before = {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()}
        linked = reuse.write_bytes(str(path), data, str(previous))
        assert path.read_bytes() == data and not path.is_symlink()
        after = {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()}
        assert {name: after[name] for name in before if name != "page"} == {
            name: value for name, value in before.items() if name != "page"
        }
        assert linked == (old is not None and old[0] == "file" and old[1] == data)
        if linked:
            assert path.stat().st_ino == previous.stat().st_ino


# -- whole builds -----------------------------------------------------------------------


@pytest.fixture
def town(tmp_path) -> Path:
    return small_town(tmp_path / "scores")


def correct_february(scores: Path) -> None:
    """A 复议 correction of one score of 2024-02."""
    february = scores / "2024" / "2024-02.csv"
    february.write_bytes(february.read_bytes().replace(b"91", b"95", 1))


def test_a_rebuild_links_what_is_unchanged_and_writes_what_changed(town, tmp_path):
    out = tmp_path / "out"
    build_site(town, out)
    first = inodes(out)
    correct_february(town)
    build_site(town, out)
    second = inodes(out)
    assert second == {
        name: (second[name][0], data)
        for name, (_, data) in inodes(build_site(town, tmp_path / "fresh").out).items()
    }  # the same bytes as a build into an empty folder
    linked = {name for name, (ino, _) in second.items() if first.get(name, (None,))[0] == ino}
    changed = {name for name, (_, data) in second.items() if first.get(name, (0, data))[1] != data}
    assert not linked & changed
    for unchanged in ("2024/01/index.html", "data/xlsx/2024-01.xlsx", "data/scores/villages.csv"):
        assert unchanged in linked, unchanged
    assert {"2024/02/index.html", "data/xlsx/2024-02.xlsx", "data/results.json"} <= changed
    assert all((out / name).stat().st_nlink == 1 for name in second)  # the old site is gone


def test_a_failed_rebuild_leaves_the_old_site_whole_and_alone(town, tmp_path, monkeypatch):
    """The new site's pages are linked to the old site's files until the swap; a build that
    fails then takes only its own names away: the old site keeps every byte, one name each."""
    out = tmp_path / "out"
    build_site(town, out)
    first = inodes(out)

    def full_disk(site, target):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    monkeypatch.setattr(outfolder, "swap", full_disk)
    with pytest.raises(BuildFailed, match="磁盘空间不足"):
        build_site(town, out)
    assert inodes(out) == first
    assert all((out / name).stat().st_nlink == 1 for name in first)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "scores"]
