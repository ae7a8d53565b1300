"""The validated model of a town: grids, categories, rule versions, villages. No I/O."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from generator import routes
from generator.csvsafe import restore
from generator.names import foreign_characters
from generator.periods import is_month
from generator.problems import unsafe_characters
from generator.townwords import level_of

VILLAGE_ID_RE = re.compile(r"^[A-Za-z0-9-]+$")
MAX_FULL_MARKS = 1000
MAX_AMOUNT = 10_000_000  # 元, one tier
MAX_FLAG_COUNT = 20_000  # red_count / yellow_count: no grid has more villages than a file rows
MAX_GRIDS, MAX_CATEGORIES, MAX_RULES, MAX_TIERS = 500, 50, 100, 50

Kind = Literal["monthly", "optional", "annual"]
Level = Literal["镇", "乡", "街道"]  # town.toml's `kind`: generator/townwords.py
Amount = Annotated[int, Field(ge=0, le=MAX_AMOUNT)]


def name_key(name: str) -> str:
    """What makes two names the same name: equal after NFKC and without white space (and the
    apostrophe that made a name beginning with - safe in a form: csvsafe.py)."""
    return "".join(unicodedata.normalize("NFKC", restore(name)).split())


def check_clean(value: str) -> str:
    """A validator: free text ([notice]) may hold no control or invisible characters
    (docs/data-format.md §2.1)."""
    bad = unsafe_characters(value)
    if bad:
        raise ValueError(f"unsafe characters: {' '.join(bad[:5])}")
    return value


def check_name(value: str) -> str:
    """A validator: a name holds only what names.py allows (docs/data-format.md §2.1)."""
    bad = foreign_characters(value)
    if bad:
        raise ValueError(f"name characters: {' '.join(bad[:5])}")
    return value


CleanName = Annotated[str, Field(min_length=1, max_length=100)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Grid(_Strict):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    name: CleanName

    _clean = field_validator("name")(check_name)


class Category(_Strict):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    name: CleanName
    kind: Kind = "monthly"
    full_marks: float = Field(default=100, ge=1, le=MAX_FULL_MARKS, allow_inf_nan=False)
    from_: str | None = Field(default=None, alias="from")
    until: str | None = None

    _clean = field_validator("name")(check_name)

    @field_validator("full_marks")
    @classmethod
    def _two_decimals(cls, value: float) -> float:
        if round(value * 100) != value * 100:
            raise ValueError("full_marks decimals")
        return value

    @field_validator("from_", "until")
    @classmethod
    def _month(cls, value: str | None) -> str | None:
        if value is not None and not is_month(value):
            raise ValueError("month")
        return value

    @property
    def full_hundredths(self) -> int:
        return round(self.full_marks * 100)

    def in_force(self, month: str) -> bool:
        """Whether the category is scored in `month` (YYYY-MM)."""
        return (self.from_ is None or self.from_ <= month) and (
            self.until is None or month <= self.until
        )

    def in_force_in_year(self, year: str) -> bool:
        return (self.from_ is None or self.from_ <= f"{year}-12") and (
            self.until is None or f"{year}-01" <= self.until
        )


class RuleVersion(_Strict):
    from_: str = Field(alias="from")
    red_count: int = Field(default=3, ge=0, le=MAX_FLAG_COUNT)
    yellow_count: int = Field(default=3, ge=0, le=MAX_FLAG_COUNT)
    reward_tiers: tuple[Amount, ...] = Field(
        default=(1000, 3000, 5000), min_length=1, max_length=MAX_TIERS
    )
    penalty_tiers: tuple[Amount, ...] = Field(
        default=(1000, 3000, 5000), min_length=1, max_length=MAX_TIERS
    )

    @field_validator("from_")
    @classmethod
    def _month(cls, value: str) -> str:
        if not is_month(value):
            raise ValueError("month")
        return value


DEFAULT_CATEGORIES = (
    Category(id="party", name="党建引领发展", kind="monthly"),
    Category(id="home", name="和美家园建设", kind="monthly"),
    Category(id="governance", name="整体协同智治", kind="monthly"),
    Category(id="civility", name="文明新风培育", kind="monthly"),
    Category(id="economy", name="美丽经济发展", kind="monthly"),
    Category(id="pledge", name="创业承诺践行", kind="optional"),
    Category(id="project", name="重点工程攻坚", kind="optional"),
    Category(id="integrity", name="党风廉政建设", kind="annual"),
    Category(id="teamwork", name="团队作战能力", kind="annual"),
)


class Notice(_Strict):
    """[notice]: who publishes the 公示, where to ask for 复议 and within how many days."""

    issuer: str = Field(default="", max_length=100)  # 发布单位
    contact: str = Field(default="", max_length=200)
    review_days: int = Field(default=5, ge=1, le=365)
    icp: str = Field(default="", max_length=100)  # ICP备案号

    _clean = field_validator("issuer", "contact", "icp")(check_clean)


class Town(_Strict):
    """town.toml, validated."""

    town: CleanName
    kind: Level | None = None  # None: from the name (generator.townwords.level_of)
    grids: tuple[Grid, ...] = Field(min_length=1, max_length=MAX_GRIDS)
    categories: tuple[Category, ...] = Field(
        default=DEFAULT_CATEGORIES, min_length=1, max_length=MAX_CATEGORIES
    )
    rules: tuple[RuleVersion, ...] = Field(min_length=1, max_length=MAX_RULES)
    notice: Notice = Notice()

    _clean = field_validator("town")(check_name)

    @model_validator(mode="after")
    def _unique(self) -> Town:
        for label, values in (
            ("grids.id", [g.id.lower() for g in self.grids]),  # URLs: Windows ignores case
            ("grids.name", [name_key(g.name) for g in self.grids]),
            ("categories.id", [c.id for c in self.categories]),
            ("categories.name", [name_key(c.name) for c in self.categories]),
            ("rules.from", [r.from_ for r in self.rules]),
        ):
            dupes = sorted(v for v, n in Counter(values).items() if n > 1)
            if dupes:
                raise ValueError(f"duplicate {label}: {'、'.join(dupes)}")
        _grid_ids(self.grids)
        return self

    @property
    def level(self) -> str:
        """镇, 乡 or 街道: `kind`, else the name's ending, else 镇."""
        return level_of(self.town, self.kind)

    def grid_by_key(self, key: str) -> Grid | None:
        """A grid by its id or its name, as villages.csv may use either."""
        return self._grid_keys.get(key) or self._grid_keys.get(name_key(key))

    def category_by_name(self, name: str) -> Category | None:
        return self._category_keys.get(name_key(name))

    def category_by_id(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    @property
    def _grid_keys(self) -> dict[str, Grid]:
        found = self.__dict__.get("_grid_index")
        if found is None:
            found = {name_key(g.name): g for g in self.grids} | {g.id: g for g in self.grids}
            self.__dict__["_grid_index"] = found
        return found

    @property
    def _category_keys(self) -> dict[str, Category]:
        found = self.__dict__.get("_category_index")
        if found is None:
            found = {name_key(c.name): c for c in self.categories}
            self.__dict__["_category_index"] = found
        return found

    def rule_for(self, month: str) -> RuleVersion | None:
        """The newest rule version whose `from` is not after `month`."""
        versions = [r for r in self.rules if r.from_ <= month]
        return max(versions, key=lambda r: r.from_) if versions else None


def _grid_ids(grids: tuple[Grid, ...]) -> None:
    """A grid id may not be a name of the site's own (its pages are /grid/<id>/ and
    /2024/03/<id>/), nor another grid's name (villages.csv may name a grid by either)."""
    for grid in grids:
        if routes.is_site_name(grid.id):
            raise ValueError(f"reserved grids.id: {grid.id}")
    names = {name_key(g.name): g for g in grids}
    for grid in grids:
        other = names.get(name_key(grid.id))
        if other is not None and other is not grid:
            raise ValueError(f"grid id is name: {grid.id}")


class Village(_Strict):
    id: str
    name: str
    grid: str
    start: str | None = None
    end: str | None = None
    former_names: tuple[str, ...] = ()  # 曾用名: a scores or events file may still use them

    def active_in(self, month: str) -> bool:
        return (self.start is None or self.start <= month) and (
            self.end is None or month <= self.end
        )

    def active_in_year(self, year: str) -> bool:
        return (self.start is None or self.start <= f"{year}-12") and (
            self.end is None or f"{year}-01" <= self.end
        )
