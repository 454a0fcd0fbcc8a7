package verdict

import (
	"github.com/coldbench/coldbench/bench/record"
)

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

// TaxOf returns the tax of t against ref, or nil when either has no
// successful response in its class all.
func TaxOf(t, ref *record.Target) *Tax {
	if t == nil || ref == nil {
		return nil
	}
	l, s := t.Classes[record.All], ref.Classes[record.All]
	if l == nil || s == nil || empty(l) || empty(s) {
		return nil
	}
	lh, net := t.Sent(l)
	sh, refNet := ref.Sent(s)
	tax := &Tax{
		Target: t.Name, Reference: ref.Name,
		P99: p(lh, 99), RefP99: p(sh, 99),
		P999: p(lh, 99.9), RefP999: p(sh, 99.9),
		Net: net, RefNet: refNet,
	}
	if c := t.Classes[record.Cold]; c != nil {
		tax.ColdStarts = c.Counts.Requests
		ch, _ := t.Sent(c)
		tax.ColdP50 = p(ch, 50)
	}
	tax.Requests = tax.ColdStarts
	if w := t.Classes[record.Warm]; w != nil {
		tax.Requests += w.Counts.Requests
	}
	return tax
}

// empty reports whether s has no successful response.
func empty(s *record.Series) bool { return s.Histogram == nil || s.Histogram.TotalCount() == 0 }
