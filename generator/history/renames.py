"""Each file of the scores folder followed through its commits: renames, deletions, re-adding.

Pure: the log's entries (rawlog.Entry, in commit order) in, a `FileHistory` per file out.
"""

from __future__ import annotations

from generator.history.changes import file_kind
from generator.history.rawlog import Entry
from generator.history.records import FileHistory, Revision


def follow(entries: list[Entry]) -> list[FileHistory]:
    """Each file's revisions through renames; a file deleted and re-added keeps its history."""
    live: dict[str, list[Revision]] = {}
    gone: dict[str, list[Revision]] = {}
    ended: list[tuple[str, list[Revision]]] = []
    for entry in entries:
        for change in entry.changes:
            source = change.old_path or change.path
            track = live.pop(source, None) or gone.pop(change.path, None) or []
            track.append(
                Revision(entry.commit, change.status, change.path, change.old_path, change.new_blob)
            )
            if change.new_blob is None:
                if change.path in gone:
                    ended.append((change.path, gone.pop(change.path)))
                gone[change.path] = track
            else:
                if change.path in live:
                    ended.append((change.path, live.pop(change.path)))
                live[change.path] = track
    tracks = [*live.items(), *gone.items(), *ended]
    return [FileHistory(path, *file_kind(path), tuple(revisions)) for path, revisions in tracks]
