package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/kinds/lambdakind"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
)

// writeSyntheticRun writes a run folder under reports, as the harness
// would: a summary.json, a phases.hlog of one phase (server, then lambda,
// as a run of the shorthand orders them) and a histograms.hlog of 30
// one-second intervals of 400 server and 300 warm Lambda latencies
// (1.0-1.4 ms and 2.0-3.5 ms, times slow), with 2 cold starts a second in
// the first 10 seconds.
func writeSyntheticRun(t *testing.T, reports, id string, started time.Time, slow float64) string {
	t.Helper()
	dir := filepath.Join(reports, id)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, runs.HistogramsFile))
	if err != nil {
		t.Fatal(err)
	}
	buf := bufio.NewWriter(f)
	log := hdrhistogram.NewHistogramLogWriter(buf)
	ms := started.UnixMilli()
	log.SetBaseTime(ms)
	for _, err := range []error{log.OutputLogFormatVersion(), log.OutputStartTime(ms), log.OutputBaseTime(ms), log.OutputLegend()} {
		if err != nil {
			t.Fatal(err)
		}
	}
	totals := map[string]*hdrhistogram.Histogram{}
	out := func(tag string, at int, h *hdrhistogram.Histogram) {
		if h.TotalCount() == 0 {
			return
		}
		h.SetTag(tag)
		h.SetStartTimeMs(started.Add(time.Duration(at) * time.Second).UnixMilli())
		h.SetEndTimeMs(started.Add(time.Duration(at+1) * time.Second).UnixMilli())
		if err := log.OutputIntervalHistogram(h); err != nil {
			t.Fatal(err)
		}
		if totals[tag] == nil {
			totals[tag] = record.NewHistogram()
		}
		totals[tag].Merge(h)
	}
	for s := range 30 {
		server, warm, cold, all := record.NewHistogram(), record.NewHistogram(), record.NewHistogram(), record.NewHistogram()
		for i := range 400 {
			server.RecordValue(int64(slow * float64(1000+(i*7+s)%400)))
		}
		for i := range 300 {
			warm.RecordValue(int64(slow * float64(2000+(i*5+s)%300*5)))
		}
		if s < 10 {
			cold.RecordValue(int64(slow * float64(150_000+s*1000)))
			cold.RecordValue(int64(slow * float64(160_000+s*1000)))
		}
		all.Merge(warm)
		all.Merge(cold)
		out("server/all", s, server)
		out("lambda/all", s, all)
		out("lambda/warm", s, warm)
		out("lambda/cold", s, cold)
		out("lambda/platform", s, cold) // not a request latency: left out
	}
	if err := buf.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	// phases.hlog, one phase, in the order a run of the shorthand's
	// targets writes it: server, then lambda.
	pf, err := os.Create(filepath.Join(dir, runs.PhasesFile))
	if err != nil {
		t.Fatal(err)
	}
	plog := hdrhistogram.NewHistogramLogWriter(pf)
	if err := runs.WriteLogHeader(plog, started, runs.PhasesComment); err != nil {
		t.Fatal(err)
	}
	for _, tag := range []string{"server/all", "lambda/all", "lambda/warm", "lambda/cold"} {
		h := hdrhistogram.Import(totals[tag].Export())
		h.SetTag(tag)
		h.SetStartTimeMs(ms)
		h.SetEndTimeMs(started.Add(30 * time.Second).UnixMilli())
		if err := plog.OutputIntervalHistogram(h); err != nil {
			t.Fatal(err)
		}
	}
	if err := pf.Close(); err != nil {
		t.Fatal(err)
	}
	stats := func(tag string) record.Stats {
		h := totals[tag]
		return record.Stats{Requests: h.TotalCount(), OK: h.TotalCount(), Latency: record.LatencyOf(h)}
	}
	sum := runs.Summary{
		RunID: id, Scenario: "synthetic", Started: started, Ended: started.Add(30 * time.Second),
		Runtime: "process", Machine: "test", WorkRate: 1000,
		Targets: map[string]record.TargetSummary{
			"server": {Kind: "server", Classes: map[record.Class]record.Stats{record.All: stats("server/all")}},
			"lambda": {Kind: "lambda", Runtime: "process", ColdStarts: 20, Classes: map[record.Class]record.Stats{
				record.All: stats("lambda/all"), record.Warm: stats("lambda/warm"), record.Cold: stats("lambda/cold"),
			}},
		},
	}
	b, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, runs.SummaryFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func runCLI(args ...string) (stdout, stderr string, code int, err error) {
	var out, errOut bytes.Buffer
	err = run(context.Background(), &out, &errOut, args)
	return out.String(), errOut.String(), exitCode(err), err
}

func TestCompareCommand(t *testing.T) {
	reports := t.TempDir()
	day := time.Date(2026, 3, 14, 2, 0, 0, 0, time.UTC)
	a := writeSyntheticRun(t, reports, "a", day, 1)
	b := writeSyntheticRun(t, reports, "b", day.Add(time.Hour), 1)
	slow := writeSyntheticRun(t, reports, "slow", day.Add(2*time.Hour), 2)

	// The same latencies: no change, exit 0, the page in the new run.
	stdout, stderr, code, err := runCLI("compare", a, b)
	if code != 0 {
		t.Fatalf("same runs: exit %d (%v)\n%s", code, err, stderr)
	}
	for _, want := range []string{"server/all", "lambda/cold", "p99.9", "~", "Gate passed (p99 at most 10% worse)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("same runs: table lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "lambda/platform") {
		t.Errorf("table compares cold-start parts:\n%s", stdout)
	}
	page, err := os.ReadFile(filepath.Join(b, "compare.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `<a href="../a/index.html">a</a>`) || !strings.Contains(stderr, filepath.Join(b, "compare.html")) {
		t.Errorf("page does not link the base run's report, or its path is not printed (stderr %q)", stderr)
	}

	// Twice as slow: the gate fails, exit 3, and says where; flags may
	// follow the runs.
	out := filepath.Join(t.TempDir(), "cmp.html")
	stdout, _, code, err = runCLI("compare", a, slow, "-o", out, "-format", "markdown")
	if code != 3 {
		t.Fatalf("doubled: exit %d (%v), want 3", code, err)
	}
	for _, want := range []string{"**Gate failed (p99 at most 10% worse): server/all p99 +100%", "| server/all | 12000 → 12000 | p50 |", "+100%"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("doubled: markdown lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(err.Error(), "lambda/warm p99 +100%") {
		t.Errorf("doubled: error %q does not name lambda/warm", err)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("-o: %v", err)
	}

	// A bound above the change, or no gate, passes.
	for _, args := range [][]string{{"-max-regression", "150%"}, {"-gate", "none"}, {"-gate", "p50", "-max-regression", "120"}} {
		if _, _, code, err := runCLI(append(append([]string{"compare"}, args...), a, slow)...); code != 0 {
			t.Errorf("%v: exit %d (%v), want 0", args, code, err)
		}
	}

	// Bad input exits 2 and says what is wrong.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"compare", a}, "compare takes two run folders"},
		{[]string{"compare", a, reports}, "is not a run folder"},
		{[]string{"compare", a, filepath.Join(reports, "missing")}, "is not a run folder"},
		{[]string{"compare", "-gate", "p100", a, b}, "-gate must be a percentile"},
		{[]string{"compare", "-gate", "high", a, b}, "-gate must be a percentile"},
		{[]string{"compare", "-max-regression", "-5%", a, b}, "-max-regression must be"},
		{[]string{"compare", "-format", "html", a, b}, "-format must be text or markdown"},
		{[]string{"compare", "-frobnicate", a, b}, "flag provided but not defined"},
	} {
		_, _, code, err := runCLI(tc.args...)
		if code != 2 || err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: exit %d, error %v; want 2 and %q", tc.args, code, err, tc.want)
		}
	}
	if _, stderr, code, _ := runCLI("compare", "-h"); code != 0 || !strings.Contains(stderr, "-max-regression") {
		t.Errorf("compare -h: exit %d, %q", code, stderr)
	}
}

func TestTrendCommand(t *testing.T) {
	reports := t.TempDir()
	day := time.Date(2026, 3, 14, 2, 0, 0, 0, time.UTC)
	for i, slow := range []float64{1, 1.1, 1.2} {
		writeSyntheticRun(t, reports, "night-"+string(rune('1'+i)), day.Add(time.Duration(i)*24*time.Hour), slow)
	}
	stdout, _, code, err := runCLI("trend", reports)
	if code != 0 {
		t.Fatalf("trend: exit %d (%v)", code, err)
	}
	page := filepath.Join(reports, "trend.html")
	if want := "trend: " + page + " (3 runs)"; !strings.Contains(stdout, want) {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `<a href="night-3/index.html">night-3</a>`) {
		t.Error("trend page does not link night-3's report relatively")
	}

	// Elsewhere, with links from there; flags after the folder.
	other := filepath.Join(t.TempDir(), "t.html")
	if _, _, code, err := runCLI("trend", reports, "-o", other, "-scenario", "synthetic"); code != 0 {
		t.Fatalf("trend -o: exit %d (%v)", code, err)
	}
	if b, err := os.ReadFile(other); err != nil || !strings.Contains(string(b), "night-1/index.html") {
		t.Errorf("trend -o: %v", err)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"trend", "-scenario", "nope", reports}, `no runs of scenario "nope"`},
		{[]string{"trend", t.TempDir()}, "no run folders"},
		{[]string{"trend", filepath.Join(reports, "missing")}, "not a folder"},
		{[]string{"trend", reports, reports}, "one reports folder"},
	} {
		_, _, code, err := runCLI(tc.args...)
		if code != 2 || err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: exit %d, error %v; want 2 and %q", tc.args, code, err, tc.want)
		}
	}
}

// TestCompareScenarios checks the scenarios for trying compare by hand:
// they parse, and differ only in the function's work per request.
func TestCompareScenarios(t *testing.T) {
	same, err := scenario.Load("testdata/compare.yaml", all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	doubled, err := scenario.Load("testdata/compare-doubled.yaml", all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	dw, sw := lambdakind.Settings(*doubled.Target("lambda")).Work.Request, lambdakind.Settings(*same.Target("lambda")).Work.Request
	if dw != 2*sw || doubled.Name != same.Name {
		t.Errorf("compare-doubled.yaml: work %v, name %q; want %v, %q", dw, doubled.Name, 2*sw, same.Name)
	}
}

func TestParseInterleaved(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"a", "-o", "x", "b"}, "a b"},
		{[]string{"-o", "x", "a", "b"}, "a b"},
		{[]string{"a", "--", "-o", "b"}, "a -o b"},
	} {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		fs.String("o", "", "")
		got, err := parseInterleaved(fs, tc.args)
		if err != nil || strings.Join(got, " ") != tc.want {
			t.Errorf("%v: %q, %v; want %q", tc.args, got, err, tc.want)
		}
	}
}
