package runs

import "fmt"

// The verdict as summary.json holds it (Summary.Objectives and
// Summary.Verdict): package verdict works it out, the report and the
// terminal word it.

// Verdict is a run judged over all of its targets: a ranking, the best
// target, and the cold-start tax of each target that has cold starts.
type Verdict struct {
	// Ranking holds every target, best first: those that meet every
	// objective that names them, cheapest first; then the others by how
	// many objectives they meet, then by cost. Unpriced targets come after
	// priced ones of the same standing; ties keep the run order.
	Ranking []Standing `json:"ranking"`
	// Best is the first target of the ranking if it meets every objective
	// that names it (with no objectives, every target does); empty when
	// none does.
	Best string `json:"best,omitempty"`
	// Reference is the target the taxes are measured against: see
	// Reference. Empty when the run has no server-like target.
	Reference string `json:"reference,omitempty"`
	// Taxes holds the tax of each target with a cold class against
	// Reference, in run order; empty without a Reference.
	Taxes []Tax `json:"cold_start_taxes,omitempty"`
	// Sizes holds the best memory size of each sweep of the scenario
	// (BestSizes); empty without a sweep.
	Sizes []BestSize `json:"best_sizes,omitempty"`
}

// Standing is one target's row of the ranking: what it costs a month and
// how it served the run.
type Standing struct {
	Target string `json:"target"`
	Kind   string `json:"kind"` // for labels only
	// Monthly is what the target costs a month at this traffic pattern,
	// USD, from its own price (cost.Result: Lambda.Monthly or
	// Server.Monthly); Priced is false when it has no price.
	Monthly float64 `json:"monthly_usd"`
	Priced  bool    `json:"priced"`
	// P50, P99 and P999 are the latencies of the target's class all, in
	// µs, read as Latencies says: less host wait (Net), else corrected for
	// coordinated omission (Corrected); Latency is false when it had no
	// successful response.
	P50       int64 `json:"p50_us"`
	P99       int64 `json:"p99_us"`
	P999      int64 `json:"p99_9_us"`
	Corrected bool  `json:"corrected"`
	Net       bool  `json:"net,omitempty"`
	Latency   bool  `json:"latency"`
	// Requests were sent to the target; Errors got no 2xx response;
	// Throttled of them were answered 429.
	Requests  int64 `json:"requests"`
	Errors    int64 `json:"errors"`
	Throttled int64 `json:"throttled"`
	// HasCold says the target records a cold class; ColdStarts of its
	// Relayed requests (cold and warm: those an execution environment
	// served) started an environment.
	HasCold    bool  `json:"has_cold"`
	ColdStarts int64 `json:"cold_starts"`
	Relayed    int64 `json:"relayed"`
	// Judged counts the objectives that name the target and had data;
	// Met of them were met, Broken broken.
	Judged int `json:"objectives_judged"`
	Met    int `json:"objectives_met"`
	Broken int `json:"objectives_broken"`
}

// ErrorRate returns the share of requests without a 2xx response.
func (s Standing) ErrorRate() float64 { return share(s.Errors, s.Requests) }

// ThrottleRate returns the share of requests answered 429.
func (s Standing) ThrottleRate() float64 { return share(s.Throttled, s.Requests) }

// ColdShare returns the share of relayed requests that started an
// execution environment; 0 for a target without a cold class.
func (s Standing) ColdShare() float64 { return share(s.ColdStarts, s.Relayed) }

// MeetsAll reports whether the target breaks none of the objectives that
// name it.
func (s Standing) MeetsAll() bool { return s.Broken == 0 }

func share(part, whole int64) float64 {
	if whole <= 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// Tax is the cold-start tax of one target with cold starts: what its tail
// and its cold starts cost in latency against a reference target (Judge's
// Reference, the best server-like one), on the same schedule.
type Tax struct {
	Target    string `json:"target"`
	Reference string `json:"reference"`
	// Percentiles of all successful responses, in µs, measured from when
	// each request was sent (not corrected), of the target and of the
	// reference; each less host wait where it was measured and the
	// scenario did not keep it (Net, RefNet).
	P99     int64 `json:"p99_us"`
	RefP99  int64 `json:"reference_p99_us"`
	P999    int64 `json:"p99_9_us"`
	RefP999 int64 `json:"reference_p99_9_us"`
	// ColdStarts counts the requests that started an execution environment,
	// of Requests relayed to one (cold and warm).
	ColdStarts int64 `json:"cold_starts"`
	Requests   int64 `json:"relayed"`
	// ColdP50 is the median latency of cold requests, in µs.
	ColdP50 int64 `json:"cold_p50_us"`
	Net     bool  `json:"net,omitempty"`
	RefNet  bool  `json:"reference_net,omitempty"`
}

// ColdRate returns the share of requests that were cold starts.
func (t Tax) ColdRate() float64 { return share(t.ColdStarts, t.Requests) }

// BestSize is the memory size a sweep's verdict names: the cheapest of its
// sizes that meets every objective naming it.
type BestSize struct {
	Sweep string `json:"sweep"` // the swept target's name in the scenario
	// Target is the best size's target, empty when none of the sweep's
	// sizes meets every objective naming it.
	Target   string `json:"target,omitempty"`
	MemoryMB int    `json:"memory_mb,omitempty"`
	// Monthly is what it costs a month, USD; Priced is false when it has
	// no price (then it is the first unpriced size that meets them).
	Monthly float64 `json:"monthly_usd,omitempty"`
	Priced  bool    `json:"priced"`
}

// Outcome is one objective judged against a run.
type Outcome struct {
	Objective string `json:"objective"` // as written in the scenario
	Target    string `json:"target"`
	Class     string `json:"class"`
	Metric    string `json:"metric"`
	// Value is what the run measured: milliseconds for a latency metric, a
	// fraction for error_rate; Limit is the objective's bound in the same
	// unit.
	Value float64 `json:"value"`
	Limit float64 `json:"limit"`
	Unit  string  `json:"unit"` // "ms" or "fraction"
	Met   bool    `json:"met"`
	// NoData says the class had no response to judge: the objective is
	// neither met nor broken.
	NoData bool `json:"no_data,omitempty"`
	// Corrected says the latency was read from the histogram corrected for
	// coordinated omission: from when each request was due.
	Corrected bool `json:"corrected,omitempty"`
	// Net says the latency was read from the histogram less host wait
	// (record.Series.Net): from when each request was sent, less the time
	// the target waited for a CPU this machine gave to something else.
	Net bool `json:"net,omitempty"`
	// Sweep is the swept target the objective was written for, when it
	// judges one of its sizes (scenario.Objective.Sweep).
	Sweep string `json:"sweep,omitempty"`
}

// Broken reports whether the outcome breaks its objective.
func (o Outcome) Broken() bool { return !o.Met && !o.NoData }

// String says the outcome in a line, such as
// "lambda p99 < 250ms: 1210 ms, broken".
func (o Outcome) String() string {
	switch {
	case o.NoData:
		return fmt.Sprintf("%s: no %s responses to judge", o.Objective, o.Class)
	case o.Met:
		return fmt.Sprintf("%s: %s, met", o.Objective, o.format(o.Value))
	}
	return fmt.Sprintf("%s: %s, broken", o.Objective, o.format(o.Value))
}

func (o Outcome) format(v float64) string {
	if o.Unit == "fraction" {
		return fmt.Sprintf("%.3g%%", v*100)
	}
	if v >= 100 {
		return fmt.Sprintf("%.0f ms", v) // %.3g would write 2.31e+03
	}
	return fmt.Sprintf("%.3g ms", v)
}
