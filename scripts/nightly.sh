#!/usr/bin/env bash
# The nightly benchmark, end to end, as the nightly workflow runs it and as
# anyone can run it here:
#
#   scripts/nightly.sh [previous-run-folder]
#
#   1. build coldbench (make build);
#   2. coldbench run scenarios/nightly.yaml into the nightly reports folder,
#      as run <UTC date and time>-nightly;
#   3. coldbench compare, as Markdown and as compare.html, with the
#      previous run: the folder given (argument or NIGHTLY_PREVIOUS), else
#      the newest run already in the reports folder; the first night has
#      none and skips the comparison;
#   4. coldbench trend over the reports folder (trend.html), and index.html,
#      the list of nights;
#   5. the Markdown summary into <run>/nightly.md, and appended to
#      $GITHUB_STEP_SUMMARY when that is set.
#
# It exits 0 when everything passed. Otherwise, once everything above is
# written, it exits with the first failing code of run, compare and trend:
# 3 when the run broke a latency objective of the scenario or the comparison
# found a regression, another code when a command failed.
#
# Knobs (environment): NIGHTLY_REPORTS (default reports/nightly),
# NIGHTLY_ID (default <UTC date>-<time>-nightly), NIGHTLY_PREVIOUS,
# SCENARIO (default scenarios/nightly.yaml), RUNTIME (auto, container or
# process: coldbench run -runtime), PROBES (coldbench run -probe), GO.
set -euo pipefail
cd "$(dirname "$0")/.."

reports=${NIGHTLY_REPORTS:-reports/nightly}
id=${NIGHTLY_ID:-$(date -u +%Y%m%d-%H%M%S)-nightly}
scenario=${SCENARIO:-scenarios/nightly.yaml}
previous=${1:-${NIGHTLY_PREVIOUS:-}}
run="$reports/$id"
coldbench=./bin/coldbench

say() { echo "nightly: $*" >&2; }

# run_id prints the id of the run folder $1, from its summary.json (an
# artifact downloaded into any folder keeps its id there).
run_id() {
  sed -n 's/^ *"run_id": *"\([^"]*\)".*/\1/p' "$1/summary.json" | head -n 1
}

# newest_run prints the newest run folder (by name: ids start with the
# date) in the reports folder that has a summary.json, or nothing.
newest_run() {
  find "$1" -mindepth 1 -maxdepth 1 -type d -exec test -f '{}/summary.json' ';' -print 2>/dev/null | sort | tail -n 1
}

if [ -e "$run" ]; then
  say "$run exists already; choose another NIGHTLY_ID"
  exit 2
fi
mkdir -p "$reports"

# The run to compare with, chosen before tonight's run exists.
if [ -n "$previous" ] && [ ! -f "$previous/summary.json" ]; then
  say "previous run $previous has no summary.json (no artifact of an earlier night?); looking in $reports instead"
  previous=""
fi
if [ -z "$previous" ]; then
  previous=$(newest_run "$reports")
fi

say "building coldbench"
make --no-print-directory build

say "running $scenario as $run"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
run_code=0
"$coldbench" run -bin bin -reports "$reports" -id "$id" ${RUNTIME:+-runtime "$RUNTIME"} ${PROBES:+-probe "$PROBES"} "$scenario" 2>&1 |
  tee "$out" || run_code=${PIPESTATUS[0]}

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  { echo "id=$id"; echo "run=$run"; } >>"$GITHUB_OUTPUT"
fi

summary="$run/nightly.md"
if [ ! -f "$run/summary.json" ] || { [ "$run_code" != 0 ] && [ "$run_code" != 3 ]; }; then
  say "coldbench run failed (exit $run_code); nothing to compare"
  [ -d "$run" ] || summary="$reports/$id.failed.md"
  {
    echo "## coldbench nightly $id: the run failed"
    echo
    echo "\`coldbench run $scenario\` exited with code $run_code; no comparison, no trend."
  } >"$summary"
  [ -z "${GITHUB_STEP_SUMMARY:-}" ] || cat "$summary" >>"$GITHUB_STEP_SUMMARY"
  exit $((run_code == 0 ? 1 : run_code))
fi

compare_code=0
if [ -n "$previous" ]; then
  say "comparing $previous ($(run_id "$previous"), the baseline) with $run"
  "$coldbench" compare -format markdown "$previous" "$run" >"$run/compare.md" || compare_code=$?
  cat "$run/compare.md"
else
  say "first night: no previous run in $reports, so no comparison"
fi

say "trend over $reports"
trend_code=0
"$coldbench" trend "$reports" || trend_code=$?

write_index() {
  local dir=$1 night
  {
    echo '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>coldbench nightly</title>'
    echo '<style>body{font:15px/1.5 Arial,Helvetica,sans-serif;margin:24px 32px;color:#222}li{margin:2px 0}</style></head><body>'
    echo '<h1>coldbench nightly</h1>'
    [ -f "$dir/trend.html" ] && echo '<p><a href="trend.html">Trend over the nights</a></p>'
    echo '<ul>'
    find "$dir" -mindepth 1 -maxdepth 1 -type d -exec test -f '{}/index.html' ';' -print | sort -r |
      while read -r night; do
        night=${night##*/}
        printf '<li><a href="%s/index.html">%s</a>' "$night" "$night"
        [ -f "$dir/$night/compare.html" ] && printf ' · <a href="%s/compare.html">compared with its baseline</a>' "$night"
        echo '</li>'
      done
    echo '</ul></body></html>'
  } >"$dir/index.html"
}
write_index "$reports"

{
  echo "## coldbench nightly $id"
  echo
  case $run_code in
    0) echo "Scenario \`$scenario\`: no latency objective broken." ;;
    3) echo "Scenario \`$scenario\`: **a latency objective is broken** (coldbench run exited 3)." ;;
  esac
  echo
  echo '```'
  # The results coldbench run printed, without its progress lines.
  grep -E '^[a-z]+ +(all|warm|cold|provisioned) +[0-9]+ requests|^objectives:|^  (ok|BROKEN|no data)|^cost |^coldbench: objectives' "$out" || true
  echo '```'
  echo
  if [ -z "$previous" ]; then
    echo "First night: there is no earlier run to compare with, so the comparison was skipped."
  else
    echo "### Compared with $(run_id "$previous") (baseline)"
    echo
    case $compare_code in
      0) ;;
      3) echo "**Regression** (coldbench compare exited 3)." && echo ;;
      *) echo "**coldbench compare failed** (exit $compare_code)." && echo ;;
    esac
    cat "$run/compare.md"
  fi
  echo
  [ "$trend_code" = 0 ] || echo "**coldbench trend failed** (exit $trend_code)."
  echo "Files: \`$run/index.html\`$([ -n "$previous" ] && echo ", \`$run/compare.html\`"), \`$reports/trend.html\`, \`$reports/index.html\`."
} >"$summary"
[ -z "${GITHUB_STEP_SUMMARY:-}" ] || cat "$summary" >>"$GITHUB_STEP_SUMMARY"
say "summary: $summary"

for code in "$run_code" "$compare_code" "$trend_code"; do
  if [ "$code" != 0 ]; then
    say "failing with exit code $code (3: a broken objective or a regression)"
    exit "$code"
  fi
done
say "passed"
