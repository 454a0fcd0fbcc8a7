package tuning

import (
	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/bench/verdict"
	"github.com/coldbench/coldbench/targets/lambda"
)

// Analyze returns the sweeps of sc as they ran: for each, the sizes that
// were recorded (targets), priced by costs (by name; a missing or
// unpriced one has no price), and the choice of each strategy. hostCPUs
// is the CPUs of the machine the containers ran on, 0 when unknown
// (Lambda's 6 vCPU still caps). It returns nil for a scenario without a
// sweep.
func Analyze(sc *scenario.Scenario, targets []*record.Target, costs map[string]*cost.Result, hostCPUs int) []Sweep {
	if sc == nil {
		return nil
	}
	byName := map[string]*record.Target{}
	for _, t := range targets {
		if t != nil {
			byName[t.Name] = t
		}
	}
	bases, sizes := sc.Sweeps()
	var out []Sweep
	for _, b := range bases {
		sw := Sweep{Base: b, Weight: sizes[b][0].Sweep.Weight}
		for _, t := range sizes[b] {
			if rec := byName[t.Name]; rec != nil {
				sw.Sizes = append(sw.Sizes, size(t, rec, costs[t.Name], hostCPUs))
			}
		}
		points := make([]Point, len(sw.Sizes))
		for i, s := range sw.Sizes {
			points[i] = s.Point()
		}
		for _, st := range Strategies() {
			if i := Best(points, st, sw.Weight); i >= 0 {
				sw.Choices = append(sw.Choices, Choice{Strategy: st, Target: sw.Sizes[i].Target, MemoryMB: sw.Sizes[i].MemoryMB})
			}
		}
		out = append(out, sw)
	}
	return out
}

// size measures the target t of a sweep, recorded as rec and priced by c.
func size(t *scenario.Target, rec *record.Target, c *cost.Result, hostCPUs int) Size {
	s := Size{Target: t.Name, MemoryMB: t.Sweep.MemoryMB, Runtime: rec.Runtime}
	if rec.Runtime == lambda.ContainerSandbox {
		_, nano, capped := lambda.Resources(s.MemoryMB, hostCPUs)
		s.VCPUs, s.Capped = float64(nano)/1e9, capped
	}
	if _, ok := c.Priced(); ok {
		s.Priced, s.PerMillion = true, c.View().PerMillion.Value
	}
	s.Warm, s.Cold, s.All = latency(rec, rec.Classes[record.Warm]), latency(rec, rec.Classes[record.Cold]), latency(rec, rec.Classes[record.All])
	if cold := rec.Classes[record.Cold]; cold != nil {
		s.ColdStarts, s.Relayed = cold.Counts.Requests, cold.Counts.Requests
	}
	if w := rec.Classes[record.Warm]; w != nil {
		s.Relayed += w.Counts.Requests
	}
	if all := rec.Classes[record.All]; all != nil {
		s.Requests, s.Errors = all.Counts.Requests, all.Counts.Errors
	}
	return s
}

// latency returns the p50 and p99 of series s of target t, as the verdict
// reads them.
func latency(t *record.Target, s *record.Series) Latency {
	h, corrected, net := verdict.Latencies(t, s)
	if h == nil {
		return Latency{}
	}
	return Latency{P50: h.ValueAtQuantile(50), P99: h.ValueAtQuantile(99), Count: h.TotalCount(), Corrected: corrected, Net: net}
}
