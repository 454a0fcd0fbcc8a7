#!/usr/bin/env bash
# flakes.sh: run the test suite (make test) N times and report every
# failure with its package and test, to hunt flaky tests. Not run by CI.
#
#   scripts/flakes.sh [-n N] [-load] [-clone] [-out DIR] [-- make args...]
#
#   -n N      runs (default 10), one after another
#   -load     run other load beside each run: stress-ng on every core if it
#             is installed (Debian's stress-ng), else the container and
#             process packages' tests in a loop
#   -clone    test a clean clone of HEAD (in DIR/clone) instead of the work
#             tree, as CI does
#   -out DIR  where each run's log goes (default: a new temporary folder)
#
# Runs have CI=true, as in CI: a test that needs Docker, Chromium or Node
# and finds none fails instead of skipping. Every run's whole output is
# kept in DIR/run-K.log. It prints one line
# per run (pass or fail, and how long) and one line per failed test:
# "run K: FAIL package Test" (a fuzz target for the fuzz step, the tests
# that were running for a -timeout panic, "(vet)" for go vet, or the
# package alone for a failure outside any test, such as a build error).
# It exits 1 if any run failed.
set -uo pipefail
usage() { sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

n=10 load=0 clone=0 out=""
while [ $# -gt 0 ]; do
  case "$1" in
  -n | -out)
    [ $# -ge 2 ] || { echo "flakes.sh: $1 wants a value (see -h)" >&2; exit 2; }
    if [ "$1" = -n ]; then n="$2"; else out="$2"; fi
    shift 2 ;;
  -load) load=1; shift ;;
  -clone) clone=1; shift ;;
  --) shift; break ;;
  -h | -help | --help) usage; exit 0 ;;
  *) echo "flakes.sh: unknown argument $1 (see -h)" >&2; exit 2 ;;
  esac
done
case "$n" in '' | *[!0-9]* | 0) echo "flakes.sh: -n wants a number of runs, got $n" >&2; exit 2 ;; esac

root="$(cd "$(dirname "$0")/.." && pwd)"
out="${out:-$(mktemp -d /tmp/coldbench-flakes.XXXXXX)}"
mkdir -p "$out"
dir="$root"
if [ "$clone" = 1 ]; then
  rm -rf "$out/clone"
  git clone -q "$root" "$out/clone" || exit 2
  dir="$out/clone"
fi

loadpid=""
stop_load() {
  if [ -n "$loadpid" ]; then
    kill -- -"$loadpid" 2>/dev/null
    wait "$loadpid" 2>/dev/null
    loadpid=""
  fi
}
start_load() {
  if command -v stress-ng >/dev/null; then
    setsid stress-ng --cpu 0 --cpu-load 50 --quiet >/dev/null 2>&1 &
  else
    # -short: no test that starts a hundred containers, which a kill
    # would leave for the next run's sweep.
    setsid bash -c "cd '$dir' && while :; do go test -short -count=1 ./targets/lambda/container/ ./targets/lambda/process/ >/dev/null 2>&1; done" &
  fi
  loadpid=$!
}
trap stop_load EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# failures prints "package test" for each failed test of a make test log:
# go test prints a package's "--- FAIL: Test" lines before its
# "FAIL<tab>package" line; a -timeout panic lists the tests still running
# under "running tests:"; the fuzz step says "fuzz Target in ./pkg" before
# a failure; go vet's complaints start with "# package".
failures() {
  awk '
    /^# [a-z]/ && !ran { vet = $2 }
    /^(ok|FAIL|---|=== |\?)/ { ran = 1 }
    /^fuzz [A-Za-z0-9_]+ in / { fuzz = $2; fpkg = $4 }
    /^panic: test timed out/ { timeout = 1 }
    timeout && /^running tests:/ { inrun = 1; next }
    inrun && /^[[:space:]]+Test/ { tests[++nt] = $1 " (timed out)"; next }
    inrun { inrun = 0 }
    /^[[:space:]]*--- FAIL: / { tests[++nt] = $3 }
    /^FAIL[[:space:]]+[^[:space:]]+[[:space:]]/ {
      pkg = $2
      if (nt == 0 && fuzz != "") print fpkg, fuzz
      else if (nt == 0) print pkg, "(no test named)"
      for (i = 1; i <= nt; i++) if (tests[i] !~ /\//) print pkg, tests[i]
      nt = 0; timeout = 0
    }
    /^ok[[:space:]]/ { nt = 0 }
    END { if (vet != "" && !ran) print vet, "(vet)" }
  ' "$1" | sort -u
}

failed=0
for k in $(seq 1 "$n"); do
  [ "$load" = 1 ] && start_load
  log="$out/run-$k.log"
  t0=$(date +%s)
  (cd "$dir" && CI=true make test "$@") >"$log" 2>&1
  rc=$?
  t1=$(date +%s)
  stop_load
  if [ $rc -eq 0 ]; then
    line="run $k: pass in $((t1 - t0)) s$([ "$load" = 1 ] && echo ', with load')"
  else
    failed=$((failed + 1))
    line="run $k: FAIL (exit $rc) in $((t1 - t0)) s$([ "$load" = 1 ] && echo ', with load')"
    while read -r pkg test; do
      line+=$'\n'"run $k: FAIL $pkg $test"
    done < <(failures "$log")
  fi
  echo "$line"
done

echo
echo "flakes.sh: $((n - failed)) of $n runs passed; logs in $out"
[ $failed -eq 0 ]
