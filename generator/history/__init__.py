"""History: the scores folder's git revisions, read as evidence of who published what and when.

gitlog.py is the door (the only module that imports git) and lists the modules that read the
history; changes.py (the cells each revision changed) and outcomes.py (what a correction
changed in the results) work without git."""
