"""A commit's message and author as the public reads them: in Chinese, full-width punctuation
next to Chinese text, English written for developers left out, and bounded (a subject nested
thousands of reverts deep, a message of megabytes: linear time, a few hundred characters on a
page, and the page points to the whole commit). No I/O.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.history.records import Commit

_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_REVERT_OPEN = 'Revert "'
# Half-width punctuation → full-width, next to Chinese text (parentheses in pairs).
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
UPDATE = "数据更新"  # what an English-only commit subject is shown as
REVERTED = "撤销："  # what git's `Revert "…"` subject is shown as, before the reverted subject
_ITEM = re.compile(r"[-*•]\s|\d+(\.\s|[、)])")
# What a page shows of a commit: longer messages and names are cut, with the commit's link.
SUBJECT_CHARS = 100
BODY_CHARS = 300
AUTHOR_CHARS = 40


def signed(commit: Commit) -> str:
    """Who published: the author as named when the commit was made, and today's name beside it
    when a later .mailmap renamed them (history/mailmap.py)."""
    author = bounded(commit.author, AUTHOR_CHARS)
    if commit.renamed:
        return f"{author}（现署名：{bounded(commit.renamed, AUTHOR_CHARS)}）"
    return author


def message_body(text: str) -> tuple[list[str], bool]:
    """A commit body's paragraphs for the public, at most BODY_CHARS in all (English ones left
    out); True when some was cut, so the page points to the whole commit."""
    shown, room = [], BODY_CHARS
    found = paragraphs(text[: BODY_CHARS * 4])
    for paragraph in (p for p in found if not english(p)):
        if room <= 0:
            return shown, True
        shown.append(chinese_punctuation(bounded(paragraph, room)))
        room -= len(paragraph)
    return shown, room < 0 or len(text) > BODY_CHARS * 4


def bounded(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "……"


def public_subject(subject: str) -> str:
    """A commit subject as the public reads it, in Chinese: git's `Revert "…"` as 撤销：…
    (nested reverts counted, not repeated), an English or empty subject as 数据更新 (the
    commit's link next to it shows the original). Linear in the subject's length."""
    depth, inner = _reverts(subject.strip())
    if depth:
        prefix = REVERTED * depth if depth <= 3 else f"撤销（共{depth}层）："
        return prefix + public_subject(inner)
    subject = bounded(subject, SUBJECT_CHARS)
    if english(subject) or not subject.strip():
        return UPDATE
    return chinese_punctuation(subject)


def _reverts(subject: str) -> tuple[int, str]:
    """How many `Revert "…"` wrap a subject, and what they wrap (one pass over the text)."""
    start, end, depth = 0, len(subject), 0
    while subject.startswith(_REVERT_OPEN, start) and end - start > len(_REVERT_OPEN):
        if subject[end - 1] != '"':
            break
        start, end, depth = start + len(_REVERT_OPEN), end - 1, depth + 1
    return depth, subject[start:end]


def english(text: str) -> bool:
    """More Latin letters than Chinese characters: written for the developers, not the public."""
    return len(_LATIN.findall(text)) > len(_HAN.findall(text))


def chinese_punctuation(text: str) -> str:
    """Half-width , : ; ? ! and ( ) next to a Chinese character made full-width (a pair of
    parentheses when one of its four sides touches one), without the space written after a
    half-width mark; URLs, times and English text are left alone."""
    chars = list(text)
    pairs, opened = {}, []
    for i, ch in enumerate(chars):
        if ch == "(":
            opened.append(i)
        elif ch == ")" and opened:
            pairs[opened.pop()] = i
    for start, end in pairs.items():
        if any(_han_at(text, i) for i in (start - 1, start + 1, end - 1, end + 1)):
            chars[start], chars[end] = "（", "）"
    for i, ch in enumerate(text):
        if ch in ",:;?!" and (_han_at(text, i - 1) or _han_at(text, i + 1)):
            chars[i] = FULL_WIDTH[ch]
            if text[i + 1 : i + 2] == " ":  # a full-width mark carries its own space
                chars[i + 1] = ""
    return "".join(chars)


def _han_at(text: str, i: int) -> bool:
    return 0 <= i < len(text) and bool(_HAN.match(text[i]))


def paragraphs(text: str) -> list[str]:
    """A commit body's paragraphs, its hard-wrapped lines joined (no space between Chinese)."""
    found: list[str] = []
    joined = ""
    for line in (*text.strip().splitlines(), ""):
        line = line.strip()
        if joined and (not line or _ITEM.match(line)):  # a blank line or a list item
            found.append(joined)
            joined = ""
        if line and joined:
            wide = _CJK.match(joined[-1]) or _CJK.match(line[0])
            joined += ("" if wide else " ") + line
        elif line:
            joined = line
    return found
