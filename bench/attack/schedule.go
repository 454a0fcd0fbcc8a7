package attack

import (
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/scenario"
)

// schedule tells when a phase's vegeta attack meant to send each of its
// requests.
type schedule struct {
	phase scenario.Phase
	began time.Time // when the attack started
	limit time.Duration
	due   []time.Duration // a trace phase's: request k is due due[k] after began
}

// newSchedule returns the schedule of phase p's attack, started at began and
// lasting du.
func newSchedule(p scenario.Phase, du time.Duration, began time.Time) schedule {
	return schedule{phase: p, began: began, limit: du}
}

// intended returns the time the request r was due. Request k (counted
// from 0, r.Seq) of a constant, ramp or sine phase is due when the integral
// of the rate reaches k, when phasePacer releases it: request 0 at the
// phase's start, the others found by a binary search, to the microsecond,
// on that integral, which grows with time because every shape's rate stays
// above 0. The result is never after r.Timestamp; for a rate: max phase,
// which has no schedule, it is r.Timestamp. A trace phase's due times are
// listed: no search.
func (s schedule) intended(r *vegeta.Result) time.Time {
	switch {
	case s.phase.Max:
		return r.Timestamp
	case s.due != nil && r.Seq < uint64(len(s.due)):
		return earliest(s.began.Add(s.due[r.Seq]), r.Timestamp)
	case r.Seq == 0:
		return earliest(s.began, r.Timestamp)
	}
	want := float64(r.Seq)
	lo, hi := time.Duration(0), max(s.limit, r.Timestamp.Sub(s.began))
	for hi-lo > time.Microsecond {
		mid := lo + (hi-lo)/2
		if integral(s.phase, mid) >= want {
			hi = mid
		} else {
			lo = mid
		}
	}
	return earliest(s.began.Add(hi), r.Timestamp)
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
