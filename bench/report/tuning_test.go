package report

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/bench/tuning"
	"github.com/coldbench/coldbench/bench/verdict"
)

// sweepRun returns a run of a function swept over four memory sizes and a
// server, on fourPhases, with latencies known in advance: a CPU-bound
// handler whose warm responses take 60..90 ms at 128 MB, 15..22 ms at 512
// MB, 5..7.5 ms at 1,769 MB and at 5,308 MB (which asks for 3 vCPU, capped
// on 2 CPUs), 20 cold starts each from 400 ms at 128 MB, 250 ms above; the
// server answers in 3..6 ms. Each function is billed its warm mean.
func sweepRun() Input {
	sizes := []struct {
		mb           int
		warm, spread int64
		coldUs       int64
	}{{128, 60_000, 30_000, 400_000}, {512, 15_000, 7_000, 250_000}, {1769, 5_000, 2_500, 250_000}, {5308, 5_000, 2_500, 250_000}}
	sc := &scenario.Scenario{
		Name: "power-tuning", Description: "A CPU-bound function swept over memory, and a server.",
		Path: "scenarios/power-tuning.yaml", Phases: fourPhases(),
	}
	began := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	traffic := cost.Traffic{Seconds: 180, Requests: 6000, AverageRate: 6000.0 / 180, PeakRate: 120, Source: "the phases"}
	costs := map[string]*cost.Result{}
	var targets []*record.Target
	for i, s := range sizes {
		name := scenario.SweptName("fn", s.mb)
		sc.Targets = append(sc.Targets, scenario.Target{Name: name, Kind: lambdaKind, Sweep: scenario.Sweep{Base: "fn", MemoryMB: s.mb, Weight: 0.5},
			Settings: settings{describe: fmt.Sprintf("%d MB, timeout 3s, concurrency 100, work: init 0s, per request 4ms", s.mb),
				model: "0", pool: "none: every cold start started its sandbox on demand"}})
		t := function4(name, began.Add(time.Duration(i)*4*time.Minute), s.warm, s.spread, 20, s.coldUs, 0)
		targets = append(targets, t)
		n := t.Classes[record.All].Counts.Requests
		costs[name] = price(cost.Config{}, cost.Input{Traffic: traffic, Lambda: &cost.LambdaUsage{
			MemoryMB: s.mb, Requests: n, Invocations: n, BilledMs: float64(n) * float64(s.warm+s.spread/2) / 1000, BilledRows: n,
			ColdStarts: 20, InitMs: 20 * 200, InitInBilled: true, Source: "synthetic",
		}})
	}
	sc.Targets = append(sc.Targets, scenario.Target{Name: "api", Kind: serverKind, Settings: settings{describe: "work: init 0s, per request 4ms"}})
	api := server4("api", began.Add(16*time.Minute), 3000, 3000, 0, 0)
	targets = append(targets, api)
	costs["api"] = price(cost.Config{}, cost.Input{Traffic: traffic, Server: &cost.ServerUsage{Requests: 5100, Served: 5100, CPUSeconds: 21, Source: "synthetic"}})
	sc.Objectives = []scenario.Objective{
		{Target: "fn-128", Class: "warm", Metric: "p99", Limit: 50 * time.Millisecond, Text: "fn-128/warm p99 < 50ms"},
		{Target: "fn-512", Class: "warm", Metric: "p99", Limit: 50 * time.Millisecond, Text: "fn-512/warm p99 < 50ms"},
		{Target: "fn-1769", Class: "warm", Metric: "p99", Limit: 50 * time.Millisecond, Text: "fn-1769/warm p99 < 50ms"},
		{Target: "fn-5308", Class: "warm", Metric: "p99", Limit: 50 * time.Millisecond, Text: "fn-5308/warm p99 < 50ms"},
	}
	return Input{
		RunID: "20261201-100000", Scenario: sc, Targets: targets, Runtime: "container",
		Machine: "linux/amd64, 2 CPUs, go1.26.8", Started: began,
		Objectives: verdict.Check(sc.Objectives, targets), Costs: costs,
		Tuning: tuning.Analyze(sc, targets, costs, 2),
	}
}

func TestPowerTuning(t *testing.T) {
	in := sweepRun()
	out := render(t, in)
	sw := in.Tuning[0]
	if len(sw.Sizes) != 4 || !sw.Sizes[3].Capped || sw.Sizes[2].Capped {
		t.Fatalf("sweep %+v: want 4 sizes, 5,308 MB capped on 2 CPUs and 1,769 not", sw)
	}
	for _, want := range []string{
		`<section id="tuning">`, "<h3>fn: by memory size</h3>",
		// 128 MB breaks its warm p99 objective (60..90 ms); of the
		// other sizes the cheapest meets them.
		"Memory size of fn: <strong>",
		"0.07</td>", "1.00</td>", "2.00 <em>capped</em></td>",
		"<strong>cost</strong>: ", "<strong>speed</strong>: ", "<strong>balanced</strong>: ", "<strong>objectives</strong>: ",
		"api (always on t4g.small)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	best := ""
	for _, b := range verdict.BestSizes(verdict.Judge(in.Targets, in.Objectives, in.Costs), in.Scenario.Targets) {
		best = b.Target
	}
	if best == "" || best == "fn-128" {
		t.Errorf("best size %q, want one that meets its objective", best)
	}
	if n := strings.Count(out, "<svg"); n != 5 {
		t.Errorf("report has %d charts, want 5 (the power tuning chart too)", n)
	}
	selfContained(t, out)

	goldenPage(t, "tuning.golden.html", out)
}
