#!/usr/bin/env bash
# What a change does, in Markdown on stdout (the run's summary on GitHub, the step's log
# elsewhere): every month it touches with its flags, money and actions, then what changes,
# old → new, against the base (`flagboard preview --against REF MONTH…`: from the earliest
# month on, later months' knock-on chains included). Nothing to compare with: the latest month.
#   bash ci/preview.sh [BASE]
set -euo pipefail
against="$(bash "$(dirname "$0")/base.sh" "${1:-}")"
months=()
if [[ -n "${against}" ]]; then
  while read -r month; do months+=("${month}"); done < <(git diff --name-only "${against}" HEAD -- scores \
    | sed -nE 's#^scores/[0-9]{4}/([0-9]{4}-[0-9]{2})(\.events)?\.csv$#\1#p' | sort -u)
fi
if [[ ${#months[@]} -eq 0 ]]; then
  .venv/bin/flagboard preview --format markdown
  if [[ -n "${against}" ]] && ! git diff --quiet "${against}" HEAD -- scores; then
    # town.toml, villages.csv or an annual file: what changes, from where it starts
    .venv/bin/flagboard preview --format markdown --against "${against}"
  fi
  exit 0
fi
present=()
for month in "${months[@]}"; do
  if [[ -f "scores/${month%%-*}/${month}.csv" ]]; then
    present+=("${month}")
  else # removed (a wrong upload undone): nothing of that month will be published
    echo "- ${month}：本次删除了这个月的评分文件，网站将不再公布这个月的结果。"
  fi
done
if [[ ${#present[@]} -gt 0 ]]; then # each changed month's flags, money and actions
  .venv/bin/flagboard preview --format markdown "${present[@]}"
fi
# What changes, old → new, from the earliest changed month on (later months' knock-on chains
# included): once for all the months, so that no chain is listed twice.
.venv/bin/flagboard preview --format markdown --against "${against}" "${months[@]}"
