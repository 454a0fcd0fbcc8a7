package harness

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/coldbench/coldbench/bench/attack"
	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
)

// price prices each measured target alone, for the ranking, and the first
// function against the first server, for the break-even; it says what
// could not be priced in notes.
func price(sc *scenario.Scenario, ms []measured, interrupted bool) (alone map[string]*cost.Result, pair *cost.Result, notes []string) {
	var recs []*record.Target
	for _, m := range ms {
		recs = append(recs, m.rec)
	}
	base := cost.Input{Traffic: traffic(sc.Phases, recs)}
	if interrupted {
		base.Notes = append(base.Notes, "The run was interrupted: the usage covers part of the schedule, so these figures are too low.")
	}
	if sc.Concurrent && len(ms) > 1 {
		base.Notes = append(base.Notes, "The targets ran at the same time, competing for the cores: each one's CPU time and durations include that contention.")
	}
	prices, err := cost.Default()
	if err != nil {
		return nil, nil, []string{"Cost: not priced: " + err.Error()}
	}
	alone = map[string]*cost.Result{}
	var fn, srv *measured
	for i, m := range ms {
		if m.rep.Usage == nil {
			if m.rep.Unpriced != "" {
				notes = append(notes, fmt.Sprintf("Cost: %s not priced: %s", m.target.Name, m.rep.Unpriced))
			}
			continue
		}
		in := base
		in.Notes = append(slices.Clone(base.Notes), m.rep.CostNotes...)
		in.Lambda, in.Server = m.rep.Usage.Lambda, m.rep.Usage.Server
		res, err := cost.Compute(prices, m.target.Cost, in)
		if err != nil {
			notes = append(notes, fmt.Sprintf("Cost: %s not priced: %v (the scenario's cost section or the target's own settings)", m.target.Name, err))
			continue
		}
		alone[m.target.Name] = res
		switch {
		case in.Lambda != nil && fn == nil:
			fn = &ms[i]
		case in.Server != nil && srv == nil:
			srv = &ms[i]
		}
	}
	if fn != nil && srv != nil {
		c := srv.target.Cost
		c.Architecture = fn.target.Cost.Architecture
		in := base
		in.Notes = append(slices.Clone(base.Notes), slices.Concat(fn.rep.CostNotes, srv.rep.CostNotes)...)
		in.Lambda, in.Server = fn.rep.Usage.Lambda, srv.rep.Usage.Server
		pair, err = cost.Compute(prices, c, in)
		if err != nil {
			notes = append(notes, fmt.Sprintf("Cost: %s against %s not priced: %v", fn.target.Name, srv.target.Name, err))
		}
	}
	return alone, pair, notes
}

// printCost prints each target's monthly cost, in run order, and the
// break-even of pair in one line.
func printCost(w io.Writer, names []string, alone map[string]*cost.Result, pair *cost.Result) {
	var parts []string
	region := ""
	for _, name := range names {
		res := alone[name]
		if res == nil {
			continue
		}
		region = res.Region
		if l := res.Lambda; l != nil {
			if l.Unpriced != "" {
				parts = append(parts, name+" not priced ("+l.Unpriced+")")
			} else {
				parts = append(parts, fmt.Sprintf("%s $%.2f/month ($%.3g per million requests)", name, l.Monthly.Value, l.PerMillion.Value))
			}
		}
		if s := res.Server; s != nil {
			parts = append(parts, fmt.Sprintf("%s $%.2f/month on %g × %s ($%.3g per million requests)",
				name, s.Monthly.Value, s.Instances.Value, s.Instance, s.PerMillion.Value))
		}
	}
	if pair != nil && pair.BreakEven != nil && pair.BreakEven.Found {
		parts = append(parts, fmt.Sprintf("break-even %.3g requests/s on average", pair.BreakEven.Rate.Value))
	}
	if len(parts) > 0 {
		fmt.Fprintf(w, "cost (%s, this pattern all month): %s\n", region, strings.Join(parts, "; "))
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
	}
	return 0
}
