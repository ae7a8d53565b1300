"""Who published what: a commit's author as the repository's `.mailmap` named them.

The public record of who published a number cannot be changed by a later commit. git's own
%aN reads today's .mailmap for every commit, so one later edit would rename every earlier
author on the site. flagboard instead names each data commit's author with the .mailmap of that
commit's own tree (the file as it stood when the data was published); where today's .mailmap
(HEAD's) names them otherwise, the site adds the new name beside the old one (现署名), never in
its place. Pure: .mailmap bytes in, names out (git's format, names only; emails and names are
matched without regard to case, as git does).
"""

from __future__ import annotations

import re

from generator.history.changes import clean_text, decode_text

# A .mailmap past this size is read only this far (a hostile commit cannot make it costly).
MAX_MAILMAP_BYTES = 256 * 1024
_PAIR = re.compile(r"\s*([^<>]*?)\s*<([^<>]*)>")


class Mailmap:
    """One .mailmap file: (email, name) → proper name, and email → proper name."""

    def __init__(self, data: bytes | None):
        self.by_name: dict[tuple[str, str], str] = {}
        self.by_email: dict[str, str] = {}
        text = decode_text((data or b"")[:MAX_MAILMAP_BYTES])
        for line in text.splitlines():
            self._read(line.split("#", 1)[0])

    def _read(self, line: str) -> None:
        pairs = _PAIR.findall(line)
        if not pairs or len(pairs) > 2:
            return
        proper = clean_text(pairs[0][0], lines=False).strip()
        if not proper:
            return  # an email-only mapping: names stay as they are
        name, email = pairs[-1] if len(pairs) == 2 else ("", pairs[0][1])
        if name.strip():
            self.by_name[(email.strip().lower(), name.strip().lower())] = proper
        else:
            self.by_email[email.strip().lower()] = proper

    def name(self, name: str, email: str) -> str:
        """The name this .mailmap gives the author (`name` when it gives none)."""
        key = email.strip().lower()
        return self.by_name.get((key, name.strip().lower())) or self.by_email.get(key) or name


def attributed(name: str, email: str, then: Mailmap, now: Mailmap) -> tuple[str, str | None]:
    """(the author as named when the commit was made, the name today's .mailmap gives them
    when it differs, else None)."""
    published = then.name(name, email)
    today = now.name(name, email)
    return published, (today if today != published else None)
