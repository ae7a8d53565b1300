"""What a publish sends and deletes, and in which order, so that no reader ever follows a link
to a file that is not there yet: first what pages need (data files, images), then pages, each
after the new files it links to (read from the pages themselves, links.py), then the feed and
the sitemap, which lead readers to the new period, and the site's record (data/record.json,
the data commit the whole site was built from, which the next `flagboard build --published`
reads), true only once every page is there; then the manifest, the commit point; deletions
only after it.

New pages can link to each other in a circle (a month's page and its posters): no order sends
them without one of them linking, for a moment, to one not there yet. None of them can be
reached until a page readers already have links to them, and that page waits for the whole
circle. Among pages that wait for the same files: the deeper before the shallower (a village's
year before the village, a grid's month before the month), then the year pages and the home
page. Without the links (a dry run's count), only that last order is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

from generator.deploy.manifest import Manifest

PAGE_SUFFIXES = (".html", ".xml")
YEAR_PAGE = re.compile(r"\d{4}/index\.html")
HOME = "index.html"
LAST = ("feed.xml", "sitemap.xml", "data/record.json")
LAST_RANK = 4  # stage_of's rank of the first of LAST


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


def make_plan(
    old: Manifest | None, new: Manifest, links: Callable[[str], set[str]] | None = None
) -> Plan:
    """Send every file that is new or whose entry (bytes or headers) differs from `old`;
    `links(page)`: the site's files a page links to (links.py), for the order."""
    before = old.files if old else {}
    send = [p for p, entry in new.files.items() if before.get(p) != entry]
    delete = tuple(sorted(set(before) - set(new.files)))
    level = _levels(send, set(send) - set(before), links) if links else {}

    def key(path: str) -> tuple:  # the feed, sitemap and record last, whatever the levels
        return (stage_of(path)[0] >= LAST_RANK, level.get(path, 0), stage_of(path))

    ordered = sorted(send, key=lambda p: (key(p), p))
    stages = tuple(tuple(group) for _, group in groupby(ordered, key=key))
    return Plan(stages, delete, len(new.files) - len(send))


def _levels(send: list[str], fresh: set[str], links) -> dict[str, int]:
    """Each page's level: 1 + the highest level of the new files it links to outside its own
    circle (files that are no page: 0). Sending level by level, a page goes after them all."""
    pages = [p for p in send if p.endswith(PAGE_SUFFIXES) and p not in LAST]
    edges = {p: sorted(t for t in links(p) if t in fresh) for p in pages}
    level: dict[str, int] = {}
    for circle in _circles(pages, edges):
        outside = [t for p in circle for t in edges[p] if t not in circle]
        here = 1 + max((level.get(t, 0) for t in outside), default=0)
        for page in circle:
            level[page] = here
    return level


def _circles(nodes: list[str], edges: dict[str, list[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components, without recursion, each after every component it
    links to (so a component's targets have their level when it is reached)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            step = next((t for t in targets if t in edges), None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(edges[step])))
                elif step in on_stack:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                circle = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    circle.add(member)
                    if member == node:
                        break
                found.append(circle)
    return found


def stage_of(path: str) -> tuple[int, int]:
    """(rank, -depth): files pages need 0, pages 1 (deeper first), year pages 2, home 3, the
    feed, the sitemap and then the record 4, 5 and 6."""
    if path in LAST:
        return (LAST_RANK + LAST.index(path), 0)
    if not path.endswith(PAGE_SUFFIXES):
        return (0, 0)
    if path == HOME:
        return (3, 0)
    if YEAR_PAGE.fullmatch(path):
        return (2, 0)
    return (1, -path.count("/"))
