#!/usr/bin/env bash
# Installs the Debian packages named that the job's machine lacks (as root, or with sudo):
# a Forgejo or Gitea runner's image and GitLab's python image are Debian, each with a different
# set of packages preinstalled. A package whose command is already on PATH counts as there:
# an image's Node.js from NodeSource or nodejs.org brings npm without Debian's package, and
# Debian's npm conflicts with NodeSource's nodejs.
#   bash ci/debian.sh python3-venv make
set -euo pipefail
missing=()
for package in "$@"; do
  if command -v "${package}" >/dev/null 2>&1; then
    continue
  fi
  status="$(dpkg-query -W -f '${Status}' "${package}" 2>/dev/null || true)"
  if [[ "${status}" != *"install ok installed"* ]]; then
    missing+=("${package}")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
sudo=()
if [[ "$(id -u)" -ne 0 ]]; then
  sudo=(sudo)
fi
"${sudo[@]}" apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
