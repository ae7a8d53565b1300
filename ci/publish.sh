#!/usr/bin/env bash
# Publishes output/ to the target in FLAGBOARD_PUBLISH_TO with `flagboard publish`, which reads
# the target's secrets from the environment only (docs/publish.md). On a server or object
# storage whose public address is known, the published pages are fetched back and checked; a
# folder or zip is handed over and goes live later, so it is not checked.
set -euo pipefail
# A variable the forge has not set arrives empty: unset, so that flagboard takes its default.
for name in "${!FLAGBOARD_@}"; do
  if [[ -z "${!name}" ]]; then
    unset "${name}"
  fi
done
# GitLab's variables of the File type hold the path of a file with the value in it: the key
# and known_hosts are wanted as text.
for name in FLAGBOARD_SSH_KEY FLAGBOARD_SSH_KNOWN_HOSTS; do
  value="${!name:-}"
  if [[ -n "${value}" && "${value}" != *$'\n'* && -f "${value}" ]]; then
    export "${name}=$(cat -- "${value}")"$'\n'
  fi
done
check=()
case "${FLAGBOARD_PUBLISH_TO:-}" in
  ssh://* | s3://*) if [[ -n "${FLAGBOARD_SITEURL:-}" ]]; then check=(--check-url "${FLAGBOARD_SITEURL}"); fi ;;
esac
exec .venv/bin/flagboard publish --site output "${check[@]}"
