package verdict

import "github.com/coldbench/coldbench/bench/scenario"

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
