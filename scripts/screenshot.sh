#!/bin/bash
# screenshot.sh [run-folder]: the README's picture, docs/report.png, from
# the report of a run folder (default reports/latest, what make bench
# wrote): its head and verdict, in headless Chromium, 1200 px wide.
set -euo pipefail
run=${1:-reports/latest}
page=$run/index.html
[ -f "$page" ] || { echo "screenshot.sh: $page: no report; run make bench first" >&2; exit 2; }
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "screenshot.sh: no chromium; install Debian's chromium" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The head and the verdict only: the rest of the report below them.
sed 's|</head>|<style>section:not(#verdict){display:none} body{margin-bottom:0}</style></head>|' "$page" > "$tmp/page.html"
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --window-size=1200,1130 --screenshot="$tmp/report.png" "file://$tmp/page.html" >/dev/null 2>&1
mv "$tmp/report.png" docs/report.png
echo "docs/report.png from $page"
