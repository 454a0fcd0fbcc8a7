package attack

import (
	"iter"
	"time"

	"github.com/coldbench/coldbench/bench/scenario"
)

// ScheduleArrivals returns the due times of every request of phases, from
// the schedule's start and in order: what the attack meant to send, for a
// simulation of the same traffic on a virtual clock (lambda.Simulate).
// Request k of a constant, ramp or sine phase is due when the integral of
// its rate reaches k, as phasePacer releases it; a trace phase's requests
// are due when its trace says (TraceArrivals). Idle phases and rate: max
// phases, which have no schedule, send none.
func ScheduleArrivals(phases []scenario.Phase) iter.Seq[time.Duration] {
	return func(yield func(time.Duration) bool) {
		var offset time.Duration
		for _, p := range phases {
			switch {
			case p.Max || p.Shape == scenario.Idle:
			case p.Shape == scenario.Trace:
				if p.Trace != nil {
					for at := range TraceArrivals(p.Trace) {
						if !yield(offset + at) {
							return
						}
					}
				}
			default:
				n := uint64(Expected(p))
				for k := range n {
					if !yield(offset + dueAt(p, k)) {
						return
					}
				}
			}
			offset += p.Duration
		}
	}
}

// dueAt returns when request k of phase p (not a trace) is due: 0 for
// request 0, else the first microsecond at which the integral of the rate
// reaches k, by a binary search (the integral grows with time).
func dueAt(p scenario.Phase, k uint64) time.Duration {
	if k == 0 {
		return 0
	}
	want := float64(k)
	lo, hi := time.Duration(0), p.Duration
	for hi-lo > time.Microsecond {
		mid := lo + (hi-lo)/2
		if integral(p, mid) >= want-wholeTolerance {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}
