package tuning

import (
	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/bench/verdict"
	"github.com/coldbench/coldbench/targets/lambda"
)

// Sweep is one swept target of a run: what each of its memory sizes
// measured and cost, and the size each strategy chooses.
type Sweep struct {
	// Base is the swept target's name in the scenario file.
	Base string `json:"sweep"`
	// Weight is the balanced strategy's weight of cost.
	Weight float64 `json:"balanced_weight"`
	// Sizes are the sizes that ran, in the order of the sweep.
	Sizes []Size `json:"sizes"`
	// Choices holds the size each strategy chooses, in the order of
	// Strategies; a strategy without a measured size is left out.
	Choices []Choice `json:"choices,omitempty"`
}

// Choice is the size a strategy chooses.
type Choice struct {
	Strategy Strategy `json:"strategy"`
	Target   string   `json:"target"`
	MemoryMB int      `json:"memory_mb"`
}

// Size is one memory size of a sweep, as it ran.
type Size struct {
	Target   string `json:"target"`
	MemoryMB int    `json:"memory_mb"`
	// Runtime is where its environments ran (container or process).
	Runtime string `json:"runtime,omitempty"`
	// VCPUs is the CPU share of the size's containers after INIT
	// (lambda.Resources), 0 where environments did not run in
	// containers and so had every core; Capped says this machine's CPUs
	// (or Lambda's 6 vCPU) cut it below Lambda's 1,769 MB per vCPU.
	VCPUs  float64 `json:"vcpus,omitempty"`
	Capped bool    `json:"capped,omitempty"`
	// Priced says the size has a price; PerMillion is what a million
	// requests cost, USD (cost.LambdaCost.PerMillion).
	Priced     bool    `json:"priced"`
	PerMillion float64 `json:"per_million_usd"`
	// Warm, Cold and All are the latencies of its classes, corrected
	// for coordinated omission where the run has them.
	Warm Latency `json:"warm"`
	Cold Latency `json:"cold"`
	All  Latency `json:"all"`
	// ColdStarts of the Relayed requests (cold and warm) started an
	// execution environment.
	ColdStarts int64 `json:"cold_starts"`
	Relayed    int64 `json:"relayed"`
	// Errors of the Requests sent got no 2xx response (429s included):
	// the latencies, and so the strategies, leave them out, as Power
	// Tuning leaves out failed invocations.
	Requests int64 `json:"requests"`
	Errors   int64 `json:"errors"`
}

// Latency is the p50 and p99 of one class, in µs; Count is 0 (and the
// percentiles too) when the class had no successful response.
type Latency struct {
	P50       int64 `json:"p50_us"`
	P99       int64 `json:"p99_us"`
	Count     int64 `json:"count"`
	Corrected bool  `json:"corrected,omitempty"`
	Net       bool  `json:"net,omitempty"` // less host wait (verdict.Latencies)
}

// ColdShare returns the share of relayed requests that started an
// environment.
func (s Size) ColdShare() float64 {
	if s.Relayed == 0 {
		return 0
	}
	return float64(s.ColdStarts) / float64(s.Relayed)
}

// Duration is the latency the speed and balanced strategies minimise, in
// µs: the p99 of all successful responses, corrected for coordinated
// omission where the run has it. Power Tuning's trimmed mean of billed
// durations leaves cold starts and the tail out; a client waits them.
func (s Size) Duration() int64 { return s.All.P99 }

// Point is s as the strategies see it.
func (s Size) Point() Point {
	return Point{CostPerMillion: s.PerMillion, Duration: float64(s.Duration()), Measured: s.Priced && s.All.Count > 0}
}

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
