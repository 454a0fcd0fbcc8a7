package attack

import (
	"context"
	"runtime"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/scenario"
)

// phasePacer paces one phase's vegeta attack so that the phase sends the
// requests due within its bounds, and they leave when they are due.
//
// Schedule: request k (from 0) of a constant, ramp or sine phase is due
// when the integral of its rate reaches k, so request 0 at the phase's
// start and one every 1/rate after it (k6's constant-arrival-rate: rate ×
// duration in all). Its inner pacer keeps vegeta's convention, hit h
// released when the integral reaches h+1, so phasePacer shifts it by one:
// it releases request 0 at the phase's start itself and request k ≥ 1 when
// the inner pacer would release hit k-1. A trace phase (its inner pacer
// lists its due times) and a rate: max phase (no schedule) are not shifted.
//
// Bounds: a phase sends every request due before its end and none due at
// or after it: 50/s for 1 s sends 50, at 0, 20, …, 980 ms; 0.4/s for 9 s
// sends 4, at 0, 2.5, 5 and 7.5 s (dueBefore). vegeta's attack loop checks
// the duration before it sleeps to the next hit, not after, so on its own
// it would send the 5th at 10 s, inside whatever follows. phasePacer stops
// the attack instead when the next request is due at or after the end,
// when it would be released at or after the end, and when the sleep to it
// wakes at or after the end. A trace phase is the exception: it sends
// exactly its window's requests, every one of them, those due before the
// end but released after it late.
//
// Punctuality: phasePacer does the sleeping itself and returns a zero wait,
// so that it can check the end after waking, wake on ctx, and, with an
// overshoot estimate, make up for time.Sleep waking late (see punctualWait).
// vegeta's loop calls Pace from a single goroutine, between hits, so
// blocking in Pace is blocking where vegeta would have slept.
type phasePacer struct {
	inner vegeta.Pacer
	phase scenario.Phase
	start time.Time // the phase's start in the schedule, from which its requests are due
	end   time.Time // the phase's end in the schedule
	due   float64   // dueBefore(phase, end-start): request k is due before the end iff k < due
	done  <-chan struct{}
	late  *overshoot // nil: sleep exactly what the inner pacer says
	timer *time.Timer
}

// boundedPacer returns the pacer of phase p's attack, whose requests are
// due from start and which must send nothing at or after end: inner (the
// phase's vegeta pacer) asked with the time elapsed since start, whenever
// the attack began, shifted by one request (see phasePacer), cut off at
// end, waking early on ctx and, if late is not nil, making up for
// time.Sleep's overshoot as late estimates it.
func boundedPacer(ctx context.Context, inner vegeta.Pacer, p scenario.Phase, start, end time.Time, late *overshoot) *phasePacer {
	return &phasePacer{inner: inner, phase: p, start: start, end: end, due: dueBefore(p, end.Sub(start)), done: ctx.Done(), late: late}
}

// Pace implements vegeta.Pacer: it returns stop once the next request is
// due at or past the end, else waits until it is released (release) and
// returns a zero wait.
//
// The elapsed time vegeta passes is from when its attack began, which may be
// after the phase's start; phasePacer asks the inner pacer with the time
// since the phase's start instead.
func (pp *phasePacer) Pace(_ time.Duration, hits uint64) (time.Duration, bool) {
	now := time.Now()
	at, stop := pp.release(now, hits)
	if stop {
		return 0, true
	}
	if !at.After(now) {
		return 0, false // due, or running behind: send at once, as vegeta would
	}
	if !pp.sleepUntil(at) {
		return 0, true // cancelled
	}
	return 0, pp.bounded() && !time.Now().Before(pp.end)
}

// release returns when request number hits (from 0) of the phase is
// released, asked at now, or stop once the phase sends no more: the
// phase's start for request 0 of a shifted phase, else when the inner
// pacer releases its hit (hits-1 for a shifted phase), never before now.
// It stops, except for a trace phase, when now is at or past the end, or
// the request is due or would be released at or after it. It neither
// sleeps nor reads the clock, so that a test can drive it on a simulated
// one.
func (pp *phasePacer) release(now time.Time, hits uint64) (time.Time, bool) {
	// A trace phase sends every request of its window, late if the
	// generator fell behind, rather than drop those due at its end: its
	// inner pacer stops after the last one, which is due before the end.
	bounded := pp.bounded()
	if bounded && (!now.Before(pp.end) || pp.dueAfterEnd(hits)) {
		return time.Time{}, true
	}
	h := hits
	if pp.shifted() {
		if hits == 0 {
			return later(pp.start, now), false
		}
		h--
	}
	wait, stop := pp.inner.Pace(now.Sub(pp.start), h)
	if stop {
		return time.Time{}, true
	}
	at := now.Add(max(wait, 0))
	if bounded && !at.Before(pp.end) {
		return time.Time{}, true
	}
	return at, false
}

// Rate implements vegeta.Pacer: the inner pacer's rate at elapsed into the
// phase.
func (pp *phasePacer) Rate(elapsed time.Duration) float64 { return pp.inner.Rate(elapsed) }

// bounded reports whether the phase stops at its end: every phase but a
// trace, which sends its whole window.
func (pp *phasePacer) bounded() bool { return pp.phase.Shape != scenario.Trace }

// shifted reports whether the phase's request k is the inner pacer's hit
// k-1, request 0 leaving at the phase's start: a phase with a rate, not a
// trace (whose inner pacer lists request k's due time as its k-th) nor a
// rate: max phase (no schedule).
func (pp *phasePacer) shifted() bool { return !pp.phase.Max && pp.phase.Shape != scenario.Trace }

// dueAfterEnd reports whether request number hits (from 0) of the phase is
// due at or after its end: whether hits is at least the count of those due
// before it (dueBefore). A rate: max phase has no due times.
func (pp *phasePacer) dueAfterEnd(hits uint64) bool {
	return !pp.phase.Max && float64(hits) >= pp.due
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// sleepUntil waits until release, or until done, and reports whether
// release came. Without an overshoot estimate it sleeps on a timer to
// release, as vegeta's time.Sleep would; with one, see punctualWait.
func (pp *phasePacer) sleepUntil(release time.Time) bool {
	d := time.Until(release)
	lead := pp.late.lead(d)
	if sl := d - lead; sl > 0 {
		start := time.Now()
		if !pp.sleep(sl) {
			return false
		}
		// Sleeps under a millisecond wake on the runtime's millisecond
		// poll, whatever their length: they say nothing of longer ones.
		if sl >= time.Millisecond {
			pp.late.observe(time.Since(start) - sl)
		}
	}
	// Spin out the lead: at most maxLead, and only when the sleep woke
	// before release.
	for time.Now().Before(release) {
		runtime.Gosched()
	}
	return true
}

// sleep blocks for d on the pacer's timer, or until done; it reports
// whether d passed.
func (pp *phasePacer) sleep(d time.Duration) bool {
	if pp.timer == nil {
		pp.timer = time.NewTimer(d)
	} else {
		pp.timer.Reset(d)
	}
	select {
	case <-pp.timer.C:
		return true
	case <-pp.done:
		pp.timer.Stop()
		return false
	}
}

// Punctual pacing. time.Sleep (and a timer) wakes late: about 0.3 ms at the
// median on the 2-core machine this was measured on, and every request a
// vegeta pacer releases leaves that late, which the corrected latencies
// then carry. An overshoot estimate lets phasePacer sleep that much less and
// spin (yielding, runtime.Gosched) the rest of the way to the release time.
//
// It never sends early: the spin ends at the release time of vegeta's own
// pacer, not before, so requests leave no earlier than vegeta's pacers
// release them (vegeta's linear pacer releases up to an interval before the
// due time while the rate is low and climbing; that stays as it was). The
// estimate is a running 75th percentile of the observed overshoots, so most
// sleeps wake before the release time and the spin takes up the rest; a
// sleep that oversleeps the estimate leaves late by the difference. The
// spin is bounded: the lead is at most maxLead, and a wait shorter than
// minSleep+lead is slept whole, uncompensated, so that a fast phase (an
// interval under a few milliseconds) does not spin most of its time on a
// core it shares with the targets.
const (
	maxLead  = 500 * time.Microsecond
	minSleep = 2 * time.Millisecond
	// overshootQuantile and overshootStep tune the running percentile:
	// each observation above the estimate raises it by
	// overshootStep*overshootQuantile, each one below lowers it by
	// overshootStep*(1-overshootQuantile).
	overshootQuantile = 0.75
	overshootStep     = 20 * time.Microsecond
)

// overshoot is a running estimate of how late sleeps wake, shared by the
// phases of one Run. The zero value estimates 0 and is ready; a nil
// *overshoot estimates nothing and leads by 0.
type overshoot struct {
	mu  sync.Mutex
	est float64 // ns
}

// lead returns how much earlier than d a sleep of d should end, to be
// spun out: the estimate if d leaves room for it, else 0.
func (o *overshoot) lead(d time.Duration) time.Duration {
	if o == nil {
		return 0
	}
	o.mu.Lock()
	lead := time.Duration(o.est)
	o.mu.Unlock()
	if d < minSleep+lead {
		return 0
	}
	return lead
}

// observe adds one measured overshoot to the estimate.
func (o *overshoot) observe(d time.Duration) {
	if o == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	step := float64(overshootStep)
	if float64(d) > o.est {
		o.est += step * overshootQuantile
	} else {
		o.est -= step * (1 - overshootQuantile)
	}
	o.est = min(max(o.est, 0), float64(maxLead))
}

// estimate returns the current estimate.
func (o *overshoot) estimate() time.Duration {
	o.mu.Lock()
	defer o.mu.Unlock()
	return time.Duration(o.est)
}
