package attack

import (
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/coldbench/coldbench/bench/scenario"
)

// TracePacer replays a trace phase: request k (from 0) is due Due[k] into
// the phase. Due holds every request of the phase's window, in run time.
type TracePacer struct {
	Due []time.Duration // sorted, each below the phase's duration
}

// NewTracePacer returns the pacer of the trace tr: its intervals' counts
// spread within each interval (evenly, or uniformly at random seeded by
// tr.Seed and the interval's place in the trace, so the same interval gets
// the same times whatever the window), or its timestamps, all divided by
// tr.Speed.
func NewTracePacer(tr *scenario.TraceData) *TracePacer {
	return &TracePacer{Due: TraceOffsets(tr)}
}

// TraceOffsets returns when each request of tr's window is due, in run
// time from the phase's start, sorted.
func TraceOffsets(tr *scenario.TraceData) []time.Duration {
	due := make([]time.Duration, 0, tr.Requests())
	for d := range TraceArrivals(tr) {
		due = append(due, d)
	}
	return due
}

// TraceArrivals yields when each request of tr's window is due, in run
// time from the phase's start, in order, as TraceOffsets returns them but
// one interval at a time: it holds at most one interval's requests, so
// that a simulation of a whole trace does not grow with its requests.
func TraceArrivals(tr *scenario.TraceData) iter.Seq[time.Duration] {
	end := tr.RunDuration()
	run := func(trace time.Duration) time.Duration {
		d := time.Duration(math.Round(float64(trace) / tr.Speed))
		return min(d, end-1) // rounding never puts one at the end
	}
	return func(yield func(time.Duration) bool) {
		if tr.Interval == 0 {
			for _, o := range tr.Offsets {
				if !yield(run(o)) {
					return
				}
			}
			return
		}
		first := uint64(tr.From / tr.Interval) // the window's first interval in the trace
		var at []time.Duration
		for i, c := range tr.Counts {
			start := time.Duration(i) * tr.Interval
			switch tr.Spacing {
			case scenario.Poisson:
				// Given their count, Poisson arrivals are uniform over
				// the interval.
				rng := rand.New(rand.NewPCG(tr.Seed, first+uint64(i)))
				at = slices.Grow(at[:0], c)[:c]
				for j := range at {
					at[j] = time.Duration(rng.Int64N(int64(tr.Interval)))
				}
				slices.Sort(at)
				for _, a := range at {
					if !yield(run(start + a)) {
						return
					}
				}
			default:
				for j := range c {
					if !yield(run(start + tr.Interval*time.Duration(j)/time.Duration(c))) {
						return
					}
				}
			}
		}
	}
}

// Pace implements vegeta.Pacer: request hits is due at Due[hits]; past the
// last, stop.
func (tp *TracePacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if hits >= uint64(len(tp.Due)) {
		return 0, true
	}
	return tp.Due[hits] - elapsed, false
}

// Rate implements vegeta.Pacer: the requests due in the second from
// elapsed.
func (tp *TracePacer) Rate(elapsed time.Duration) float64 {
	return float64(tp.before(elapsed+time.Second) - tp.before(elapsed))
}

// before returns how many requests are due before t.
func (tp *TracePacer) before(t time.Duration) int {
	return sort.Search(len(tp.Due), func(i int) bool { return tp.Due[i] >= t })
}

// traceHitsAt returns how many requests of trace tr are due before run
// time t: whole intervals' counts and the part of the interval t is in,
// or the timestamps before it; at or past the window's end, all of them.
func traceHitsAt(tr *scenario.TraceData, t time.Duration) float64 {
	if t >= tr.RunDuration() {
		return float64(tr.Requests())
	}
	trace := time.Duration(float64(t) * tr.Speed)
	if tr.Interval == 0 {
		return float64(sort.Search(len(tr.Offsets), func(i int) bool { return tr.Offsets[i] >= trace }))
	}
	n := 0.0
	for i, c := range tr.Counts {
		start := time.Duration(i) * tr.Interval
		if start+tr.Interval <= trace {
			n += float64(c)
			continue
		}
		n += float64(c) * float64(trace-start) / float64(tr.Interval)
		break
	}
	return n
}
