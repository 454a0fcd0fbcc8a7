package harness

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/coldbench/coldbench/bench/attack"
	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/bench/verdict"
)

// price prices each measured target alone and says what could not be
// priced in notes.
func price(sc *scenario.Scenario, ms []measured, interrupted bool) (alone map[string]*cost.Result, notes []string) {
	var recs []*record.Target
	for _, m := range ms {
		recs = append(recs, m.rec)
	}
	base := cost.Input{Traffic: traffic(sc.Phases, recs)}
	whole := sc.Trace()
	if whole != nil {
		whole = whole.Whole()
		base.Traffic = wholeTraffic(whole)
	}
	if interrupted && whole != nil {
		base.Notes = append(base.Notes, "The run was interrupted: the latencies the whole trace was simulated with, and the capacity it was priced with, come from part of the replay.")
	} else if interrupted {
		base.Notes = append(base.Notes, "The run was interrupted: the usage covers part of the schedule, so these figures are too low.")
	}
	if sc.Concurrent && len(ms) > 1 {
		base.Notes = append(base.Notes, "The targets ran at the same time, competing for the cores: each one's CPU time and durations include that contention.")
	}
	prices, err := cost.Default()
	if err != nil {
		return nil, []string{"Cost: not priced: " + err.Error()}
	}
	alone = map[string]*cost.Result{}
	for _, m := range ms {
		if m.rep.Usage == nil {
			if m.rep.Unpriced != "" {
				notes = append(notes, fmt.Sprintf("Cost: %s not priced: %s", m.target.Name, m.rep.Unpriced))
			}
			continue
		}
		in := base
		in.Notes = append(slices.Clone(base.Notes), m.rep.CostNotes...)
		u := m.rep.Usage
		if whole != nil {
			var why string
			if u, why = overTrace(m, whole); u == nil {
				notes = append(notes, fmt.Sprintf("Cost: %s not priced: %s", m.target.Name, why))
				continue
			}
			in.Notes = append(in.Notes, why)
		}
		res, err := u.Price(prices, m.target.Cost, in)
		if err != nil {
			notes = append(notes, fmt.Sprintf("Cost: %s not priced: %v (the scenario's cost section or the target's own settings)", m.target.Name, err))
			continue
		}
		alone[m.target.Name] = res
	}
	return alone, notes
}

// wholeTraffic is the traffic of the whole trace tr, at its own speed: the
// span a month is priced from.
func wholeTraffic(tr *scenario.TraceData) cost.Traffic {
	t := cost.Traffic{Seconds: tr.Length.Seconds(), Requests: float64(tr.Requests()), PeakRate: tr.PeakRate(), Trace: true}
	if t.Seconds > 0 {
		t.AverageRate = t.Requests / t.Seconds
	}
	t.Source = fmt.Sprintf("the whole trace %s (%s, %d requests) at its own speed; peak the busiest %s of it",
		tr.File, tr.Length, tr.Requests(), map[bool]string{true: "second", false: "interval"}[tr.Interval == 0])
	return t
}

// overTrace returns what the measured target m would use over the whole
// trace tr, and how that was worked out, or nil and why it cannot say: a
// kind that simulates the trace says it (kinds.Report.Trace); else its
// usage scales itself to the trace's requests, if it can
// (kinds.Usage.Scaled).
func overTrace(m measured, tr *scenario.TraceData) (kinds.Usage, string) {
	if m.rep.Trace != nil {
		if m.rep.Trace.Usage == nil {
			return nil, strings.Join(m.rep.Trace.Notes, " ")
		}
		return m.rep.Trace.Usage, strings.Join(m.rep.Trace.Notes, " ")
	}
	return m.rep.Usage.Scaled(int64(tr.Requests()))
}

// printVerdict prints each target's monthly cost in the verdict's order
// with the front door it was priced behind, the break-even of each
// function against the reference, and the best target.
func printVerdict(w io.Writer, v verdict.Verdict, alone map[string]*cost.Result) {
	var parts []string
	region, pattern := "", "this pattern all month"
	for _, st := range v.Ranking {
		res := alone[st.Target]
		if res == nil {
			continue
		}
		region = res.Region
		if tr := res.Input.Traffic; tr.Trace {
			pattern = fmt.Sprintf("the whole trace, %.3g times a month", tr.Repeats())
			if n := tr.Repeats(); n >= 100 {
				pattern = fmt.Sprintf("the whole trace, %.0f times a month", n)
			}
		}
		if cv := res.View(); cv.Unpriced != "" {
			parts = append(parts, st.Target+" not priced ("+cv.Unpriced+")")
		} else {
			parts = append(parts, fmt.Sprintf("%s $%.2f/month %s ($%.3g per million requests)",
				st.Target, cv.Monthly.Value, cv.Brief, cv.PerMillion.Value))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(w, "cost (%s, %s): %s\n", region, pattern, strings.Join(parts, "; "))
	}
	if ref := alone[v.Reference]; ref != nil {
		for _, st := range v.Ranking {
			if be := cost.BreakEvenOf(alone[st.Target], st.Target, ref, v.Reference); be != nil && be.Found {
				fmt.Fprintf(w, "break-even: %s is cheaper than %s below %.3g requests/s on average\n", st.Target, v.Reference, be.Rate.Value)
			}
		}
	}
	switch {
	case v.Best != "" && !v.Ranking[0].Priced:
		fmt.Fprintf(w, "verdict: %s meets every objective naming it, but has no price to rank it by\n", v.Best)
	case v.Best != "":
		fmt.Fprintf(w, "verdict: %s, the cheapest target that meets every objective naming it\n", v.Best)
	case len(v.Ranking) > 0:
		fmt.Fprintln(w, "verdict: no target meets every objective naming it; see the ranking in the report")
	}
}

// traffic returns the shape of the schedule: its expected requests, from
// attack.Expected, and its peak rate. A rate: max phase has no schedule:
// what the busiest target was sent in it stands for it.
func traffic(phases []scenario.Phase, targets []*record.Target) cost.Traffic {
	var t cost.Traffic
	closed := false
	for i, p := range phases {
		d := p.Duration.Seconds()
		t.Seconds += d
		n, peak := attack.Expected(p), peakRate(p)
		if p.Max {
			closed = true
			for _, tg := range targets {
				if i < len(tg.Phases) && tg.Phases[i] != nil {
					if s := tg.Phases[i].Classes[record.All]; s != nil {
						n = max(n, float64(s.Counts.Requests))
					}
				}
			}
			peak = n / d
		}
		t.Requests += n
		t.PeakRate = max(t.PeakRate, peak)
	}
	if t.Seconds > 0 {
		t.AverageRate = t.Requests / t.Seconds
	}
	t.Source = "the scenario's phases: requests expected from each phase's rate (attack.Expected), peak the highest rate of any phase"
	if closed {
		t.Source += "; rate: max phases count what the busiest target was sent"
	}
	return t
}

// peakRate returns the highest request rate of phase p.
func peakRate(p scenario.Phase) float64 {
	switch p.Shape {
	case scenario.Constant:
		return p.Rate
	case scenario.Ramp:
		return max(p.From, p.To)
	case scenario.Sine:
		// It starts at the mean going up and reaches the top a quarter
		// period in.
		if T := p.Period.Seconds(); p.Duration.Seconds() < T/4 {
			return p.Mean + p.Amplitude*math.Sin(2*math.Pi*p.Duration.Seconds()/T)
		}
		return p.Mean + p.Amplitude
	case scenario.Trace:
		if p.Trace != nil {
			return p.Trace.PeakRate() // the busiest interval's, times the speed
		}
	}
	return 0
}
