"""Secrets come only from the environment, and never leave in a message.

`redact` is applied to everything `flagboard publish` prints (cli.py), errors and tracebacks
included: each secret's value, and each long line of a key, becomes ***. Programs the publish
runs (ssh, rsync) get the environment without the secrets; the key reaches ssh as a file only
this user can read, deleted when the publish ends.
"""

from __future__ import annotations

from collections.abc import Mapping

SECRETS = ("FLAGBOARD_S3_ACCESS_KEY_ID", "FLAGBOARD_S3_SECRET_ACCESS_KEY", "FLAGBOARD_SSH_KEY")
HIDDEN = "***"
SHORTEST_PART = 8  # a key's lines shorter than this (its BEGIN/END lines excepted) are kept


def secret_values(env: Mapping[str, str]) -> list[str]:
    """Every secret value and every long line of one, longest first."""
    values = set()
    for name in SECRETS:
        value = (env.get(name) or "").strip()
        if value:
            values.add(value)
            values.update(
                line.strip()
                for line in value.splitlines()
                if len(line.strip()) >= SHORTEST_PART and not line.startswith("-----")
            )
    return sorted(values, key=len, reverse=True)


def redact(text: str, env: Mapping[str, str]) -> str:
    for value in secret_values(env):
        text = text.replace(value, HIDDEN)
    return text


def without_secrets(env: Mapping[str, str]) -> dict[str, str]:
    """The environment for ssh and rsync: nothing of the secrets."""
    return {name: value for name, value in env.items() if name not in SECRETS}
