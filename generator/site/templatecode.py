"""Compiled templates shared by every Jinja environment that loads them.

Pelican gives each of its generators a Jinja environment of its own, and each compiled the
theme's base.html and _macros.html again; the forked processes that write the pages compiled
their kinds' templates once each. Jinja's bytecode cache keys a template by its name, file
and source; the compiled code also depends on how the environment reads and compiles a
template (its delimiters, trim_blocks, autoescape …), so there is one cache per such setup.
No I/O: the code stays in memory for the life of the process.
"""

from __future__ import annotations

import jinja2


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled code of each template, by Jinja's key, in memory."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:  # the bucket drops it when the source has changed since
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_CACHES: dict[tuple, CompiledTemplates] = {}


def shared_cache(env: jinja2.Environment) -> CompiledTemplates:
    """The cache of every environment set up as `env` is."""
    return _CACHES.setdefault(_setup(env), CompiledTemplates())


def _setup(env: jinja2.Environment) -> tuple:
    """What a template's compiled code depends on besides its source."""
    return (
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        repr(env.autoescape),
        env.optimized,
        env.is_async,
        repr(env.finalize),
        tuple(sorted(env.extensions)),
    )
