"""The blank forms the office fills in: a month's and a year's (model → bytes, no I/O).

A month's form lists the villages active that month, grid by grid, and the monthly categories
in force (plus the optional ones asked for); a year's form lists the villages active in the
year and the annual categories in force. Each category's header carries its full marks,
「党建引领发展（30分）」, so the clerk sees the range where the scores are typed; validate and
import read such a header as the category. Both are UTF-8 with a BOM, so that Excel and WPS
open the Chinese text right, and formula-safe (csvsafe.py). `flagboard new-month`/`new-annual`
write them; the site publishes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from generator import catalogue, csvsafe, labels
from generator.load.tablecheck import marks_header
from generator.model import Category, Town, Village
from generator.problems import InvalidData

EVENTS_HEADER = (labels.NAME_COLUMN, *labels.EVENT_COLUMNS)


def month_form(
    town: Town,
    villages: Iterable[Village],
    month: str,
    optional: Sequence[str] = (),
    town_file: str = "town.toml",
) -> bytes:
    """YYYY-MM.csv, blank: 村名 and the categories in force, one row per active village."""
    categories = month_categories(town, month, optional, town_file)
    return blank_form(categories, active_villages(town, villages, month))


def annual_form(town: Town, villages: Iterable[Village], year: str) -> bytes:
    """YYYY-annual.csv, blank: 村名 and the annual categories in force that year."""
    return blank_form(annual_categories(town, year), year_villages(town, villages, year))


def events_form() -> bytes:
    """YYYY-MM.events.csv, header only."""
    return csv_bytes(list(EVENTS_HEADER), [])


def blank_form(categories: Sequence[Category], villages: Sequence[Village]) -> bytes:
    header = [labels.NAME_COLUMN, *(marks_header(c) for c in categories)]
    return csv_bytes(header, [[v.name, *([""] * len(categories))] for v in villages])


def active_villages(town: Town, villages: Iterable[Village], month: str) -> list[Village]:
    """The villages active in `month`, grid by grid in town.toml order, villages.csv order within."""
    return _grid_order(town, [v for v in villages if v.active_in(month)])


def year_villages(town: Town, villages: Iterable[Village], year: str) -> list[Village]:
    """The villages active in some month of `year`, in the same order."""
    return _grid_order(town, [v for v in villages if v.active_in_year(year)])


def _grid_order(town: Town, villages: list[Village]) -> list[Village]:
    order = {g.id: i for i, g in enumerate(town.grids)}
    return sorted(villages, key=lambda v: order[v.grid])


def annual_categories(town: Town, year: str) -> list[Category]:
    """The annual categories in force in `year`, in town.toml order."""
    return [c for c in town.categories if c.kind == "annual" and c.in_force_in_year(year)]


def month_categories(
    town: Town, month: str, optional: Sequence[str] = (), town_file: str = "town.toml"
) -> list[Category]:
    """Monthly categories in force, plus the optional ones asked for, in town.toml order."""
    wanted, problems = set(), []
    for key in optional:
        category = next((c for c in town.categories if key in (c.name, c.id)), None)
        if category is None or category.kind != "optional" or not category.in_force(month):
            names = _optional_names(town, month)
            problems.append(catalogue.NOT_OPTIONAL.at(town_file, key=key, month=month, names=names))
        else:
            wanted.add(category.id)
    if problems:
        raise InvalidData(problems)
    return [
        c for c in town.categories if c.in_force(month) and (c.kind == "monthly" or c.id in wanted)
    ]


def _optional_names(town: Town, month: str) -> str:
    optional = [c.name for c in town.categories if c.kind == "optional" and c.in_force(month)]
    return "、".join(optional) or "（无）"


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """UTF-8 with BOM, so that Excel and WPS open the Chinese text right; formula-safe, as every
    CSV flagboard writes (csvsafe.py: a name may begin with -)."""
    return csvsafe.csv_bytes([header, *rows])
