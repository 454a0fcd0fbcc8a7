#!/usr/bin/env bash
# gatecheck.sh: does the nightly gate tell noise from a change on this
# machine? Runs the default scenario N times as a base (A), N times again
# (B: identical) and N times with the function's init_work raised from
# 50ms to 80ms (C: about +20% on the cold p50 less host wait), interleaved
# A1 B1 C1 A2 B2 C2 ..., then compares each Aᵢ with Bᵢ and with Cᵢ and
# prints, for lambda/cold p50 and lambda/warm p99, raw and less host wait
# (net), the change and its 95% interval, flagged when significant.
#
#   scripts/gatecheck.sh [-n 5] [-runtime container] [-out DIR]
#
# About 2 minutes a run: 15 runs for -n 5. Run it on a quiet machine;
# bin/coldbench must be built (make build).
set -euo pipefail

n=5 runtime=container out=
while [ $# -gt 0 ]; do
	case "$1" in
	-n) n="$2"; shift 2 ;;
	-runtime) runtime="$2"; shift 2 ;;
	-out) out="$2"; shift 2 ;;
	*) echo "usage: $0 [-n N] [-runtime container|process] [-out DIR]" >&2; exit 2 ;;
	esac
done
cd "$(dirname "$0")/.."
[ -x bin/coldbench ] || { echo "gatecheck: bin/coldbench missing: run make build first" >&2; exit 2; }
out=${out:-$(mktemp -d /tmp/coldbench-gatecheck.XXXXXX)}
mkdir -p "$out"
slow="$out/init80.yaml"
sed 's/^\(    init_work: \)50ms\(.*# SDK.*\)$/\180ms\2/' scenarios/default.yaml >"$slow"
grep -q 'init_work: 80ms' "$slow" || { echo "gatecheck: could not raise the function's init_work in $slow" >&2; exit 2; }

# run LABEL SCENARIO: one run into $out/LABEL.
run() {
	local label=$1 scenario=$2
	echo "gatecheck: $label ($(date -u +%H:%M:%S))" >&2
	./bin/coldbench run -bin bin -runtime "$runtime" -reports "$out" -id "$label" "$scenario" >"$out/$label.log" 2>&1 || true
}

# flags BASE NEW: the lines of the four series and stats that matter.
# compare exits 3 when its gate fails: that is a result here, not an error.
flags() {
	{ ./bin/coldbench compare "$1" "$2" 2>/dev/null || true; } | awk '
		/^[a-z]/ { series = $1 }
		(series == "lambda/cold" || series == "lambda/cold/net") && $0 ~ / p50 / { print series, $0 }
		(series == "lambda/warm" || series == "lambda/warm/net") && $0 ~ / p99 / { print series, $0 }' |
		sed -E 's/ +/ /g'
}

for i in $(seq 1 "$n"); do
	run "A$i" scenarios/default.yaml
	run "B$i" scenarios/default.yaml
	run "C$i" "$slow"
done
for i in $(seq 1 "$n"); do
	echo "== pair $i: identical (A$i → B$i)"
	flags "$out/A$i" "$out/B$i"
	echo "== pair $i: init_work 50ms → 80ms (A$i → C$i)"
	flags "$out/A$i" "$out/C$i"
done
echo "runs and logs: $out" >&2
