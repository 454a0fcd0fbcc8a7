package lmikind

import (
	"math"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/scenario"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/record"
)

// TestBillByHand checks one bill against a computation by hand with the
// sources' numbers: 4 c7g.xlarge instances on average over an hour
// ($0.145 an hour on demand, us-east-1, prices.json), Lambda's 15% fee
// on them and $0.20 per million requests, at 100 requests/s.
//
//	instances: 4 × 730 h × $0.145     = $423.40
//	fee:       15% × $423.40          =  $63.51
//	requests:  100/s × 730 h = 262.8 M × $0.20/M = $52.56
//	month:                              $539.47, $2.0528 per million
func TestBillByHand(t *testing.T) {
	p, err := cost.Default()
	if err != nil {
		t.Fatal(err)
	}
	u := usage{s: Settings{Instance: "c7g.xlarge", MemoryMB: 2048, MemoryPerVCPU: 2, MaxConcurrency: 32},
		InstanceSeconds: 4 * 3600, Seconds: 3600, PeakInstances: 5, Requests: 360_000, Source: "test"}
	traffic := cost.Traffic{Seconds: 3600, Requests: 360_000, AverageRate: 100, PeakRate: 100}
	r, err := u.Price(p, cost.Config{}, cost.Input{Traffic: traffic})
	if err != nil {
		t.Fatal(err)
	}
	v := r.View()
	near := func(got, want float64) bool { return math.Abs(got-want) < 0.005 }
	if !near(v.Monthly.Value, 539.47) || !near(v.Parts[0].Value, 423.40) || !near(v.Parts[1].Value, 63.51) || !near(v.Parts[2].Value, 52.56) {
		t.Errorf("month %.2f (instances %.2f, fee %.2f, requests %.2f), want 539.47 (423.40, 63.51, 52.56)",
			v.Monthly.Value, v.Parts[0].Value, v.Parts[1].Value, v.Parts[2].Value)
	}
	if math.Abs(v.PerMillion.Value-539.47/262.8) > 1e-3 {
		t.Errorf("per million %.4f, want %.4f", v.PerMillion.Value, 539.47/262.8)
	}
	if m, ok := r.Priced(); !ok || !v.AlwaysOn || m != v.Monthly.Value {
		t.Errorf("priced %v %v, always on %v", m, ok, v.AlwaysOn)
	}

	// Fewer than the minimum of 3 instances is billed as 3.
	u.InstanceSeconds = 1 * 3600
	r, _ = u.Price(p, cost.Config{}, cost.Input{Traffic: traffic})
	if got := r.View().Parts[0].Value; !near(got, 3*730*0.145) {
		t.Errorf("one instance on average: instances $%.2f, want 3 × 730 × $0.145 = $%.2f", got, 3*730*0.145)
	}
}

// TestSimulate runs a trace through the fleet's rules on a virtual clock:
// ten minutes at 1 request/s, then ten at 30 (thirty times more in a
// minute, far more than double): each request holds a slot 2 s, so the
// burst needs 60 slots where 3 environments of 4 have 12, and the fleet
// may at most double over five minutes: 6 at the burst, 12 five minutes
// later, never the 15 it wants; it throttles meanwhile, as AWS says it
// may, and its instances follow the environments: 3 (the minimum) for
// fifteen minutes, then 6, about 3.75 on average.
func TestSimulate(t *testing.T) {
	counts := make([]int, 20)
	for i := range counts {
		counts[i] = 60
		if i >= 10 {
			counts[i] = 1800
		}
	}
	tr := &scenario.TraceData{Interval: time.Minute, Counts: counts, Spacing: scenario.Even, Length: 20 * time.Minute, To: 20 * time.Minute, Speed: 1, Seed: 1}
	h := record.NewHistogram()
	h.RecordValue(2_000_000) // µs
	rec := &record.Target{Classes: map[record.Class]*record.Series{record.All: {Histogram: h}}}
	s := Settings{MaxConcurrency: 4, MinEnvironments: 3, MaxEnvironments: 20, TargetUtilization: 0.5, Period: time.Second, MemoryMB: 2048, MemoryPerVCPU: 2}
	sim, err := simulate(tr, s, rec, 500*time.Millisecond, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	if sim.requests != 60*10+1800*10 {
		t.Errorf("%d requests, want %d", sim.requests, 60*10+1800*10)
	}
	if sim.throttled == 0 || sim.peakEnvs != 12 {
		t.Errorf("throttled %d, peak environments %d: want throttles and the fleet doubled twice, to 12", sim.throttled, sim.peakEnvs)
	}
	if avg := sim.instanceSeconds / sim.span.Seconds(); avg < 3.6 || avg > 3.9 {
		t.Errorf("average instances %.3g: want about 3.75", avg)
	}
}
