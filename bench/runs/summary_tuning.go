package runs

// A memory sweep's power tuning as summary.json holds it (Summary.Tuning):
// package tuning works it out, the report draws it.

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

// Strategy is a way to choose the best memory size.
type Strategy string

// Point is one memory size as the strategies see it.
type Point struct {
	// CostPerMillion is what a million requests cost at this size, USD.
	CostPerMillion float64
	// Duration is the latency the speed and balanced strategies
	// minimise, in any unit, the same for every point.
	Duration float64
	// Measured says the size has a price and a duration above 0; the
	// strategies consider no other point, as Power Tuning drops sizes
	// without an average duration.
	Measured bool
}

// Considered reports whether the strategies consider p.
func (p Point) Considered() bool { return p.Measured && p.Duration > 0 && p.CostPerMillion >= 0 }
