package verdict

import (
	"fmt"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
)

// Check judges each objective against the targets of a run. Latencies are
// read as Latencies says: less host wait where it was measured, else
// corrected for coordinated omission.
func Check(objectives []scenario.Objective, targets []*record.Target) []Outcome {
	out := make([]Outcome, 0, len(objectives))
	for _, o := range objectives {
		oc := Outcome{Objective: o.Text, Target: string(o.Target), Class: o.Class, Metric: o.Metric, Sweep: o.Sweep}
		t, s := series(targets, string(o.Target), record.Class(o.Class))
		if o.Metric == scenario.ErrorRate {
			oc.Unit, oc.Limit = "fraction", o.MaxErrorRate
			if s == nil || s.Counts.Requests == 0 {
				oc.NoData = true
			} else {
				oc.Value = float64(s.Counts.Errors) / float64(s.Counts.Requests)
				oc.Met = oc.Value <= o.MaxErrorRate
			}
			out = append(out, oc)
			continue
		}
		oc.Unit, oc.Limit = "ms", ms(o.Limit)
		h, corrected, net := latencies(t, s)
		if h == nil {
			oc.NoData = true
			out = append(out, oc)
			continue
		}
		oc.Corrected, oc.Net = corrected, net
		oc.Value = metric(h, o.Metric) / 1000
		oc.Met = oc.Value < oc.Limit
		out = append(out, oc)
	}
	return out
}

// Broken returns the outcomes that break their objective.
func Broken(outcomes []Outcome) []Outcome {
	var b []Outcome
	for _, o := range outcomes {
		if o.Broken() {
			b = append(b, o)
		}
	}
	return b
}

// series returns the target called name and its series of class c, or
// nils.
func series(targets []*record.Target, name string, c record.Class) (*record.Target, *record.Series) {
	for _, t := range targets {
		if t != nil && t.Name == name {
			return t, t.Classes[c]
		}
	}
	return nil, nil
}

// Latencies returns the histogram of series s of target t that objectives
// are judged on and the ranking, power tuning and the bill read:
//
//   - net, less host wait (record.Series.Net), where t's host wait was
//     measured and its scenario did not ask to keep it (host_wait: keep):
//     the latency as a function with vCPUs of its own would have seen it;
//   - else corrected for coordinated omission, from when each request was
//     due, when it has values: the wait a client on the schedule sees;
//   - else as measured;
//
// nil when none has values.
func Latencies(t *record.Target, s *record.Series) (h *hdrhistogram.Histogram, corrected, net bool) {
	return latencies(t, s)
}

func latencies(t *record.Target, s *record.Series) (h *hdrhistogram.Histogram, corrected, net bool) {
	switch {
	case s == nil:
		return nil, false, false
	case t != nil && t.Net() && s.Net != nil && s.Net.TotalCount() > 0:
		return s.Net, false, true
	case s.Corrected != nil && s.Corrected.TotalCount() > 0:
		return s.Corrected, true, false
	case s.Histogram != nil && s.Histogram.TotalCount() > 0:
		return s.Histogram, false, false
	}
	return nil, false, false
}

// metric returns the latency metric m of h, in µs.
func metric(h *hdrhistogram.Histogram, m string) float64 {
	switch m {
	case "mean":
		return h.Mean()
	case "max":
		return float64(h.Max())
	}
	var p float64
	fmt.Sscanf(m, "p%g", &p)
	return float64(h.ValueAtQuantile(p))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
