package report

import (
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/bench/verdict"
	lambdapkg "github.com/coldbench/coldbench/targets/lambda"
)

// fourPhases is the schedule of fourTargets: 20 requests/s for a minute,
// a minute idle, then a ramp from 20 to 120 requests/s: 6,000 requests in
// 180 s, 33.3 requests/s on average, 120 at the peak.
func fourPhases() []scenario.Phase {
	return []scenario.Phase{
		{Name: "steady", Duration: 60 * time.Second, Shape: scenario.Constant, Rate: 20},
		{Name: "quiet", Duration: 60 * time.Second, Shape: scenario.Idle},
		{Name: "ramp", Duration: 60 * time.Second, Shape: scenario.Ramp, From: 20, To: 120},
	}
}

// fourTargets returns a run of four targets on fourPhases, with latencies
// known in advance:
//
//   - fn-small, a 256 MB function: 5,000 warm responses of 4..7 ms, 40
//     cold starts of 300..690 ms, 60 requests throttled (429).
//   - fn-large, a 1024 MB function with 2 provisioned environments: 5,080
//     warm responses of 2..3.5 ms, 20 cold starts of 150..340 ms.
//   - box-small, a server on t4g.small: 5,100 responses of 1..2 ms, 10 of
//     30 ms.
//   - box-big, a server on c7g.large with heavier work: 5,100 responses of
//     3..6 ms, 10 answered 503.
func fourTargets() Input {
	platform := lambdapkg.Published().Delay()
	sc := &scenario.Scenario{
		Name:        "four-targets",
		Description: "Two functions of different memory against two servers of different instance and work.",
		Path:        "scenarios/four-targets.yaml",
		Phases:      fourPhases(),
		Targets: []scenario.Target{
			{Name: "fn-small", Kind: lambdaKind, Settings: settings{
				describe: "256 MB, timeout 3s, environments reaped after 30s idle, concurrency 100, work: init 300ms, per request 2ms",
				model:    platform.String(), pool: "64 sandboxes (auto: the concurrency less provisioned environments, at most 64)", published: true,
			}},
			{Name: "fn-large", Kind: lambdaKind, Settings: settings{
				describe: "1024 MB, timeout 3s, environments reaped after 30s idle, 2 provisioned, concurrency 100, work: init 150ms, per request 500µs",
				model:    lambdapkg.Delay{Min: 40 * time.Millisecond, Max: 60 * time.Millisecond}.String(), pool: "8 sandboxes",
			}},
			{Name: "box-small", Kind: serverKind, Settings: settings{describe: "work: init 0s, per request 1ms"}},
			{Name: "box-big", Kind: serverKind, Settings: settings{describe: "work: init 0s, per request 3ms"}},
		},
		Objectives: []scenario.Objective{
			{Target: "fn-small", Class: "all", Metric: "p99", Limit: 20 * time.Millisecond, Text: "fn-small p99 < 20ms"},
			{Target: "fn-large", Class: "all", Metric: "p99.9", Limit: 400 * time.Millisecond, Text: "fn-large p99.9 < 400ms"},
			{Target: "box-small", Class: "all", Metric: "p99.9", Limit: 50 * time.Millisecond, Text: "box-small p99.9 < 50ms"},
			{Target: "box-big", Class: "all", Metric: "error_rate", MaxErrorRate: 0.01, Text: "box-big error_rate < 1%"},
		},
	}
	began := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	fnSmall := function4("fn-small", began, 4000, 3000, 40, 300_000, 60)
	fnLarge := function4("fn-large", began.Add(4*time.Minute), 2000, 1500, 20, 150_000, 0)
	boxSmall := server4("box-small", began.Add(8*time.Minute), 1000, 1000, 30_000, 0)
	boxBig := server4("box-big", began.Add(12*time.Minute), 3000, 3000, 0, 10)
	for i := range fnLarge.Counters {
		if fnLarge.Counters[i].Key == "provisioned_live" {
			fnLarge.Counters[i].Value = 2
		}
	}
	targets := []*record.Target{fnSmall, fnLarge, boxSmall, boxBig}

	traffic := cost.Traffic{Seconds: 180, Requests: 6000, AverageRate: 6000.0 / 180, PeakRate: 120, Source: "the phases"}
	fnUsage := func(mb int, t *record.Target, billedMs float64, provisioned int) cost.Input {
		all := t.Classes[record.All]
		n := all.Counts.Requests - all.Counts.Codes[429]
		return cost.Input{Traffic: traffic, Lambda: &cost.LambdaUsage{
			MemoryMB: mb, Requests: all.Counts.Requests, Throttled: all.Counts.Codes[429], Invocations: n,
			BilledMs: billedMs, BilledRows: n, ColdStarts: int64(len(t.ColdStarts)), InitMs: float64(len(t.ColdStarts)) * 200,
			InitInBilled: true, Provisioned: provisioned, ProvisionedBilledMs: 400, ProvisionedRows: 200, Source: "synthetic",
		}}
	}
	srvUsage := func(t *record.Target, cpu float64) cost.Input {
		all := t.Classes[record.All]
		return cost.Input{Traffic: traffic, Server: &cost.ServerUsage{
			Requests: all.Counts.Requests, Served: all.Counts.Requests - all.Counts.Errors, CPUSeconds: cpu, Source: "synthetic",
		}}
	}
	costs := map[string]*cost.Result{
		"fn-small":  price(cost.Config{}, fnUsage(256, fnSmall, 40_000, 0)),
		"fn-large":  price(cost.Config{}, fnUsage(1024, fnLarge, 30_000, 2)),
		"box-small": price(cost.Config{}, srvUsage(boxSmall, 6)),
		"box-big":   price(cost.Config{Instance: "c7g.large", MinInstances: 2}, srvUsage(boxBig, 18)),
	}
	return Input{
		RunID: "20261201-100000", Scenario: sc, Targets: targets, Runtime: "container",
		Machine: "linux/amd64, 2 CPUs, go1.26.8", Started: began,
		Objectives: verdict.Check(sc.Objectives, targets), Costs: costs,
	}
}

// server4 returns a server of fourTargets: 5,100 responses spread evenly
// over [base, base+spread) µs, 10 more of slow µs (none if 0), and errors
// requests answered 503.
func server4(name string, began time.Time, base, spread, slow int64, errors int64) *record.Target {
	all := newSeries()
	for i := range int64(5100) {
		all.Histogram.RecordValue(base + i*7%spread)
	}
	n := int64(5100)
	if slow > 0 {
		all.Histogram.RecordValues(slow, 10)
		n += 10
	}
	all.Corrected.Merge(all.Histogram)
	all.Counts = record.Counts{Requests: n + errors, Errors: errors, Codes: map[int]int64{200: n}}
	if errors > 0 {
		all.Counts.Codes[503] = errors
	}
	t := &record.Target{Name: name, Kind: "server", Began: began, Ended: began.Add(3 * time.Minute),
		Classes: map[record.Class]*record.Series{record.All: all}}
	phases4(t, map[record.Class]*record.Series{record.All: all})
	points4(t, record.All, base, spread)
	return t
}

// function4 returns a function of fourTargets: 5,000 warm responses over
// [warm, warm+spread) µs, cold cold starts from coldUs µs up by 10 ms
// each, and throttled requests answered 429 (in no class but all, as the
// recorder counts them).
func function4(name string, began time.Time, warm, spread int64, cold int, coldUs int64, throttled int64) *record.Target {
	w, c, all := newSeries(), newSeries(), newSeries()
	nWarm := int64(5100 - cold)
	for i := range nWarm {
		us := warm + i*13%spread
		w.Histogram.RecordValue(us)
		if i%200 == 0 {
			us += 25_000 // the generator was late
		}
		w.Corrected.RecordValue(us)
	}
	t := &record.Target{Name: name, Kind: "lambda", Runtime: "container", Began: began, Ended: began.Add(3 * time.Minute),
		Anatomy: record.NewAnatomy("load", "")}
	for j := range cold {
		us := coldUs + int64(j)*10_000
		c.Histogram.RecordValue(us)
		at := time.Duration(j) * 500 * time.Millisecond
		if j >= cold/2 {
			at = 120*time.Second + time.Duration(j-cold/2)*time.Second
		}
		cs := record.ColdStart{Offset: at, Latency: time.Duration(us) * time.Microsecond, Env: name + "-env",
			Sandbox: 30 * time.Millisecond, Platform: 80 * time.Millisecond, Init: time.Duration(coldUs/2) * time.Microsecond, PoolMiss: j == 0}
		cs.Invoke = cs.Latency - cs.Sandbox - cs.Platform - cs.Init
		t.ColdStarts = append(t.ColdStarts, cs)
		t.Anatomy.Add(cs)
	}
	c.Corrected.Merge(c.Histogram)
	w.Counts = record.Counts{Requests: nWarm, Codes: map[int]int64{200: nWarm}}
	c.Counts = record.Counts{Requests: int64(cold), Codes: map[int]int64{200: int64(cold)}}
	for _, s := range []*record.Series{w, c} {
		all.Histogram.Merge(s.Histogram)
		all.Corrected.Merge(s.Corrected)
	}
	all.Counts = record.Counts{Requests: 5100 + throttled, Errors: throttled, Codes: map[int]int64{200: 5100}}
	if throttled > 0 {
		all.Counts.Codes[429] = throttled
	}
	t.Classes = map[record.Class]*record.Series{record.All: all, record.Warm: w, record.Cold: c}
	phases4(t, t.Classes)
	points4(t, record.Warm, warm, spread)
	t.Counters = counters("started", cold, "provisioned_live", 0, "peak_live", cold/2, "reaped", cold/2, "throttled", int(throttled), "pool_hits", cold-1, "pool_misses", 1)
	for j := range cold {
		at := t.ColdStarts[j].Offset
		t.Timeline = append(t.Timeline, record.EnvEvent{Offset: at, Env: name, Kind: "started", Live: min(j, cold/2) + 1})
		if j == cold/2-1 {
			t.Timeline = append(t.Timeline, record.EnvEvent{Offset: 90 * time.Second, Env: name, Kind: "reaped", Live: 0})
		}
	}
	return t
}

// phases4 gives t the phases of fourPhases, the busy ones each with all of
// classes.
func phases4(t *record.Target, classes map[record.Class]*record.Series) {
	var at time.Duration
	for _, p := range fourPhases() {
		ph := &record.Phase{Name: p.Name, Start: at, End: at + p.Duration}
		if p.Shape != scenario.Idle {
			ph.Classes = classes
		}
		t.Phases = append(t.Phases, ph)
		at += p.Duration
	}
}

// points4 gives t a point of class c every 5 s of the busy phases, p50
// and p99 drifting within [base, base+spread) µs.
func points4(t *record.Target, c record.Class, base, spread int64) {
	for s := time.Duration(0); s < 180*time.Second; s += 5 * time.Second {
		if s >= 60*time.Second && s < 120*time.Second {
			continue // idle
		}
		k := int64(s / time.Second)
		t.Points = append(t.Points, record.Point{Class: c, Start: s, End: s + 5*time.Second, Count: 100,
			P50: base + spread/2 + k%7*spread/20, P99: base + spread + k%11*spread/10, Max: base + 2*spread})
	}
}

func TestFourTargets(t *testing.T) {
	out := render(t, fourTargets())
	for _, want := range []string{
		// The verdict: fn-small breaks its p99 (its cold starts), the
		// others meet theirs; the cheapest of them wins.
		"Targets, in run order:", "fn-large (lambda, 1024 MB", "box-big (server, work: init 0s, per request 3ms)",
		"<strong>box-small</strong> is the cheapest target that meets every objective naming it", "<strong>Only fn-large, box-small and box-big meet every objective that names them.</strong>",
		`<table class="ranking">`, `<td class="l">box-big</td>`,
		"Cold-start tax of <strong>fn-small</strong> against box-small", "Cold-start tax of <strong>fn-large</strong> against box-small",
		// Every function has its row or column, labelled by name.
		"fn-small: cold starts under load", "fn-large: cold starts under load",
		"<th>fn-small</th><th>fn-large</th>",
		`<td class="l">fn-large</td><td class="l">uniform`,
		// The cost section: a row per target, break-evens against the
		// best server.
		"x86_64, 1024 MB, 2 provisioned", "2 × c7g.large", "fn-small against box-small: ", "fn-large against box-small: ",
		"break-even of fn-small and box-small",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Each target's colour, by its place in the scenario, in the ranking.
	for name, css := range map[string]string{"fn-small": "#0072b2", "fn-large": "#e69f00", "box-small": "#009e73", "box-big": "#cc79a7"} {
		if !strings.Contains(out, `style="background: `+css+`"></span>`+name) {
			t.Errorf("%s is not drawn in %s", name, css)
		}
	}
	if n := strings.Count(out, "<svg"); n != 4 {
		t.Errorf("report has %d charts, want 4", n)
	}
	selfContained(t, out)

	goldenPage(t, "four.golden.html", out)
}

// TestKeyGrid checks that a legend of six targets' curves is laid out in
// rows that fit the width of a chart, left to right.
func TestKeyGrid(t *testing.T) {
	var keys []key
	for _, name := range []string{"fn-small", "fn-large", "fn-extra"} {
		for _, c := range []string{"warm", "cold", "all"} {
			keys = append(keys, key{label: name + " " + c + " (n=5100)"})
		}
	}
	for _, name := range []string{"box-small", "box-big", "box-extra"} {
		keys = append(keys, key{label: name + " all (n=5100)"})
	}
	sty := legendStyle()
	width := chartWidth - 60
	cols, rows, colWidth := keyGrid(keys, width, sty)
	if cols < 3 || cols*rows < len(keys) || (cols-1)*rows >= len(keys) || vg.Length(cols)*colWidth > width+keyGap {
		t.Errorf("%d keys in %d columns of %v and %d rows, across %v", len(keys), cols, colWidth, rows, width)
	}
	if h := gridHeight(keys, width); h != vg.Length(rows)*rowHeight(sty) {
		t.Errorf("height %v for %d rows", h, rows)
	}
	if cols, rows, _ := keyGrid(keys[:1], width, sty); cols != 1 || rows != 1 {
		t.Errorf("one key: %d columns, %d rows", cols, rows)
	}
}
