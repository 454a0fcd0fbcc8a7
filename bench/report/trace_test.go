package report

import (
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/scenario"
	lambdapkg "github.com/coldbench/coldbench/targets/lambda"
)

// TestTraceSection checks the section of a scenario that replays a trace:
// both clocks, the replayed window beside the simulated whole trace, and
// the chart of the simulation hour by hour.
func TestTraceSection(t *testing.T) {
	in := synthetic()
	tr := &scenario.TraceData{File: "traces/day.csv", Format: scenario.TraceAzure, Interval: time.Minute,
		Counts: make([]int, 240), From: 7 * time.Hour, To: 11 * time.Hour, Length: 24 * time.Hour, Speed: 288}
	in.Scenario.Phases = []scenario.Phase{{Name: "morning", Shape: scenario.Trace, Duration: tr.RunDuration(), Trace: tr}}
	for _, tg := range in.Targets {
		if tg.Kind != string(lambdaKind) {
			continue
		}
		sim := &lambdapkg.SimResult{Span: 24 * time.Hour, Bucket: time.Hour, Buckets: make([]lambdapkg.SimCounts, 24)}
		sim.Buckets[9] = lambdapkg.SimCounts{Requests: 1200, Invocations: 1190, ColdStarts: 7, Throttled: 10, PeakConcurrency: 4}
		sim.Total = sim.Buckets[9]
		tg.Simulation = sim
	}
	out := render(t, in)
	for _, want := range []string{
		`<section id="trace">`,
		"Replayed: 7:00 to 11:00 of traces/day.csv (4h0m0s of trace, 0 requests) in 50s of run, at speed 288: trace time = run time × 288.",
		"Simulated: the whole trace, 24h0m0s",
		"<td>1,200</td><td>7</td><td>10</td><td>4</td>",
		"per hour of trace", "hours of trace", "grow by up to 288",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	in.Scenario.Phases = nil
	if out := render(t, in); strings.Contains(out, `<section id="trace">`) {
		t.Error("a scenario without a trace has a trace section")
	}
}
