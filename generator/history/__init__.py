"""History: the scores folder's git revisions (gitlog, the only module that imports git), the
cells each revision changed (changes) and what a correction changed in the results (outcomes)."""
