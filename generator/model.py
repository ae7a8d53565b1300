"""The validated model of a town: grids, categories, rule versions, villages. No I/O."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
VILLAGE_ID_RE = re.compile(r"^[A-Za-z0-9-]+$")

Kind = Literal["monthly", "optional", "annual"]


def is_month(text: str) -> bool:
    return bool(MONTH_RE.match(text))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Grid(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1)


class Category(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1)
    kind: Kind = "monthly"
    full_marks: float = Field(default=100, gt=0)
    from_: str | None = Field(default=None, alias="from")
    until: str | None = None

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
    red_count: int = Field(default=3, ge=0)
    yellow_count: int = Field(default=3, ge=0)
    reward_tiers: tuple[int, ...] = Field(default=(1000, 3000, 5000), min_length=1)
    penalty_tiers: tuple[int, ...] = Field(default=(1000, 3000, 5000), min_length=1)

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


class Town(_Strict):
    """town.toml, validated."""

    town: str = Field(min_length=1)
    grids: tuple[Grid, ...] = Field(min_length=1)
    categories: tuple[Category, ...] = DEFAULT_CATEGORIES
    rules: tuple[RuleVersion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Town:
        for label, values in (
            ("grids.id", [g.id for g in self.grids]),
            ("grids.name", [g.name for g in self.grids]),
            ("categories.id", [c.id for c in self.categories]),
            ("categories.name", [c.name for c in self.categories]),
            ("rules.from", [r.from_ for r in self.rules]),
        ):
            dupes = sorted({v for v in values if values.count(v) > 1})
            if dupes:
                raise ValueError(f"duplicate {label}: {'、'.join(dupes)}")
        return self

    def grid_by_key(self, key: str) -> Grid | None:
        """A grid by its id or its name, as villages.csv may use either."""
        return next((g for g in self.grids if key in (g.id, g.name)), None)

    def category_by_name(self, name: str) -> Category | None:
        return next((c for c in self.categories if c.name == name), None)

    def rule_for(self, month: str) -> RuleVersion | None:
        """The newest rule version whose `from` is not after `month`."""
        versions = [r for r in self.rules if r.from_ <= month]
        return max(versions, key=lambda r: r.from_) if versions else None


class Village(_Strict):
    id: str
    name: str
    grid: str
    start: str | None = None
    end: str | None = None

    def active_in(self, month: str) -> bool:
        return (self.start is None or self.start <= month) and (
            self.end is None or month <= self.end
        )

    def active_in_year(self, year: str) -> bool:
        return (self.start is None or self.start <= f"{year}-12") and (
            self.end is None or f"{year}-01" <= self.end
        )
