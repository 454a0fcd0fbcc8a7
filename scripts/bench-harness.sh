#!/usr/bin/env bash
# bench-harness.sh: the harness's own overhead, measured. It compares the
# throughput of coldbench at the maximum rate with bare vegeta's
# (vegeta attack | vegeta report), both against a coldbench-server doing no
# work on 127.0.0.1, and prints requests/s, p50 and p99 of both and the ratio
# coldbench/vegeta.
#
#   scripts/bench-harness.sh          (or: make bench-harness)
#   ROUNDS=5 scripts/bench-harness.sh
#
# Both sides run the phases of scripts/harness-overhead.yaml: a warm-up, then
# the phase named max, rate: max with W requests in flight for D. coldbench
# runs the scenario itself (its own server, started as in every run);
# vegeta gets a fresh server of the same binary with the same (zero) work,
# a warm-up attack of the same length, then
#   vegeta attack -rate=0 -workers=W -max-workers=W -duration=D
# piped to vegeta report. The rounds alternate which side goes first. Every
# figure comes from `vegeta report` on the max phase's results (coldbench's
# read back from its results.bin), so both sides are summed up alike;
# requests/s is vegeta's throughput (successful requests per second).
#
# Environment: ROUNDS (default 3), BIN (default bin), GO (default go).
# Everything runs on 127.0.0.1; every command is bounded by a timeout.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
BIN=${BIN:-bin}
GO=${GO:-go}
SCENARIO=scripts/harness-overhead.yaml

# phase_field NAME FIELD prints FIELD of the phase named NAME in SCENARIO.
phase_field() {
	grep -E "name: $1[,}]" "$SCENARIO" | sed -E "s/.*[{ ]$2: *([^,}]+).*/\1/"
}
workers=$(phase_field max workers)
duration=$(phase_field max duration)
warmup=$(phase_field warm-up duration)

tmp=$(mktemp -d)
server_pid=
stop_server() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
		server_pid=
	fi
}
trap 'stop_server; rm -rf "$tmp"' EXIT

echo "building coldbench, coldbench-server and vegeta" >&2
mkdir -p "$BIN"
$GO build -o "$BIN/coldbench" ./bench/cmd/coldbench
CGO_ENABLED=0 $GO build -trimpath -o "$BIN/coldbench-server" ./targets/cmd/server # as targets/build does
vegeta=$($GO tool -n vegeta) # the binary `go tool vegeta` runs, without the go command around it

printf '{"item":"coffee","quantity":1}' >"$tmp/body.json"

# start_server starts a coldbench-server with no work and sets url.
start_server() {
	"$BIN/coldbench-server" -addr 127.0.0.1:0 -init-work 0 -request-work 0 -request-wait 0 >"$tmp/server.out" 2>&1 &
	server_pid=$!
	url=
	for _ in $(seq 100); do
		url=$(sed -n 's/^listening on //p' "$tmp/server.out")
		[ -n "$url" ] && return
		sleep 0.1
	done
	echo "coldbench-server did not listen: $(cat "$tmp/server.out")" >&2
	exit 1
}

# attack DURATION runs bare vegeta at the server for DURATION, results on stdout.
attack() {
	echo "POST $url/order" |
		timeout 60 "$vegeta" attack -body "$tmp/body.json" -header 'Content-Type: application/json' \
			-rate=0 -workers="$workers" -max-workers="$workers" -duration="$1" -name max
}

# run_vegeta ROUND writes vegeta's report of round ROUND to vegeta-ROUND.json.
run_vegeta() {
	start_server
	attack "$warmup" >/dev/null
	attack "$duration" | timeout 60 "$vegeta" report -type=json >"$tmp/vegeta-$1.json"
	stop_server
}

# run_coldbench ROUND writes the report of the max phase of coldbench's round
# ROUND to coldbench-ROUND.json.
run_coldbench() {
	timeout 120 "$BIN/coldbench" run -bin "$BIN" -reports "$tmp/reports" -id "r$1" -probe 0 "$SCENARIO" >"$tmp/coldbench-$1.log" 2>&1 ||
		{ cat "$tmp/coldbench-$1.log" >&2; exit 1; }
	timeout 60 "$vegeta" encode -to json "$tmp/reports/r$1/results.bin" | grep -F '"attack":"server/max"' |
		timeout 60 "$vegeta" report -type=json >"$tmp/coldbench-$1.json"
	rm -f "$tmp/reports/r$1/results.bin"
}

# field FILE KEY prints the number KEY of a compact vegeta JSON report.
field() { grep -oE "\"$2\":[0-9.e+-]+" "$1" | head -1 | cut -d: -f2; }

# figures FILE prints requests/s, p50 and p99 in ms, and the success ratio.
figures() {
	awk -v t="$(field "$1" throughput)" -v p50="$(field "$1" 50th)" -v p99="$(field "$1" 99th)" \
		-v ok="$(field "$1" success)" 'BEGIN { printf "%.0f %.3f %.3f %s", t, p50 / 1e6, p99 / 1e6, ok }'
}

echo "$ROUNDS rounds of $duration at rate max, $workers workers, after a $warmup warm-up; $(nproc) cores" >&2
printf '%-6s %-10s %10s %9s %9s %8s\n' round side 'req/s' 'p50 ms' 'p99 ms' success
for i in $(seq "$ROUNDS"); do
	if [ $((i % 2)) = 1 ]; then order="coldbench vegeta"; else order="vegeta coldbench"; fi
	for side in $order; do
		"run_$side" "$i"
		read -r rps p50 p99 ok <<<"$(figures "$tmp/$side-$i.json")"
		printf '%-6s %-10s %10s %9s %9s %8s\n' "$i" "$side" "$rps" "$p50" "$p99" "$ok"
		echo "$i $side $rps $p50 $p99" >>"$tmp/all"
	done
done

# The medians over the rounds, and the median of each round's ratio.
awk '
	function median(a, n,   i, j, t) {
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
		return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
	}
	{ n[$2]++; rps[$2, n[$2]] = $3; p50[$2, n[$2]] = $4; p99[$2, n[$2]] = $5; by[$1, $2] = $3 }
	END {
		for (s in n) {
			for (i = 1; i <= n[s]; i++) { a[i] = rps[s, i]; b[i] = p50[s, i]; c[i] = p99[s, i] }
			m[s] = median(a, n[s]); printf "median %-10s %10.0f req/s, p50 %.3f ms, p99 %.3f ms\n", s, m[s], median(b, n[s]), median(c, n[s])
		}
		for (i = 1; i <= n["coldbench"]; i++) r[i] = by[i, "coldbench"] / by[i, "vegeta"]
		printf "ratio coldbench/vegeta: %.2f (median of the rounds: %.2f)\n", m["coldbench"] / m["vegeta"], median(r, n["coldbench"])
	}' "$tmp/all"
