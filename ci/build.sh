#!/usr/bin/env bash
# The site into output/: for review (PUBLISH unset or not "true": links start at the site's
# root), or for publishing at FLAGBOARD_SITEURL with publishconf.py (the build refuses without
# a full address).
#   PUBLISH=true FLAGBOARD_SITEURL=https://… bash ci/build.sh
set -euo pipefail
if [[ "${PUBLISH:-false}" != "true" ]]; then
  exec make site
fi
flags=""
# The published site's data record: `flagboard build --published URL` refuses to build when the
# history no longer holds the data commit that site was built from (a rewritten history), so
# that no published score is silently replaced. Passed as soon as this flagboard has the option
# (asked of its help, so the check switches itself on with the version that brings it).
if [[ -n "${FLAGBOARD_SITEURL:-}" && "$(.venv/bin/flagboard build -h)" == *--published* ]]; then
  if [[ "${FLAGBOARD_SITEURL}" == *[\'\$\\\`[:space:]]* ]]; then # it goes through make and sh
    echo "网站地址「${FLAGBOARD_SITEURL}」里有引号、空格或 \$ 等网址里不该有的字符，请检查变量 FLAGBOARD_SITEURL。" >&2
    exit 1
  fi
  flags="--published '${FLAGBOARD_SITEURL}'"
fi
exec make site SETTINGS=publishconf.py BUILD_FLAGS="${flags}"
