#!/usr/bin/env bash
# What `make install` needs on a CI machine that has no setup-python: Python 3.11 or later
# with venv, git and make, from Debian's packages when the image lacks them (Forgejo's and
# Gitea's runner image node:20-bookworm lacks venv; GitLab's python:3.11-bookworm has all).
set -euo pipefail
need=()
command -v git >/dev/null || need+=(git)
command -v make >/dev/null || need+=(make)
if ! python3 -c "import ensurepip, venv" 2>/dev/null; then
  need+=(python3 python3-venv)
fi
if [[ ${#need[@]} -gt 0 ]]; then
  bash "$(dirname "$0")/debian.sh" "${need[@]}"
fi
if ! python3 -c "import sys; sys.exit(sys.version_info < (3, 11))"; then
  echo "flagboard 需要 Python 3.11 或更新的版本，这台机器上是 $(python3 --version 2>&1)：请换用 Debian 12（bookworm）或更新的镜像。" >&2
  exit 1
fi
