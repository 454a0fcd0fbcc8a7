package verdict

import (
	"cmp"
	"net/http"
	"slices"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/record"
)

// Judge ranks the targets of a run from what each offers: its classes, its
// own price in costs (by name; a missing or unpriced one has no cost) and
// the outcomes of the objectives that name it (Check). It never looks at a
// target's name or kind to decide.
func Judge(targets []*record.Target, outcomes []Outcome, costs map[string]*cost.Result) Verdict {
	var v Verdict
	var recs []*record.Target
	for _, t := range targets {
		if t == nil {
			continue
		}
		recs = append(recs, t)
		v.Ranking = append(v.Ranking, standing(t, outcomes, costs[t.Name]))
	}
	slices.SortStableFunc(v.Ranking, compare)
	if len(v.Ranking) > 0 && v.Ranking[0].MeetsAll() {
		v.Best = v.Ranking[0].Target
	}
	ref := Reference(recs, v.Ranking, costs)
	if ref == nil {
		return v
	}
	v.Reference = ref.Name
	for _, t := range recs {
		if t == ref || t.Classes[record.Cold] == nil {
			continue
		}
		if tax := TaxOf(t, ref); tax != nil {
			v.Taxes = append(v.Taxes, *tax)
		}
	}
	return v
}

// compare orders two standings as the ranking does.
func compare(a, b Standing) int {
	if a.MeetsAll() != b.MeetsAll() {
		return boolFirst(a.MeetsAll(), b.MeetsAll())
	}
	if !a.MeetsAll() {
		if c := cmp.Compare(b.Met, a.Met); c != 0 {
			return c
		}
	}
	if a.Priced != b.Priced {
		return boolFirst(a.Priced, b.Priced)
	}
	return cmp.Compare(a.Monthly, b.Monthly)
}

// boolFirst orders true before false.
func boolFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

// standing measures t for the ranking.
func standing(t *record.Target, outcomes []Outcome, c *cost.Result) Standing {
	s := Standing{Target: t.Name, Kind: t.Kind}
	s.Monthly, s.Priced = Monthly(c)
	if all := t.Classes[record.All]; all != nil {
		s.Requests, s.Errors = all.Counts.Requests, all.Counts.Errors
		s.Throttled = all.Counts.Codes[http.StatusTooManyRequests]
		if h, corrected, net := latencies(t, all); h != nil {
			s.Latency, s.Corrected, s.Net = true, corrected, net
			s.P50, s.P99, s.P999 = h.ValueAtQuantile(50), h.ValueAtQuantile(99), h.ValueAtQuantile(99.9)
		}
	}
	if cold := t.Classes[record.Cold]; cold != nil {
		s.HasCold = true
		s.ColdStarts = cold.Counts.Requests
		s.Relayed = cold.Counts.Requests
		if w := t.Classes[record.Warm]; w != nil {
			s.Relayed += w.Counts.Requests
		}
	}
	for _, o := range outcomes {
		if o.Target != t.Name || o.NoData {
			continue
		}
		s.Judged++
		if o.Met {
			s.Met++
		} else {
			s.Broken++
		}
	}
	return s
}

// Monthly returns what the target priced by c costs a month at the run's
// traffic pattern, and whether c prices it (cost.Result.Priced).
func Monthly(c *cost.Result) (float64, bool) { return c.Priced() }

// Reference returns the target that cold-start taxes are measured
// against, the best server-like target, or nil: of the targets priced as
// always on (cost.View.AlwaysOn) or without a cold class, the one
// with the lowest p99 of class all (corrected where the run has it) among
// those that meet every objective naming them; if none of them does, the
// one with the lowest p99. A target without a successful response is never
// the reference; ties keep the run order. ranking gives the objectives met
// (Judge's).
func Reference(targets []*record.Target, ranking []Standing, costs map[string]*cost.Result) *record.Target {
	var best *record.Target
	var bestP99 int64
	bestMeets := false
	for _, t := range targets {
		c := costs[t.Name]
		if !(c != nil && c.View().AlwaysOn) && t.Classes[record.Cold] != nil {
			continue
		}
		h, _, _ := latencies(t, t.Classes[record.All])
		if h == nil {
			continue
		}
		meets := true
		if i := slices.IndexFunc(ranking, func(s Standing) bool { return s.Target == t.Name }); i >= 0 {
			meets = ranking[i].MeetsAll()
		}
		p99 := h.ValueAtQuantile(99)
		if best == nil || (meets && !bestMeets) || (meets == bestMeets && p99 < bestP99) {
			best, bestP99, bestMeets = t, p99, meets
		}
	}
	return best
}

// p returns the value of h at quantile q, 0 for an empty or nil one.
func p(h *hdrhistogram.Histogram, q float64) int64 {
	if h == nil || h.TotalCount() == 0 {
		return 0
	}
	return h.ValueAtQuantile(q)
}
