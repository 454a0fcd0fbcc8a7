package verdict

import "github.com/coldbench/coldbench/bench/scenario"

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

// BestSizes returns the best size of each sweep of targets (the
// scenario's: scenario.Target.Sweep groups them), in the order of the
// sweeps: the first of its sizes in v's ranking, which puts those that
// meet every objective naming them first, cheapest first, if that one
// meets them.
func BestSizes(v Verdict, targets []scenario.Target) []BestSize {
	sweepOf := map[string]scenario.Target{}
	var out []BestSize
	at := map[string]int{}
	for _, t := range targets {
		if b := t.Sweep.Base; b != "" {
			sweepOf[t.Name] = t
			if _, ok := at[b]; !ok {
				at[b] = len(out)
				out = append(out, BestSize{Sweep: b})
			}
		}
	}
	done := map[string]bool{}
	for _, s := range v.Ranking {
		t, ok := sweepOf[s.Target]
		if !ok || done[t.Sweep.Base] {
			continue
		}
		done[t.Sweep.Base] = true
		if s.MeetsAll() {
			out[at[t.Sweep.Base]] = BestSize{Sweep: t.Sweep.Base, Target: s.Target, MemoryMB: t.Sweep.MemoryMB, Monthly: s.Monthly, Priced: s.Priced}
		}
	}
	return out
}
