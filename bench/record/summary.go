package record

import (
	"strconv"

	"github.com/coldbench/coldbench/targets/lambda"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Stats summarises one class: its counts and the percentiles of the
// latencies of its successful responses, in microseconds, measured from
// when each request was sent and, in Corrected, from when it was due.
type Stats struct {
	Requests int64            `json:"requests"`
	Errors   int64            `json:"errors"`
	Codes    map[string]int64 `json:"codes"` // by HTTP status; "0" is no response
	OK       int64            `json:"ok"`    // responses in the histogram
	Latency
	Corrected *Latency `json:"corrected,omitempty"`
	// Net is the latency less host wait (Series.Net), and WaitShare the
	// share of the latency that was host wait; both only where the
	// target's host wait was measured.
	Net       *Latency `json:"net,omitempty"`
	WaitShare *float64 `json:"host_wait_share,omitempty"`
	// Outside summarises, behind the router, the part of each latency
	// outside it (Series.Outside).
	Outside *PartStats `json:"outside_router,omitempty"`
}

// Latency holds the mean and percentiles of a histogram, in microseconds,
// each read straight from the HdrHistogram: exact to its precision (3
// significant digits), with no interpolation or sketch in between.
type Latency struct {
	Mean   float64 `json:"mean_us"`
	P50    int64   `json:"p50_us"`
	P90    int64   `json:"p90_us"`
	P99    int64   `json:"p99_us"`
	P999   int64   `json:"p99_9_us"`
	P9999  int64   `json:"p99_99_us"`
	P99999 int64   `json:"p99_999_us"`
	Max    int64   `json:"max_us"`
}

// Summarize returns the Stats of s.
func Summarize(s *Series) Stats {
	st := Stats{
		Requests: s.Counts.Requests,
		Errors:   s.Counts.Errors,
		Codes:    make(map[string]int64, len(s.Counts.Codes)),
		OK:       s.Histogram.TotalCount(),
		Latency:  LatencyOf(s.Histogram),
	}
	for code, n := range s.Counts.Codes {
		st.Codes[strconv.Itoa(code)] = n
	}
	if s.Corrected != nil && s.Corrected.TotalCount() > 0 {
		c := LatencyOf(s.Corrected)
		st.Corrected = &c
	}
	return st
}

// SummarizeNet returns the Stats of s with its net latency and host-wait
// share, for a target whose host wait was measured.
func SummarizeNet(s *Series) Stats {
	st := Summarize(s)
	if s.Net != nil && s.Net.TotalCount() > 0 {
		n, share := LatencyOf(s.Net), s.WaitShare()
		st.Net, st.WaitShare = &n, &share
	}
	if s.Outside != nil && s.Outside.TotalCount() > 0 {
		o := SummarizePart(s.Outside)
		st.Outside = &o
	}
	return st
}

// LatencyOf returns the mean and percentiles of h; zero if h is empty.
func LatencyOf(h *hdrhistogram.Histogram) Latency {
	if h.TotalCount() == 0 {
		return Latency{}
	}
	return Latency{
		Mean: h.Mean(), P50: q(h, 50), P90: q(h, 90), P99: q(h, 99),
		P999: q(h, 99.9), P9999: q(h, 99.99), P99999: q(h, 99.999), Max: h.Max(),
	}
}

func q(h *hdrhistogram.Histogram, p float64) int64 { return h.ValueAtQuantile(p) }

// TargetSummary is the summary of one target: its classes over the whole
// run and per phase.
type TargetSummary struct {
	Kind       string          `json:"kind"`              // the target's kind (scenario.Kind)
	Runtime    string          `json:"runtime,omitempty"` // where a Lambda function's environments ran
	ColdStarts int             `json:"cold_starts"`
	Classes    map[Class]Stats `json:"classes"`
	Phases     []PhaseSummary  `json:"phases"`
	// Anatomy summarises the parts of the successful cold starts, and
	// NetAnatomy the same less their host wait.
	Anatomy    *AnatomySummary `json:"cold_start_anatomy,omitempty"`
	NetAnatomy *AnatomySummary `json:"cold_start_anatomy_net,omitempty"`
	// HostWait says the target's host wait was measured: the classes'
	// net figures and the net anatomy hold it.
	HostWait bool `json:"host_wait_measured,omitempty"`
	// Queue summarises the router's waits for an environment.
	Queue *PartStats `json:"router_queue,omitempty"`
	// Lag summarises the load generator's lateness (Target.Lag): how long
	// after their due times requests were sent.
	Lag *PartStats `json:"generator_lag,omitempty"`
	// Counters are what the target's kind counted (Target.Counters).
	Counters Counters `json:"counters,omitempty"`
	// Code is the code the target ran, where its kind says.
	Code *Code `json:"code,omitempty"`
	// Schedule is the run's own schedule through Lambda's rules
	// (Target.Schedule).
	Schedule *lambda.SimResult `json:"schedule_by_lambda_rules,omitempty"`
	// Simulation is, for a scenario that replays a trace, the whole trace
	// simulated over the target's fleet (Target.Simulation).
	Simulation *lambda.SimResult `json:"whole_trace_simulation,omitempty"`
}

// PartStats summarises a histogram of durations that are not latencies
// of responses (a part of the cold starts, the router's waits, the
// generator's lag), in microseconds.
type PartStats struct {
	Count int64 `json:"count"`
	P50   int64 `json:"p50_us"`
	P90   int64 `json:"p90_us"`
	P99   int64 `json:"p99_us"`
	Max   int64 `json:"max_us"`
}

// SummarizePart returns the PartStats of the histogram h.
func SummarizePart(h *hdrhistogram.Histogram) PartStats {
	return PartStats{Count: h.TotalCount(), P50: q(h, 50), P90: q(h, 90), P99: q(h, 99), Max: h.Max()}
}

// PhaseSummary is the summary of one phase of one target.
type PhaseSummary struct {
	Name    string          `json:"name"`
	StartS  float64         `json:"start_s"`
	EndS    float64         `json:"end_s"`
	Classes map[Class]Stats `json:"classes"`
	// Lag summarises the generator's lateness in the phase.
	Lag *PartStats `json:"generator_lag,omitempty"`
}

// SummarizeTarget returns the summary of t.
func SummarizeTarget(t *Target) TargetSummary {
	ts := TargetSummary{Kind: t.Kind, Runtime: t.Runtime, ColdStarts: len(t.ColdStarts), Classes: summarizeClasses(t.Classes, t.HostWait), Counters: t.Counters, Code: t.Code, Simulation: t.Simulation, Schedule: t.Schedule, HostWait: t.HostWait}
	if t.Anatomy != nil {
		a := t.Anatomy.Summary()
		ts.Anatomy = &a
	}
	if t.NetAnatomy != nil && t.HostWait {
		a := t.NetAnatomy.Summary()
		ts.NetAnatomy = &a
	}
	if t.Queue != nil {
		q := SummarizePart(t.Queue)
		ts.Queue = &q
	}
	ts.Lag = summarizeLag(t.Lag)
	for _, p := range t.Phases {
		ts.Phases = append(ts.Phases, PhaseSummary{
			Name: p.Name, StartS: p.Start.Seconds(), EndS: p.End.Seconds(),
			Classes: summarizeClasses(p.Classes, t.HostWait), Lag: summarizeLag(p.Lag),
		})
	}
	return ts
}

// summarizeLag returns the PartStats of a lag histogram; nil if h is nil
// or empty (no scheduled request).
func summarizeLag(h *hdrhistogram.Histogram) *PartStats {
	if h == nil || h.TotalCount() == 0 {
		return nil
	}
	s := SummarizePart(h)
	return &s
}

func summarizeClasses(m map[Class]*Series, hostWait bool) map[Class]Stats {
	out := make(map[Class]Stats, len(m))
	for c, s := range m {
		if hostWait {
			out[c] = SummarizeNet(s)
		} else {
			out[c] = Summarize(s)
		}
	}
	return out
}
