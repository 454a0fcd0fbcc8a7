package verdict

import (
	"github.com/coldbench/coldbench/bench/record"
)

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
