package verdict

import (
	"github.com/coldbench/coldbench/bench/record"
)

// Tax is the cold-start tax: what the function's tail and its cold starts
// cost in latency against the always-on server, on the same schedule.
type Tax struct {
	// Percentiles of all successful responses, in µs, measured (not
	// corrected), for the function and the server.
	LambdaP99, ServerP99   int64
	LambdaP999, ServerP999 int64
	// ColdStarts counts the requests that started an execution environment,
	// of Requests relayed to one.
	ColdStarts, Requests int64
	// ColdP50 is the median latency of cold requests, in µs.
	ColdP50 int64
}

// ColdRate returns the share of requests that were cold starts.
func (t Tax) ColdRate() float64 {
	if t.Requests == 0 {
		return 0
	}
	return float64(t.ColdStarts) / float64(t.Requests)
}

// ColdStartTax returns the tax of a run that had both targets, or nil.
func ColdStartTax(targets []*record.Target) *Tax {
	l := series(targets, "lambda", record.All)
	s := series(targets, "server", record.All)
	if l == nil || s == nil || l.Histogram == nil || s.Histogram == nil ||
		l.Histogram.TotalCount() == 0 || s.Histogram.TotalCount() == 0 {
		return nil
	}
	t := &Tax{
		LambdaP99: l.Histogram.ValueAtQuantile(99), ServerP99: s.Histogram.ValueAtQuantile(99),
		LambdaP999: l.Histogram.ValueAtQuantile(99.9), ServerP999: s.Histogram.ValueAtQuantile(99.9),
	}
	if c := series(targets, "lambda", record.Cold); c != nil {
		t.ColdStarts = c.Counts.Requests
		if c.Histogram != nil && c.Histogram.TotalCount() > 0 {
			t.ColdP50 = c.Histogram.ValueAtQuantile(50)
		}
	}
	if w := series(targets, "lambda", record.Warm); w != nil {
		t.Requests = t.ColdStarts + w.Counts.Requests
	}
	return t
}
