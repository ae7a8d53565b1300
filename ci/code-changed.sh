#!/usr/bin/env bash
# Whether a pull or merge request changes more than the scores: `code=true` or `code=false` on
# stdout (a step output on GitHub, Forgejo and Gitea). A request that changes only files under
# scores/ needs no test suite (the data check checks the data; the suite builds its own towns);
# without a base (not a request) the answer is always true.
#   bash ci/code-changed.sh [BASE]
set -euo pipefail
against="$(bash "$(dirname "$0")/base.sh" "${1:-}")"
if [[ -n "${against}" && -z "$(git diff --name-only "${against}" HEAD -- . ':!scores')" ]]; then
  echo "本次只改动了 scores/ 里的评分数据：由「校验与预览」检查，跳过测试。" >&2
  echo "code=false"
else
  echo "code=true"
fi
