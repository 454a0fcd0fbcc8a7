package record

// Merge says how the runs of several load generators combine a counter
// (bench/merge): each ran its own shard of the system.
type Merge string

// The ways counters merge.
const (
	// MergeSum adds the generators' values: events, and peaks, whose sum
	// bounds the peak of the shards together from above.
	MergeSum Merge = "sum"
	// MergeMax takes the largest.
	MergeMax Merge = "max"
	// MergeNone drops the counter from a merged run: a snapshot (how
	// many were live at the end, a pool's target) whose sum means
	// nothing.
	MergeNone Merge = "none"
)

// Counter is one labelled count a kind reports of its target besides the
// requests: what an emulated service did (environments started, requests
// throttled, faults by kind). The report's table and merge read
// counters, never a kind's own types.
type Counter struct {
	Key   string `json:"key"`   // stable, for scripts: started, pool_misses
	Label string `json:"label"` // how the report's table names it
	Value int64  `json:"value"`
	Merge Merge  `json:"merge"`
	// Report says the report's table shows it, when it is not zero for
	// every target (the first of a kind's counters always); the others
	// are in summary.json only.
	Report bool `json:"report,omitempty"`
}

// Counters are a target's counters, in the order its kind reports them.
type Counters []Counter

// Get returns the value of the counter key, and whether there is one.
func (cs Counters) Get(key string) (int64, bool) {
	for _, c := range cs {
		if c.Key == key {
			return c.Value, true
		}
	}
	return 0, false
}

// MergeCounters combines the counters of the runs of several load
// generators, each by its rule, in the order they first appear. A counter
// of rule MergeNone, of rules that disagree, or missing from one of the
// runs (written by a coldbench from before it) is dropped: a sum of some
// of the generators' would look like all of theirs. It returns nil when
// nothing is left.
func MergeCounters(runs []Counters) Counters {
	var out Counters
	at := map[string]int{}
	dropped := map[string]bool{}
	in := map[string]int{} // how many runs have the counter
	for _, cs := range runs {
		for _, c := range cs {
			in[c.Key]++
		}
	}
	for _, cs := range runs {
		for _, c := range cs {
			if dropped[c.Key] {
				continue
			}
			i, seen := at[c.Key]
			switch {
			case in[c.Key] != len(runs), c.Merge != MergeSum && c.Merge != MergeMax:
				dropped[c.Key] = true
			case !seen:
				at[c.Key] = len(out)
				out = append(out, c)
			case out[i].Merge != c.Merge:
				dropped[c.Key] = true
			case c.Merge == MergeSum:
				out[i].Value += c.Value
			default:
				out[i].Value = max(out[i].Value, c.Value)
			}
		}
	}
	var kept Counters
	for _, c := range out {
		if !dropped[c.Key] {
			kept = append(kept, c)
		}
	}
	return kept
}
