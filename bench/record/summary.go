package record

import (
	"strconv"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Stats summarises one class: its counts and the percentiles of the
// latencies of its successful responses, in microseconds.
type Stats struct {
	Requests int64            `json:"requests"`
	Errors   int64            `json:"errors"`
	Codes    map[string]int64 `json:"codes"` // by HTTP status; "0" is no response
	OK       int64            `json:"ok"`    // responses in the histogram
	Mean     float64          `json:"mean_us"`
	P50      int64            `json:"p50_us"`
	P90      int64            `json:"p90_us"`
	P99      int64            `json:"p99_us"`
	P999     int64            `json:"p99_9_us"`
	P9999    int64            `json:"p99_99_us"`
	Max      int64            `json:"max_us"`
}

// Summarize returns the Stats of s.
func Summarize(s *Series) Stats {
	h := s.Histogram
	st := Stats{
		Requests: s.Counts.Requests,
		Errors:   s.Counts.Errors,
		Codes:    make(map[string]int64, len(s.Counts.Codes)),
		OK:       h.TotalCount(),
	}
	for code, n := range s.Counts.Codes {
		st.Codes[strconv.Itoa(code)] = n
	}
	if st.OK > 0 {
		st.Mean = h.Mean()
		st.P50, st.P90, st.P99 = q(h, 50), q(h, 90), q(h, 99)
		st.P999, st.P9999, st.Max = q(h, 99.9), q(h, 99.99), h.Max()
	}
	return st
}

func q(h *hdrhistogram.Histogram, p float64) int64 { return h.ValueAtQuantile(p) }

// TargetSummary is the summary of one target: its classes over the whole
// run and per phase.
type TargetSummary struct {
	ColdStarts int             `json:"cold_starts"`
	Classes    map[Class]Stats `json:"classes"`
	Phases     []PhaseSummary  `json:"phases"`
	// Anatomy summarises the parts of the successful cold starts.
	Anatomy *AnatomySummary `json:"cold_start_anatomy,omitempty"`
	// Queue summarises the router's waits for an environment.
	Queue *PartStats `json:"router_queue,omitempty"`
}

// PartStats summarises one part of the cold starts, in microseconds.
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
}

// SummarizeTarget returns the summary of t.
func SummarizeTarget(t *Target) TargetSummary {
	ts := TargetSummary{ColdStarts: len(t.ColdStarts), Classes: summarizeClasses(t.Classes)}
	if t.Anatomy != nil {
		a := t.Anatomy.Summary()
		ts.Anatomy = &a
	}
	if t.Queue != nil {
		q := SummarizePart(t.Queue)
		ts.Queue = &q
	}
	for _, p := range t.Phases {
		ts.Phases = append(ts.Phases, PhaseSummary{
			Name: p.Name, StartS: p.Start.Seconds(), EndS: p.End.Seconds(),
			Classes: summarizeClasses(p.Classes),
		})
	}
	return ts
}

func summarizeClasses(m map[Class]*Series) map[Class]Stats {
	out := make(map[Class]Stats, len(m))
	for c, s := range m {
		out[c] = Summarize(s)
	}
	return out
}
