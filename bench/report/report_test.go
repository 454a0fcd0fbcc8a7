package report

import (
	"bytes"
	"flag"
	"strings"
	"testing"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/bench/verdict"
	lambdapkg "github.com/coldbench/coldbench/targets/lambda"
)

var update = flag.Bool("update", false, "rewrite testdata/report.golden.html")

// synthetic returns a run of both targets over a four-phase schedule with
// an idle phase, with latencies known in advance:
//
//   - server: 10,000 responses, ten each of 1000..1999 µs, and ten at 25 ms;
//     p50 1.50 ms, max 25.0 ms, no errors.
//   - lambda: 6,000 warm responses of 2000..3499 µs, 23 cold starts of
//     150..370 ms, and 12 requests throttled with 429.
//   - corrected latencies: the server's as measured; 1% of lambda's warm
//     requests were sent 40 ms late.
//   - host wait: a tenth of each warm latency of lambda, seven tenths of
//     each cold one.
func synthetic() Input {
	sc := &scenario.Scenario{
		Name:        "spiky-after-idle",
		Description: "Steady traffic, then nothing for two minutes, then a burst.",
		Path:        "scenarios/spiky-after-idle.yaml",
		Targets: []scenario.Target{{Name: "server", Kind: serverKind}, {Name: "lambda", Kind: lambdaKind, Settings: settings{
			describe: "512 MB, timeout 3s, environments reaped after 1m30s idle, concurrency 1000, work: init 150ms, per request 1ms",
			model:    lambdapkg.Published().Delay().String(), pool: "64 sandboxes (auto: the concurrency less provisioned environments, at most 64)", published: true,
		}}},
		Phases: []scenario.Phase{
			{Name: "warmup", Duration: 60 * time.Second, Shape: scenario.Constant, Rate: 20},
			{Name: "quiet", Duration: 120 * time.Second, Shape: scenario.Idle},
			{Name: "burst", Duration: 60 * time.Second, Shape: scenario.Ramp, From: 20, To: 200},
			{Name: "wave", Duration: 120 * time.Second, Shape: scenario.Sine, Mean: 50, Amplitude: 25, Period: 30 * time.Second},
		},
	}
	began := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

	// Server.
	srv := newSeries()
	for i := range 10000 {
		srv.Histogram.RecordValue(int64(1000 + i%1000))
	}
	srv.Histogram.RecordValues(25000, 10)
	srv.Counts = record.Counts{Requests: 10010, Codes: map[int]int64{200: 10010}}

	// Lambda.
	warm, cold, all := newSeries(), newSeries(), newSeries()
	for i := range 6000 {
		warm.Histogram.RecordValue(int64(2000 + i*37%1500))
	}
	var colds []record.ColdStart
	for j := range 23 {
		us := int64(150_000 + j*10_000)
		cold.Histogram.RecordValue(us)
		at := time.Duration(j) * 100 * time.Millisecond
		if j >= 3 {
			at = 180*time.Second + time.Duration(j-3)*400*time.Millisecond
		}
		colds = append(colds, record.ColdStart{
			Offset: at, Latency: time.Duration(us) * time.Microsecond,
			Env: "env-" + string(rune('a'+j)), Sandbox: 40 * time.Millisecond, Platform: 80 * time.Millisecond, PoolMiss: j == 5,
		})
	}
	warm.Counts = record.Counts{Requests: 6012, Errors: 12, Codes: map[int]int64{200: 6000, 429: 12}}
	cold.Counts = record.Counts{Requests: 23, Codes: map[int]int64{200: 23}}
	all.Histogram.Merge(warm.Histogram)
	all.Histogram.Merge(cold.Histogram)
	all.Counts = record.Counts{Requests: 6035, Errors: 12, Codes: map[int]int64{200: 6023, 429: 12}}
	srv.Corrected.Merge(srv.Histogram)
	for i := range 6000 {
		us := int64(2000 + i*37%1500)
		if i%100 == 0 {
			us += 40_000
		}
		warm.Corrected.RecordValue(us)
	}
	cold.Corrected.Merge(cold.Histogram)
	all.Corrected.Merge(warm.Corrected)
	all.Corrected.Merge(cold.Corrected)
	// Host wait: a tenth of each warm latency, seven tenths of each cold
	// one (above UncertainShare: marked).
	hostWait := func(s *record.Series, from *hdrhistogram.Histogram, tenths int64) {
		if s.Net == nil {
			s.Net = record.NewHistogram()
		}
		for _, b := range from.Distribution() {
			if b.Count == 0 {
				continue
			}
			v := (b.From + b.To) / 2
			s.Net.RecordValues(v*(10-tenths)/10, b.Count)
			s.LatencyUs += v * b.Count
			s.WaitUs += v * tenths / 10 * b.Count
		}
	}
	// Outside the router: 0.3 ms, one in a hundred 12 ms.
	warm.Outside = record.NewHistogram()
	for i := range 6000 {
		warm.Outside.RecordValue(map[bool]int64{true: 12000, false: 300}[i%100 == 0])
	}
	hostWait(warm, warm.Histogram, 1)
	hostWait(cold, cold.Histogram, 7)
	hostWait(all, warm.Histogram, 1)
	hostWait(all, cold.Histogram, 7)

	server := &record.Target{
		Name: "server", Kind: "server", Began: began, Ended: began.Add(6 * time.Minute),
		Classes: map[record.Class]*record.Series{record.All: srv},
	}
	lambda := &record.Target{
		Name: "lambda", Kind: "lambda", Runtime: "process", Began: began.Add(6 * time.Minute), Ended: began.Add(12 * time.Minute),
		Classes:    map[record.Class]*record.Series{record.All: all, record.Warm: warm, record.Cold: cold},
		ColdStarts: colds,
		HostWait:   true,
	}
	// The generator's lag: mostly a few tens of µs, one request in 50 late
	// by 0.4 ms, the server's a little later than the function's.
	for _, tg := range []*record.Target{server, lambda} {
		tg.Lag = record.NewHistogram()
		for i := range 1000 {
			us := int64(20 + i%40)
			if tg == server {
				us += 10
			}
			if i%50 == 0 {
				us = 400
			}
			tg.Lag.RecordValue(us)
		}
	}
	var at time.Duration
	for _, p := range sc.Phases {
		sp := &record.Phase{Name: p.Name, Start: at, End: at + p.Duration}
		lp := &record.Phase{Name: p.Name, Start: at, End: at + p.Duration}
		if p.Shape != scenario.Idle {
			sp.Classes = map[record.Class]*record.Series{record.All: srv}
			lp.Classes = map[record.Class]*record.Series{record.All: all, record.Warm: warm, record.Cold: cold}
		}
		server.Phases = append(server.Phases, sp)
		lambda.Phases = append(lambda.Phases, lp)
		at += p.Duration
	}
	for s := time.Duration(0); s < at; s += 5 * time.Second {
		if s >= 60*time.Second && s < 180*time.Second {
			continue // idle
		}
		k := int64(s / time.Second)
		pt := record.Point{Start: s, End: s + 5*time.Second, Count: 100}
		pt.Class, pt.P50, pt.P99, pt.Max = record.All, 1400+k%7*20, 1950+k%11*30, 2500+k%5*100
		server.Points = append(server.Points, pt)
		pt.Class, pt.P50, pt.P99, pt.Max = record.Warm, 2600+k%9*40, 3400+k%13*60, 4000+k%3*200
		lambda.Points = append(lambda.Points, pt)
	}
	// Cold-start anatomy: the load's, with Init 80 ms each, and a probe of
	// containers with platform 400 ms, init 50 ms, invoke 2 ms.
	lambda.Anatomy = record.NewAnatomy("load", "")
	lambda.NetAnatomy = record.NewAnatomy("load, less host wait", "")
	for _, c := range colds {
		c.Init = 80 * time.Millisecond
		c.Invoke = c.Latency - c.Platform - c.Init
		lambda.Anatomy.Add(c)
		c.HostWait, c.InitWait = c.Latency*7/10, 30*time.Millisecond
		lambda.NetAnatomy.Add(c.Net())
	}
	// The fleet: two provisioned environments before the schedule, one
	// started on demand, reaped in the idle phase, one crash.
	lambda.Counters = counters("started", 23, "peak_live", 9, "peak_busy", 7, "reaped", 14, "throttled", 12, "scale_throttled", 0, "killed", 1)
	// Lambda's rules, with service times less host wait, start fewer.
	lambda.Schedule = &lambdapkg.SimResult{Total: lambdapkg.SimCounts{Requests: 6035, ColdStarts: 9, PeakConcurrency: 3, PeakLive: 4}}
	lambda.Timeline = []record.EnvEvent{
		{Offset: -time.Second, Env: "env-1", Kind: "started", Provisioned: true, Live: 1},
		{Offset: -time.Second, Env: "env-2", Kind: "started", Provisioned: true, Live: 2},
		{Offset: 2 * time.Second, Env: "env-3", Kind: "started", Live: 3},
		{Offset: 75 * time.Second, Env: "env-3", Kind: "reaped", Live: 2},
		{Offset: 200 * time.Second, Env: "env-2", Kind: "crashed", Provisioned: true, Live: 1},
		{Offset: 360 * time.Second, Env: "env-1", Kind: "stopped", Provisioned: true, Live: 0},
	}
	probe := record.NewAnatomy("probe, container", "container")
	for range 5 {
		probe.Add(record.ColdStart{Latency: 452 * time.Millisecond, Sandbox: 400 * time.Millisecond, Init: 50 * time.Millisecond, Invoke: 2 * time.Millisecond})
	}
	sc.Objectives = []scenario.Objective{
		{Target: "lambda", Class: "all", Metric: "p99", Limit: 250 * time.Millisecond, Text: "lambda p99 < 250ms"},
		{Target: "server", Class: "all", Metric: "p99.9", Limit: 20 * time.Millisecond, Text: "server p99.9 < 20ms"},
		{Target: "lambda", Class: "provisioned", Metric: "p99", Limit: time.Second, Text: "lambda/provisioned p99 < 1s"},
	}
	targets := []*record.Target{server, lambda}
	return Input{
		Objectives: verdict.Check(sc.Objectives, targets),
		Probes:     []*record.Anatomy{probe},
		RunID:      "20260314-092653",
		Scenario:   sc,
		Targets:    targets,
		Runtime:    "process",
		Machine:    "linux/amd64, 2 CPUs, go1.26.8",
		Started:    began,
		Notes:      []string{"Lambda environments ran as local processes: Docker was not available."},
		Costs:      syntheticCosts(), // cost_test.go
	}
}

// newSeries returns an empty series.
func newSeries() *record.Series {
	return &record.Series{Histogram: record.NewHistogram(), Corrected: record.NewHistogram()}
}

// render writes the report for in and fails the test on error.
func render(t *testing.T, in Input) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, in); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.String()
}

func TestWrite(t *testing.T) {
	out := render(t, synthetic())
	for _, want := range []string{
		"<h1>coldbench: spiky-after-idle</h1>",
		"run 20260314-092653", "2026-03-14 09:26:53 UTC", "linux/amd64, 2 CPUs, go1.26.8", "Lambda environments: process",
		"Steady traffic, then nothing",
		"Latency by percentile", "Latency over time", "Percentiles", "By phase", "How to read this report",
		// Headline.
		"server p99 = 1.99 ms",
		"lambda: 23 cold starts (0.38% of requests), cold p50 = 260 ms, cold max = 370 ms",
		"0 errors in 10010 requests to server; 12 errors in 6035 requests to lambda (0.20%: 429 x12)",
		// Table: server all: p50 1.50, p90 1.90, max 25.0.
		`<td>10010</td><td>0</td><td class="codes"></td><td>1.50</td><td>1.90</td><td>1.99</td>`,
		`<td>25.0</td></tr>`,
		`<td class="codes">429 x12</td>`,
		"quiet (idle)",
		// Cold-start anatomy: the probe row, p50 / p90 of each part, and
		// the published figures, labelled as such.
		"Cold-start anatomy", "lambda: cold starts under load",
		`<td class="l">probe, container</td><td class="l">container</td><td>5</td><td>400 / 400</td><td>0.001 / 0.001</td><td>50.0 / 50.0</td><td>49 / 51</td><td>2.00 / 2.00</td><td>452 / 452</td><td>0</td>`,
		"published, not measured", "provided.al2023", "maxday/lambda-perf, data/2026-08-22.json",
		// The environments chart, its legend counting each kind.
		"What the Lambda service did", `<td class="l">requests throttled: concurrency limit (429)</td><td>12</td>`,
		"Execution environments", "started (3)", "reaped (idle) (1)", "crashed (1)",
		"<svg", "histograms.hlog", "results.bin", "summary.json",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(out, "Interrupted") {
		t.Error("report of a complete run says it was interrupted")
	}
	if strings.Count(out, "<svg") != 4 { // percentiles, over time, environments, cost
		t.Errorf("report has %d charts, want 4", strings.Count(out, "<svg"))
	}
	selfContained(t, out)
}

// selfContained fails the test if page could fetch anything.
func selfContained(t *testing.T, page string) {
	t.Helper()
	ns := strings.NewReplacer(`"http://www.w3.org/2000/svg"`, "", `"http://www.w3.org/1999/xlink"`, "")
	rest := strings.ToLower(ns.Replace(page))
	for _, bad := range []string{"http://", "https://", "<script", "<link", "@import", "url(", "<img", "<iframe", "src="} {
		if i := strings.Index(rest, bad); i >= 0 {
			t.Errorf("page is not self-contained: %q at %q", bad, rest[max(0, i-40):min(len(rest), i+40)])
		}
	}
}

func TestGolden(t *testing.T) {
	out := render(t, synthetic())
	goldenPage(t, "report.golden.html", out)
	if again := render(t, synthetic()); again != out {
		t.Error("two renderings of the same input differ")
	}
}

func TestEdgeCases(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(in *Input)
		want   []string
	}{
		{"no successful responses", func(in *Input) {
			l := in.Targets[1]
			for _, c := range []record.Class{record.All, record.Warm, record.Cold} {
				l.Classes[c] = &record.Series{Histogram: record.NewHistogram(),
					Counts: record.Counts{Requests: 50, Errors: 50, Codes: map[int]int64{0: 20, 502: 30}}}
			}
			l.Points, l.ColdStarts = nil, nil
			for _, p := range l.Phases {
				p.Classes = nil
			}
		}, []string{"no successful responses from lambda", "0 x20, 502 x30", "lambda warm, cold, all: no successful responses to plot."}},
		{"missing classes", func(in *Input) {
			delete(in.Targets[1].Classes, record.All)
			delete(in.Targets[1].Classes, record.Warm)
		}, []string{"lambda p99 = 370 ms"}},
		{"nil histogram", func(in *Input) {
			in.Targets[0].Classes[record.All] = &record.Series{Counts: record.Counts{Requests: 3, Errors: 3, Codes: map[int]int64{503: 3}}}
		}, []string{"no successful responses from server", "503 x3"}},
		{"only one target", func(in *Input) {
			in.Targets = in.Targets[:1]
			in.Scenario.Targets = in.Scenario.Targets[:1]
		}, []string{"server p99 = 1.99 ms (p50 1.50 ms, max 25.0 ms).", "Schedule (times are from its start)"}},
		{"only lambda, no cold starts", func(in *Input) {
			in.Targets = in.Targets[1:]
			l := in.Targets[0]
			l.ColdStarts = nil
			delete(l.Classes, record.Cold)
		}, []string{"lambda: no cold starts in 6035 requests."}},
		{"interrupted", func(in *Input) {
			in.Interrupted = true
			for _, tg := range in.Targets {
				tg.Phases = tg.Phases[:2]
				var pts []record.Point
				for _, p := range tg.Points {
					if p.End <= 90*time.Second {
						pts = append(pts, p)
					}
				}
				tg.Points = pts
				var cs []record.ColdStart
				for _, c := range tg.ColdStarts {
					if c.Offset < 90*time.Second {
						cs = append(cs, c)
					}
				}
				tg.ColdStarts = cs
			}
		}, []string{"Interrupted: partial results", "not run: the run was interrupted"}},
		{"no points", func(in *Input) {
			for _, tg := range in.Targets {
				tg.Points, tg.ColdStarts = nil, nil
			}
		}, []string{"No latency-over-time data to plot."}},
		{"no targets", func(in *Input) { in.Targets = nil }, []string{"No target was run"}},
		{"no scenario", func(in *Input) { in.Scenario = nil }, []string{"<h1>coldbench: coldbench</h1>"}},
		{"empty target", func(in *Input) {
			in.Targets = append(in.Targets, nil, &record.Target{Name: "other"})
		}, []string{"0 errors in 0 requests to other"}},
		{"zero latencies", func(in *Input) {
			h := record.NewHistogram()
			h.RecordValues(0, 5)
			in.Targets[0].Classes[record.All] = &record.Series{Histogram: h, Counts: record.Counts{Requests: 5}}
			in.Targets[0].Points = []record.Point{{Class: record.All, Start: 0, End: time.Second, Count: 5}}
		}, []string{"server p99 = 0 ms"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := synthetic()
			tc.change(&in)
			out := render(t, in)
			for _, want := range tc.want {
				if !strings.Contains(out, want) {
					t.Errorf("report lacks %q", want)
				}
			}
			selfContained(t, out)
		})
	}
}

func TestStats(t *testing.T) {
	s := newSeries()
	for v := int64(1); v <= 1000; v++ {
		s.Histogram.RecordValue(v * 100) // 0.1 .. 100 ms
	}
	s.Counts = record.Counts{Requests: 1004, Errors: 4, Codes: map[int]int64{200: 1000, 0: 1, 429: 3}}
	got := newStats(record.Warm, s)
	want := stats{
		Class: "warm", Requests: "1004", Errors: "4", Codes: "0 x1, 429 x3",
		P50: "50.0", P90: "90.0", P99: "99.0", P999: "99.9", P9999: "100", P99999: "100", Max: "100",
	}
	if got != want {
		t.Errorf("newStats = %+v\nwant %+v", got, want)
	}
}

func TestMs(t *testing.T) {
	for us, want := range map[int64]string{
		0: "0", 1: "0.001", 12: "0.012", 999: "0.999", 1000: "1.00", 1999: "2.00",
		84_200: "84.2", 612_000: "612", 1_234_567: "1235", 60_000_000: "60000",
	} {
		if got := ms(us); got != want {
			t.Errorf("ms(%d) = %q, want %q", us, got, want)
		}
	}
}

func TestNines(t *testing.T) {
	var labels []string
	for _, tk := range (nines{}).Ticks(0, 4.2) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if got, want := strings.Join(labels, " "), "0% 50% 90% 99% 99.9% 99.99%"; got != want {
		t.Errorf("labels = %q, want %q", got, want)
	}
}

func TestLogRange(t *testing.T) {
	for _, tc := range []struct{ lo, hi, wantLo, wantHi float64 }{
		{1.4, 370, 1, 500},
		{0.0005, 0.0005, 0.001, 0.002},
		{3, 3, 2, 5},
		{0, 0, 0.001, 0.002},
	} {
		lo, hi := logRange(tc.lo, tc.hi)
		if !near(lo, tc.wantLo) || !near(hi, tc.wantHi) {
			t.Errorf("logRange(%v, %v) = %v, %v, want %v, %v", tc.lo, tc.hi, lo, hi, tc.wantLo, tc.wantHi)
		}
	}
}

func near(a, b float64) bool { return a > b*(1-1e-9) && a < b*(1+1e-9) }

// counterLabels are the lambda kind's labels of the counters these tests
// give their functions (lambdakind.Counters): the report renders what a
// kind reports, and must not need the kind to be tested.
var counterLabels = map[string]string{
	"started":          "environments started (cold starts and provisioned)",
	"provisioned_live": "of them provisioned, live at the end",
	"peak_live":        "most live at once",
	"reaped":           "reaped after their keepalive",
	"throttled":        "requests throttled: concurrency limit (429)",
	"killed":           "environments killed from outside",
	"pool_hits":        "cold starts on a sandbox of the pool (started ahead of need)",
	"pool_misses":      "pool misses: cold starts that found the pool empty and started a sandbox",
	"peak_busy":        "most busy at once",
}

// counters builds a function's counters from key, value pairs, in order.
func counters(kv ...any) record.Counters {
	var cs record.Counters
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		cs = append(cs, record.Counter{Key: k, Label: counterLabels[k], Value: int64(kv[i+1].(int)), Merge: record.MergeSum, Report: k != "peak_busy"})
	}
	return cs
}
