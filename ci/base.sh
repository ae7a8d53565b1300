#!/usr/bin/env bash
# The commit a check compares HEAD with, given its base: a pull request's base branch, a merge
# request's base commit, or the commit before a push. When HEAD does not contain the base (a
# request's own head while its base branch moved on: Forgejo, Gitea and GitLab check out the
# head, not a merge), the commit both share, so that only what the request changes is compared.
# Prints nothing when there is nothing to compare with: no base (a scheduled or manual run), a
# new branch (all zeros) or a base this clone does not have.
set -euo pipefail
base="${1:-}"
if [[ -z "${base}" ]] || ! git rev-parse -q --verify "${base}^{commit}" >/dev/null; then
  exit 0
fi
if git merge-base --is-ancestor "${base}" HEAD; then
  echo "${base}"
else
  git merge-base "${base}" HEAD || true # unrelated histories: nothing to compare with
fi
