"""The town's own words: its level (镇, 乡 or 街道), what its members are (村, 社区), and every
phrase made of them (全乡, 本街道, 镇主要领导 …). No other module writes 镇 into a text.

The level is town.toml's `kind`, else the last characters of the town's name when they are a
level (白石乡 → 乡, 城南街道 → 街道), else 镇 (docs/data-format.md §2). A village's own kind is 社区
when its name ends in 社区, else 村; a town whose villages are all 村 calls them 村 (行政村), all
社区 社区, and a town of both 村（社区）.

Prose that the town writes (content/) names the town's level by a 镇-phrase in braces, `{全镇}`,
`{镇党政办}`, `{本镇}`: `fill()` writes the town's own phrase there (全乡, 街道党政办, 本街道), and
`{村}` becomes the members' word; `{{全镇}}` stays `{全镇}`. Imports labels only.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from generator import labels

LEVELS = ("镇", "乡", "街道")
DEFAULT_LEVEL = "镇"
VILLAGE, COMMUNITY = "村", "社区"
MIXED = "村（社区）"
# Where a 街道 is not a 镇 with another name: its bodies are called otherwise.
_STREET_BODIES = (("党委", "党工委"), ("人民政府", "办事处"), ("政府", "办事处"))
# A 镇-phrase in braces in the town's prose: {全镇}, {镇党政办}, {本镇}; {村} the members' word.
# Doubled braces, {{全镇}}, write the token itself (a page that explains them).
TOKEN_RE = re.compile(r"\{(\{?)([^{}\s]{0,6}镇[^{}\s]{0,6}|村)\}(\}?)")


def level_of(name: str, kind: str | None = None) -> str:
    """town.toml's kind, else the level the name ends in, else 镇."""
    if kind:
        return kind
    return next((level for level in LEVELS if name.endswith(level)), DEFAULT_LEVEL)


def village_kind(name: str) -> str:
    """社区 for a village named …社区, else 村."""
    return COMMUNITY if name.endswith(COMMUNITY) else VILLAGE


def members_word(names: Iterable[str]) -> str:
    """村, 社区, or 村（社区） when a town has both (村 when it has none yet)."""
    kinds = {village_kind(name) for name in names}
    return MIXED if len(kinds) > 1 else next(iter(kinds), VILLAGE)


@dataclass(frozen=True)
class TownWords:
    """What a town calls itself and its members, and the phrases the tool writes with them."""

    name: str = ""  # 花木镇
    level: str = DEFAULT_LEVEL  # 镇 | 乡 | 街道
    member: str = VILLAGE  # 村 | 社区 | 村（社区）

    @classmethod
    def of(cls, name: str, kind: str | None = None, villages: Iterable[str] = ()) -> TownWords:
        """From the town's name, town.toml's kind (or None) and its villages' names."""
        return cls(name, level_of(name, kind), members_word(villages))

    @classmethod
    def from_document(cls, doc: dict) -> TownWords:
        """From results.json (its `town` and `villages`)."""
        town = doc.get("town", {})
        names = [v["name"] for v in doc.get("villages", [])]
        return cls.of(town.get("name", ""), town.get("kind"), names)

    def phrase(self, words: str) -> str:
        """A 镇-phrase in this town's words: 全镇 → 全乡; 镇党委 → 街道党工委."""
        text = words.replace("镇", self.level)
        if self.level == "街道":
            for body, street in _STREET_BODIES:
                text = text.replace(f"街道{body}", f"街道{street}")
        return text

    @property
    def whole(self) -> str:  # 全镇
        return f"全{self.level}"

    @property
    def own(self) -> str:  # 本镇
        return f"本{self.level}"

    @property
    def here(self) -> str:  # 镇里
        return f"{self.level}里"

    @property
    def office(self) -> str:  # 镇党政办
        return f"{self.level}党政办"

    @property
    def members(self) -> str:
        """How a count names the members: 行政村, 社区, 村（社区）."""
        return "行政村" if self.member == VILLAGE else self.member

    @property
    def issuer(self) -> str:
        """Who publishes: 某某镇人民政府, 某某街道办事处."""
        return self.name + ("办事处" if self.level == "街道" else "人民政府")

    @functools.cached_property
    def action_meanings(self) -> dict[str, str]:
        """labels.ACTION_MEANINGS in this town's words."""
        return {action: self.fill(text) for action, text in labels.ACTION_MEANINGS.items()}

    def fill(self, text: str) -> str:
        """The town's prose with its tokens ({全镇}, {镇党政办}, {村}) in this town's words."""
        if "{" not in text:
            return text
        return TOKEN_RE.sub(self._token, text)

    def _token(self, match: re.Match) -> str:
        opened, words, closed = match.groups()
        if opened and closed:
            return "{" + words + "}"
        found = self.member if words == "村" else self.phrase(words)
        return opened + found + closed

    def context(self) -> dict[str, str]:
        """The words as templates use them: `words.whole` …"""
        return {
            "name": self.name,
            "level": self.level,
            "member": self.member,
            "members": self.members,
            "whole": self.whole,
            "own": self.own,
            "here": self.here,
            "office": self.office,
            "leaders": self.phrase("镇主要领导"),
            "team": self.phrase("镇班子成员"),
            "issuer": self.issuer,
        }
