package harness_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/harness"
	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/kinds/lambdakind"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/testkit"
)

// TestRunEndToEnd runs a short scenario against the real server and real RIE
// processes and checks the run folder: counts, the cold/warm split at
// start-up and after the idle gap, throttling above the concurrency limit,
// and that every output reads back with the tools it is made for.
func TestRunEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes; skipped with -short")
	}
	sc, err := scenario.Load("testdata/short.yaml", all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	bin := kit.Dir()
	kit.Binaries(t) // fail early if they could not be built
	reports := t.TempDir()
	res, err := harness.Run(context.Background(), harness.Config{
		Scenario: sc, ReportsDir: reports, BinDir: bin, RunID: "e2e", Progress: testWriter{t},
		Kinds: sandboxed(t, lambdakind.Process), Probes: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	testkit.AwaitNoProcesses(t, bin)

	var sum runs.Summary
	readJSON(t, filepath.Join(res.Dir, runs.SummaryFile), &sum)
	srv, fn := sum.Targets["server"], sum.Targets["lambda"]

	if all := srv.Classes[record.All]; all.Requests == 0 || all.Errors != 0 || all.OK != all.Requests {
		t.Errorf("server: %+v, want requests and no errors", all)
	}
	steady, again, burst := fn.Phases[0], fn.Phases[2], fn.Phases[3]
	// Start-up: the first request finds no environment.
	if steady.Classes[record.Cold].Requests < 1 || steady.Classes[record.Warm].Requests < 1 {
		t.Errorf("steady phase: cold %d warm %d, want both > 0",
			steady.Classes[record.Cold].Requests, steady.Classes[record.Warm].Requests)
	}
	// After a gap longer than the keepalive every environment was reaped.
	if again.Classes[record.Cold].Requests < 1 {
		t.Errorf("after the gap: no cold start (%+v)", again.Classes)
	}
	// Above the concurrency limit: 429s, counted, not dropped.
	if n := burst.Classes[record.All].Codes["429"]; n == 0 {
		t.Errorf("burst: no 429 with concurrency 2 (%+v)", burst.Classes[record.All])
	}
	all, cold, warm := fn.Classes[record.All], fn.Classes[record.Cold], fn.Classes[record.Warm]
	if got := cold.Requests + warm.Requests + all.Codes["429"]; got != all.Requests {
		t.Errorf("lambda: cold %d + warm %d + 429 %d != all %d", cold.Requests, warm.Requests, all.Codes["429"], all.Requests)
	}
	if fn.ColdStarts != int(cold.Requests) {
		t.Errorf("cold starts %d, cold requests %d", fn.ColdStarts, cold.Requests)
	}
	if n, ok := sum.Targets["lambda"].Counters.Get("throttled"); !ok || n != all.Codes["429"] {
		t.Errorf("router's throttled %d (%v) disagrees with 429s %d", n, ok, all.Codes["429"])
	}

	// results.bin: vegeta's decoder reads every request of both targets.
	total := srv.Classes[record.All].Requests + all.Requests
	if n := countResults(t, filepath.Join(res.Dir, runs.ResultsFile)); n != total {
		t.Errorf("results.bin holds %d results, want %d", n, total)
	}
	// histograms.hlog: the interval log reader finds every success by tag.
	tags := readLog(t, filepath.Join(res.Dir, runs.HistogramsFile))
	for tag, want := range map[string]int64{
		"server/all": srv.Classes[record.All].OK, "lambda/all": all.OK,
		"lambda/cold": cold.OK, "lambda/warm": warm.OK,
		"lambda/sandbox": cold.OK, "lambda/platform": cold.OK, "lambda/init": cold.OK, "lambda/queue": cold.Requests + warm.Requests,
	} {
		if tags[tag] != want {
			t.Errorf("hlog %s: %d values, want %d", tag, tags[tag], want)
		}
	}
	// The interval log's headers, times and every tag against the summary;
	// vegeta report on results.bin; bench.txt as benchstat reads it.
	checkInterop(t, res.Dir, &sum)
	// invocations.csv: one REPORT line per request an environment served.
	if rows := countLines(t, filepath.Join(runs.TargetDir(res.Dir, "lambda"), runs.InvocationsFile)) - 1; rows != cold.Requests+warm.Requests {
		t.Errorf("%s: %d REPORT rows, want %d", runs.InvocationsFile, rows, cold.Requests+warm.Requests)
	}
	// The parts of the cold starts: platform, init and invoke, one each.
	for _, p := range record.Parts {
		if n := fn.Anatomy.Parts[p].Count; n != cold.OK {
			t.Errorf("cold-start %s: %d values, want %d", p, n, cold.OK)
		}
	}
	if p50 := fn.Anatomy.Parts[record.Init].P50; p50 < 10_000 { // half the work: calibration is noisy
		t.Errorf("init p50 = %d µs, want about the 20 ms of init work", p50)
	}
	// environments.csv: a started row per environment the router started,
	// reaped rows for the gap.
	timeline, err := os.ReadFile(filepath.Join(runs.TargetDir(res.Dir, "lambda"), runs.EnvironmentsFile))
	if err != nil {
		t.Fatal(err)
	}
	if n, started := strings.Count(string(timeline), ",started,"), must(sum.Targets["lambda"].Counters.Get("started")); int64(n) != started {
		t.Errorf("%s: %d started rows, router started %d", runs.EnvironmentsFile, n, started)
	}
	if !strings.Contains(string(timeline), ",reaped,") {
		t.Errorf("%s: no environment reaped across the gap", runs.EnvironmentsFile)
	}
	// The probe measured two cold starts one at a time in process mode.
	if len(sum.Probes) == 0 || sum.Probes[0].Runtime != "process" || sum.Probes[0].Total.Count != 2 {
		t.Errorf("probes = %+v, want 2 cold starts in process mode first", sum.Probes)
	}
	if sum.Runtime != "process" {
		t.Errorf("runtime = %q, want process", sum.Runtime)
	}
	page, err := os.ReadFile(res.Report)
	if err != nil || !strings.Contains(string(page), "<svg") {
		t.Errorf("report: %v, %d bytes", err, len(page))
	}
	if dst, err := os.Readlink(filepath.Join(reports, runs.LatestLink)); err != nil || dst != "e2e" {
		t.Errorf("latest -> %q, %v; want e2e", dst, err)
	}
}

func countResults(t *testing.T, path string) int64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := vegeta.NewDecoder(f)
	var n int64
	for {
		var r vegeta.Result
		if err := dec.Decode(&r); err == io.EOF {
			return n
		} else if err != nil {
			t.Fatalf("decoding %s after %d results: %v", path, n, err)
		}
		n++
	}
}

func countLines(t *testing.T, path string) int64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return int64(strings.Count(string(b), "\n"))
}

func readLog(t *testing.T, path string) map[string]int64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	counts := map[string]int64{}
	r := hdrhistogram.NewHistogramLogReader(f)
	for {
		h, err := r.NextIntervalHistogram()
		if err != nil {
			t.Fatalf("reading %s: %v", path, err)
		}
		if h == nil {
			return counts
		}
		counts[h.Tag()] += h.TotalCount()
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// testWriter sends progress lines to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// TestRunInterruptedBeforeLoad checks that a run stopped before its load
// started (here: before the targets are even built) counts as interrupted.
func TestRunInterruptedBeforeLoad(t *testing.T) {
	sc, err := scenario.Load("testdata/short.yaml", all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = harness.Run(ctx, harness.Config{Scenario: sc, ReportsDir: t.TempDir(), BinDir: t.TempDir()})
	if !errors.Is(err, harness.ErrInterrupted) {
		t.Errorf("Run with a cancelled context: %v, want ErrInterrupted", err)
	}
}

// must returns the value of a counter that must be there; -1, which no
// count equals, if it is not.
func must(n int64, ok bool) int64 {
	if !ok {
		return -1
	}
	return n
}
