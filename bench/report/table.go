package report

import (
	"fmt"
	"strconv"
	"strings"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
)

// stats are the columns every table shares, formatted.
type stats struct {
	Class    string
	Requests string
	Errors   string
	Codes    string // non-2xx outcomes by status code, e.g. "429 x12"
	P50      string // milliseconds, or none
	P90      string
	P99      string
	P999     string
	P9999    string
	P99999   string
	Max      string
}

// statRow is one row of the percentile table: one class of one target.
type statRow struct {
	Target string
	First  bool // first row of its target
	stats
}

// phaseRow is one row of the per-phase table: one class of one target in one
// phase.
type phaseRow struct {
	Target      string
	Phase       string
	FirstTarget bool   // first row of its target
	FirstPhase  bool   // first row of its phase
	Note        string // why the phase has no rows of data, if it has none
	stats
}

// newStats formats the statistics of class c of series s.
func newStats(c record.Class, s *record.Series) stats {
	st := stats{
		Class:    string(c),
		Requests: strconv.FormatInt(s.Counts.Requests, 10),
		Errors:   strconv.FormatInt(s.Counts.Errors, 10),
		Codes:    codes(s.Counts.Codes),
		P50:      none,
		P90:      none,
		P99:      none,
		P999:     none,
		P9999:    none,
		P99999:   none,
		Max:      none,
	}
	h := hist(s)
	if h == nil {
		return st
	}
	return st.withPercentiles(h)
}

// withPercentiles returns st with the percentiles of h, read straight from
// the histogram.
func (st stats) withPercentiles(h *hdrhistogram.Histogram) stats {
	v := h.ValueAtPercentilesSlice([]float64{50, 90, 99, 99.9, 99.99, 99.999})
	st.P50, st.P90, st.P99, st.P999, st.P9999, st.P99999 = ms(v[0]), ms(v[1]), ms(v[2]), ms(v[3]), ms(v[4]), ms(v[5])
	st.Max = ms(h.Max())
	return st
}

// statRows returns the percentile table: every class of every target over
// the whole run.
func statRows(targets []*record.Target) []statRow {
	var rows []statRow
	for _, t := range targets {
		classes := classOrder(t.Classes)
		if len(classes) == 0 {
			rows = append(rows, statRow{Target: t.Name, First: true, stats: newStats(record.All, overall(t))})
			continue
		}
		for i, c := range classes {
			rows = append(rows, statRow{Target: t.Name, First: i == 0, stats: newStats(c, t.Classes[c])})
		}
	}
	return rows
}

// correctedRows returns the table of latencies corrected for coordinated
// omission: every class of every target that has them.
func correctedRows(targets []*record.Target) []statRow {
	var rows []statRow
	for _, t := range targets {
		first := true
		for _, c := range classOrder(t.Classes) {
			s := t.Classes[c]
			if s.Corrected == nil || s.Corrected.TotalCount() == 0 {
				continue
			}
			rows = append(rows, statRow{Target: t.Name, First: first, stats: newStats(c, s).withPercentiles(s.Corrected)})
			first = false
		}
	}
	return rows
}

// correctedNote says in one sentence how far the corrected latencies are from
// the measured ones, and what that means: the largest relative difference
// over every class of every target, up to p99.9.
func correctedNote(targets []*record.Target) string {
	var worst float64
	var where string
	for _, t := range targets {
		for _, c := range classOrder(t.Classes) {
			s := t.Classes[c]
			if hist(s) == nil || s.Corrected == nil || s.Corrected.TotalCount() == 0 {
				continue
			}
			for _, p := range []float64{50, 90, 99, 99.9} {
				m, k := s.Histogram.ValueAtQuantile(p), s.Corrected.ValueAtQuantile(p)
				if d := float64(k-m) / float64(max(m, 1)); d > worst {
					worst, where = d, fmt.Sprintf("%s %s p%g: %s ms measured, %s ms corrected", t.Name, c, p, ms(m), ms(k))
				}
			}
		}
	}
	if where == "" {
		return ""
	}
	if worst < 0.01 {
		return "Corrected and measured latencies agree to within 1% up to p99.9: the load generator kept to its schedule, so no queueing delay was hidden from the measured figures."
	}
	size := fmt.Sprintf("%.0f%% more", worst*100)
	if worst >= 1 {
		size = fmt.Sprintf("%.1f times as much", worst+1)
	}
	return fmt.Sprintf("The largest difference is %s (%s): requests left the load generator later than the schedule meant, and the measured figures leave that wait out, so read the corrected ones as what a client on that schedule would see.", size, where)
}

// lagNote says in one sentence how late the load generator sent its
// requests (Target.Lag: sent minus due), median and p99 per target, and
// what that means for the corrected latencies; empty if no target recorded
// a lag.
func lagNote(targets []*record.Target) string {
	var parts []string
	for _, t := range targets {
		if t.Lag == nil || t.Lag.TotalCount() == 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s ms median and %s ms p99 for %s",
			ms(t.Lag.ValueAtQuantile(50)), ms(t.Lag.ValueAtQuantile(99)), t.Name))
	}
	if len(parts) == 0 {
		return ""
	}
	return "The load generator's own lag (how long after its due time each request left, <target>/lag in histograms.hlog) was " +
		strings.Join(parts, ", ") + ": that much of a corrected latency is the generator's lateness, not the target's, " +
		"so corrected figures above the measured ones by no more than it say nothing against the target."
}

// phaseRows returns the per-phase table: every class of every target in
// every phase. Phases of the schedule that a target did not record (the run
// was interrupted) get a row saying so.
func phaseRows(in Input) []phaseRow {
	var rows []phaseRow
	for _, t := range in.Targets {
		first := len(rows)
		seen := map[string]bool{}
		for _, p := range t.Phases {
			if p == nil {
				continue
			}
			seen[p.Name] = true
			name := p.Name
			if idle(in.Scenario, p.Name) {
				name += " (idle)"
			}
			classes := classOrder(p.Classes)
			if len(classes) == 0 {
				rows = append(rows, phaseRow{Target: t.Name, Phase: name, FirstPhase: true, Note: "no requests"})
				continue
			}
			for i, c := range classes {
				rows = append(rows, phaseRow{
					Target:     t.Name,
					Phase:      name,
					FirstPhase: i == 0,
					stats:      newStats(c, p.Classes[c]),
				})
			}
		}
		if in.Scenario != nil {
			for _, p := range in.Scenario.Phases {
				if seen[p.Name] {
					continue
				}
				note := "no data"
				if in.Interrupted {
					note = "not run: the run was interrupted"
				}
				rows = append(rows, phaseRow{Target: t.Name, Phase: p.Name, FirstPhase: true, Note: note})
			}
		}
		if len(rows) > first {
			rows[first].FirstTarget = true
		}
	}
	return rows
}

// idle reports whether the phase called name has no traffic in s.
func idle(s *scenario.Scenario, name string) bool {
	if s == nil {
		return false
	}
	for _, p := range s.Phases {
		if p.Name == name {
			return p.Shape == scenario.Idle
		}
	}
	return false
}
