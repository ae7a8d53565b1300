"""What a publish sends and deletes, and in which order, so that no reader ever follows a link
to a file that is not there yet: first what pages need (data files, images), then pages, the
deeper before the shallower (a village's year before the village, a grid's month before the
month), then the year pages, the home page, the feed and the sitemap, which lead readers to
the new period, and the site's record (data/record.json, the data commit the whole site was
built from, which the next `flagboard build --published` reads), true only once every page is
there; then the manifest, the commit point; deletions only after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby

from generator.deploy.manifest import Manifest

PAGE_SUFFIXES = (".html", ".xml")
YEAR_PAGE = re.compile(r"\d{4}/index\.html")
HOME = "index.html"
LAST = ("feed.xml", "sitemap.xml", "data/record.json")


@dataclass(frozen=True)
class Plan:
    """The files to send (in order, grouped into stages that may each go in parallel), the
    files to delete after the manifest, and how many stay as they are."""

    stages: tuple[tuple[str, ...], ...]
    delete: tuple[str, ...]
    unchanged: int

    @property
    def send(self) -> list[str]:
        return [path for stage in self.stages for path in stage]

    @property
    def empty(self) -> bool:
        return not self.stages and not self.delete


def make_plan(old: Manifest | None, new: Manifest) -> Plan:
    """Send every file that is new or whose entry (bytes or headers) differs from `old`."""
    before = old.files if old else {}
    send = [p for p, entry in new.files.items() if before.get(p) != entry]
    delete = tuple(sorted(set(before) - set(new.files)))
    ordered = sorted(send, key=lambda p: (stage_of(p), p))
    stages = tuple(tuple(group) for _, group in groupby(ordered, key=stage_of))
    return Plan(stages, delete, len(new.files) - len(send))


def stage_of(path: str) -> tuple[int, int]:
    """(rank, -depth): files pages need 0, pages 1 (deeper first), year pages 2, home 3, the
    feed, the sitemap and then the record 4, 5 and 6."""
    if path in LAST:
        return (4 + LAST.index(path), 0)
    if not path.endswith(PAGE_SUFFIXES):
        return (0, 0)
    if path == HOME:
        return (3, 0)
    if YEAR_PAGE.fullmatch(path):
        return (2, 0)
    return (1, -path.count("/"))
