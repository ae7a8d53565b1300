"""`flagboard publish`: a built site (output/) to a folder, a zip, a server over SSH or object
storage. Reads only the built folder and the target's manifest: never pelican, pandas or git.

manifest (path → sha256, size, type, encoding, cache) → plan (what to send, in which order,
what to delete) → a target (folder, archive, ssh, s3) that sends it with the manifest last →
check (fetch the home page and a changed page back). Imports: catalogue, problems, layout.
"""
