#!/usr/bin/env bash
# Installs the Debian packages named that the job's machine lacks (as root, or with sudo):
# a Forgejo or Gitea runner's image and GitLab's python image are Debian, each with a different
# set of packages preinstalled.
#   bash ci/debian.sh python3-venv make
set -euo pipefail
missing=()
for package in "$@"; do
  if ! dpkg-query -W -f '${Status}' "${package}" 2>/dev/null | grep -q "install ok installed"; then
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
