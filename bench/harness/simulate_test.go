package harness_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/coldbench/coldbench/bench/harness"
	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/kinds/lambdakind"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/testkit"
)

// TestSimulationAgreesWithRouter replays a short trace at its own speed
// into real RIE processes and checks that the simulation of the same
// trace, over the same fleet rules with the latencies the run measured,
// counts the cold starts and throttles the router counted, within the
// tolerance docs/scenarios.md gives: 1 cold start and 3 throttles, or 20% of
// them if more. Both come from the same rules; they part where the
// simulation's drawn invocation times order a burst's ends differently
// from the real ones, and by the phase of the reaper's tick.
func TestSimulationAgreesWithRouter(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes; skipped with -short")
	}
	sc, err := scenario.Load("testdata/validate.yaml", all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	bin := kit.Dir()
	kit.Binaries(t)
	res, err := harness.Run(context.Background(), harness.Config{
		Scenario: sc, ReportsDir: t.TempDir(), BinDir: bin, RunID: "validate", Progress: testWriter{t},
		Kinds: sandboxed(t, lambdakind.Process),
	})
	if err != nil {
		t.Fatal(err)
	}
	testkit.AwaitNoProcesses(t, bin)
	var sum runs.Summary
	readJSON(t, filepath.Join(res.Dir, runs.SummaryFile), &sum)
	fn := sum.Targets["lambda"]
	if fn.Simulation == nil || fn.Counters == nil {
		t.Fatalf("no simulation (%v) or router counts (%v)", fn.Simulation, fn.Counters)
	}
	sim, real := fn.Simulation.Total, fn.Counters
	t.Logf("router: %d cold starts, %d throttled, peak busy %d; simulation: %d cold starts, %d throttled, peak concurrency %d",
		must(real.Get("started")), must(real.Get("throttled"))+must(real.Get("scale_throttled")), must(real.Get("peak_busy")), sim.ColdStarts, sim.Throttled+sim.ScaleThrottled, sim.PeakConcurrency)
	if sim.Requests != 246 {
		t.Errorf("simulated %d requests, want the trace's 246", sim.Requests)
	}
	within := func(what string, got, want int64, abs int64) {
		tol := max(abs, want/5)
		if d := got - want; d < -tol || d > tol {
			t.Errorf("%s: simulated %d, the router counted %d: more than ±%d apart", what, got, want, tol)
		}
	}
	within("cold starts", sim.ColdStarts, must(real.Get("started")), 1)
	within("throttles", sim.Throttled+sim.ScaleThrottled, must(real.Get("throttled"))+must(real.Get("scale_throttled")), 3)
}
