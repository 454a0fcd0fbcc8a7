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
# Every run's whole output is kept in DIR/run-K.log. At the end it prints
# one line per run (pass or fail, and how long) and one line per failed
# test: "run K: FAIL package Test" (or the fuzz target, or the package
# alone for a failure outside any test, such as a build or a timeout). It
# exits 1 if any run failed.
set -uo pipefail

n=10 load=0 clone=0 out=""
while [ $# -gt 0 ]; do
  case "$1" in
  -n) n="$2"; shift 2 ;;
  -load) load=1; shift ;;
  -clone) clone=1; shift ;;
  -out) out="$2"; shift 2 ;;
  --) shift; break ;;
  -h | -help | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "flakes.sh: unknown argument $1 (see -h)" >&2; exit 2 ;;
  esac
done
case "$n" in '' | *[!0-9]*) echo "flakes.sh: -n wants a number, got $n" >&2; exit 2 ;; esac

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
    setsid bash -c "cd '$dir' && while :; do go test -count=1 ./targets/lambda/container/ ./targets/lambda/process/ >/dev/null 2>&1; done" &
  fi
  loadpid=$!
}
trap 'stop_load; exit 130' INT TERM

# failures prints "package test" for each failed test of a go test log:
# go test prints a package's "--- FAIL: Test" lines before its
# "FAIL<tab>package" line. A package that failed with no test named (a
# build error, a panic, a timeout) is printed alone; so is a fuzz step
# that failed ("fuzz Target in ./pkg" then a FAIL).
failures() {
  awk '
    /^fuzz [A-Za-z0-9_]+ in / { fuzz = $2; fpkg = $4 }
    /^[[:space:]]*--- FAIL: / { t = $3; tests[++nt] = t }
    /^FAIL[[:space:]]+[^[:space:]]+[[:space:]]/ || /^FAIL[[:space:]]+[^[:space:]]+ \[/ {
      pkg = $2
      if (nt == 0 && fuzz != "") print fpkg, fuzz
      else if (nt == 0) print pkg, "(no test named)"
      for (i = 1; i <= nt; i++) if (tests[i] !~ /\//) print pkg, tests[i]
      nt = 0
    }
    /^(ok|FAIL|\?)[[:space:]]/ { nt = 0 }
  ' "$1" | sort -u
}

summary=()
failed=0
for k in $(seq 1 "$n"); do
  [ "$load" = 1 ] && start_load
  log="$out/run-$k.log"
  t0=$(date +%s)
  (cd "$dir" && make test "$@") >"$log" 2>&1
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
  summary+=("$line")
done

echo
echo "flakes.sh: $((n - failed)) of $n runs passed; logs in $out"
[ $failed -eq 0 ]
