package tuning_test

import (
	"testing"

	"github.com/coldbench/coldbench/bench/kinds/all"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/bench/tuning"
)

// function returns a recorded function of warm responses of warmUs µs
// (corrected: one more ms) and cold ones of coldUs µs.
func function(name string, warm, cold int64, warmUs, coldUs int64) *record.Target {
	s := func() *record.Series {
		return &record.Series{Histogram: record.NewHistogram(), Corrected: record.NewHistogram()}
	}
	w, c, all := s(), s(), s()
	w.Histogram.RecordValues(warmUs, warm)
	w.Corrected.RecordValues(warmUs+1000, warm)
	w.Counts.Requests = warm
	c.Histogram.RecordValues(coldUs, cold)
	c.Corrected.RecordValues(coldUs, cold)
	c.Counts.Requests = cold
	for _, x := range []*record.Series{w, c} {
		all.Histogram.Merge(x.Histogram)
		all.Corrected.Merge(x.Corrected)
	}
	all.Counts.Requests = warm + cold
	return &record.Target{Name: name, Kind: "lambda", Runtime: "container",
		Classes: map[record.Class]*record.Series{record.All: all, record.Warm: w, record.Cold: c}}
}

func priced(perMillion float64) *cost.Result {
	return &cost.Result{Lambda: &cost.LambdaCost{PerMillion: cost.Figure{Value: perMillion}}}
}

func TestAnalyze(t *testing.T) {
	sc, err := scenario.Parse("x.yaml", []byte(`targets:
  fn: {kind: lambda, sweep: {memory: [128, 1769, 4096], weight: 0.5}}
  api: {kind: server}
phases: [{duration: 1s, shape: idle}]
`), all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	// 128 MB: 98 warm at 60 ms, 2 cold at 300 ms: p99 of all 300 ms
	// (the 99th of 100 is cold). 1,769 MB: 99 warm at 5 ms, 1 cold:
	// p99 6 ms (the corrected warm). 4,096 MB did not run.
	targets := []*record.Target{function("fn-128", 98, 2, 60_000, 300_000), function("fn-1769", 99, 1, 5_000, 200_000)}
	costs := map[string]*cost.Result{"fn-128": priced(0.50), "fn-1769": priced(0.60)}
	got := tuning.Analyze(sc, targets, costs, 2)
	if len(got) != 1 || got[0].Base != "fn" || got[0].Weight != 0.5 || len(got[0].Sizes) != 2 {
		t.Fatalf("Analyze = %+v, want one sweep fn of 2 sizes", got)
	}
	small, big := got[0].Sizes[0], got[0].Sizes[1]
	if small.MemoryMB != 128 || small.VCPUs < 0.0723 || small.VCPUs > 0.0724 || small.Capped {
		t.Errorf("128 MB: %d MB, %g vCPU, capped %v; want 0.0724 (128/1769) vCPU, not capped", small.MemoryMB, small.VCPUs, small.Capped)
	}
	if small.ColdStarts != 2 || small.Relayed != 100 || small.ColdShare() != 0.02 {
		t.Errorf("128 MB: %d of %d cold, want 2 of 100", small.ColdStarts, small.Relayed)
	}
	// Histogram buckets: 300 ms is recorded as 300,031 µs at its top
	// (3 significant digits), 61 ms as 61,023.
	if p := small.Duration(); p < 299_000 || p > 301_000 {
		t.Errorf("128 MB duration %d µs, want the cold 300 ms", p)
	}
	if w := small.Warm; w.P50 < 60_900 || w.P50 > 61_100 || !w.Corrected || w.Count != 98 {
		t.Errorf("128 MB warm %+v, want corrected p50 61 ms of 98", w)
	}
	if big.VCPUs != 1 || big.Capped || big.Duration() < 5_990 || big.Duration() > 6_010 {
		t.Errorf("1,769 MB: %g vCPU, capped %v, duration %d µs; want 1, false, 6 ms", big.VCPUs, big.Capped, big.Duration())
	}
	// cost: 0.50 < 0.60 → 128 MB. speed: 6 ms < 300 ms → 1,769 MB.
	// balanced, w = 0.5: 128: 0.5·0.5/0.6 + 0.5·300/300 = 0.417 + 0.5 = 0.917;
	// 1769: 0.5·0.6/0.6 + 0.5·6/300 = 0.5 + 0.01 = 0.51 → 1,769 MB.
	want := []tuning.Choice{{Strategy: tuning.Cost, Target: "fn-128", MemoryMB: 128}, {Strategy: tuning.Speed, Target: "fn-1769", MemoryMB: 1769}, {Strategy: tuning.Balanced, Target: "fn-1769", MemoryMB: 1769}}
	if c := got[0].Choices; len(c) != 3 || c[0] != want[0] || c[1] != want[1] || c[2] != want[2] {
		t.Errorf("choices %+v, want %+v", c, want)
	}

	// 4,096 MB asks for 2.3 vCPU, which 2 CPUs cap; unknown CPUs
	// (0) cap only at Lambda's 6.
	targets = append(targets, function("fn-4096", 10, 0, 5_000, 0))
	for cpus, want := range map[int]bool{2: true, 0: false} {
		s := tuning.Analyze(sc, targets, costs, cpus)[0].Sizes[2]
		if s.Capped != want {
			t.Errorf("4,096 MB on %d CPUs: capped %v (%g vCPU), want %v", cpus, s.Capped, s.VCPUs, want)
		}
		if s.Priced || s.Point().Measured {
			t.Errorf("4,096 MB has no price but is measured: %+v", s)
		}
	}
	// Process environments have every core: no share, never capped.
	targets[2].Runtime = "process"
	if s := tuning.Analyze(sc, targets, costs, 2)[0].Sizes[2]; s.VCPUs != 0 || s.Capped {
		t.Errorf("4,096 MB in processes: %g vCPU, capped %v; want 0, false", s.VCPUs, s.Capped)
	}
	if got := tuning.Analyze(nil, targets, costs, 2); got != nil {
		t.Errorf("Analyze without a scenario = %+v", got)
	}
}
