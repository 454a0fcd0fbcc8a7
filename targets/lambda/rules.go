package lambda

import (
	"math/rand/v2"
	"time"
)

// rules are the fleet's decisions, the Lambda service's rules: which
// environment a request takes (provisioned ones first, then the most
// recently used), when it is throttled (the concurrency limit, the scaling
// rate), when an environment goes back to the idle ones, is recycled past
// its maximum lifetime, discarded after a failed invoke, or reaped past its
// keepalive, and when a provisioned one is replaced.
//
// They read no clock, start nothing and take no lock: every method is told
// the time. The Router runs them on the wall clock under its lock, around
// real environments; Simulate runs the same rules on a virtual clock over
// a whole trace, around environments that exist only as accounting.
type rules struct {
	limits
	envs    map[*env]struct{} // started and not yet exited
	idle    []*env            // on-demand, by lastUsed, ascending: reuse from the end
	pidle   []*env            // provisioned, idle
	busy    int               // environments taken by a request, starting ones included
	pstart  int               // provisioned environments starting: they count toward Concurrency
	initing int               // cold starts whose first invoke (INIT) is not over
	plive   int               // provisioned environments live
	closed  bool              // the router is closing: a failed environment is left to Close
	stats   Stats
	scale   scaleWindow
	rng     *rand.Rand // draws keepalives
}

// limits are the settings of Config the rules follow, with their
// defaults.
type limits struct {
	concurrency             int
	keepalive, keepaliveMax time.Duration
	maxLifetime             time.Duration
}

// newRules returns the rules of cfg, which has its defaults.
func newRules(cfg Config) rules {
	return rules{
		limits: limits{
			concurrency: cfg.Concurrency, keepalive: cfg.Keepalive,
			keepaliveMax: cfg.KeepaliveMax, maxLifetime: cfg.MaxLifetime,
		},
		envs:  make(map[*env]struct{}),
		scale: scaleWindow{rate: cfg.ScaleRate, window: cfg.ScaleWindow},
		rng:   rand.New(rand.NewPCG(uint64(cfg.Seed), 0x636f6c6462656e63)),
	}
}

// reapEvery is how often the idle environments are checked against their
// keepalive and maximum lifetime: a tenth of the shorter, between 10 ms
// and a second.
func (l limits) reapEvery() time.Duration {
	every := l.keepalive
	if l.maxLifetime > 0 {
		every = min(every, l.maxLifetime)
	}
	return min(max(every/10, 10*time.Millisecond), time.Second)
}

// take gives a request an idle environment, provisioned ones first, or,
// below the concurrency limit and within the scaling rate at now, counts
// a new one busy and returns nil and acquired: the caller starts it (a
// cold start) and calls started, or unstart if it failed.
func (f *rules) take(now time.Time) (*env, acquireResult) {
	e := popIdle(&f.pidle)
	if e == nil {
		e = popIdle(&f.idle)
	}
	if e != nil {
		f.busy++
		f.stats.PeakBusy = max(f.stats.PeakBusy, f.busy)
		return e, acquired
	}
	if f.busy+f.pstart >= f.concurrency {
		f.stats.Throttled++
		return nil, throttled
	}
	if !f.scale.allow(now) {
		f.stats.ScaleThrottled++
		return nil, scaleThrottled
	}
	f.busy++
	f.stats.PeakBusy = max(f.stats.PeakBusy, f.busy)
	f.initing++
	return nil, acquired
}

// provision counts a provisioned environment starting: Config.Provisioned
// at the start, or one replacing another.
func (f *rules) provision() { f.pstart++ }

// started adds e, started at now, to the fleet: a provisioned one among
// the idle ones, an on-demand one, busy already, with the keepalive it
// draws.
func (f *rules) started(e *env, now time.Time) {
	e.born = now
	f.envs[e] = struct{}{}
	f.stats.Started++
	f.stats.PeakLive = max(f.stats.PeakLive, len(f.envs))
	if e.provisioned {
		f.pstart--
		f.plive++
		e.lastUsed = now
		f.pidle = append(f.pidle, e)
		return
	}
	e.keepalive = f.drawKeepalive()
}

// drawKeepalive draws an on-demand environment's keepalive.
func (f *rules) drawKeepalive() time.Duration {
	lo, hi := f.keepalive, f.keepaliveMax
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(f.rng.Int64N(int64(hi-lo)+1))
}

// unstart undoes the accounting of a start that failed.
func (f *rules) unstart(provisioned bool) {
	if provisioned {
		f.pstart--
		return
	}
	f.busy--
	f.initing--
}

// release returns e after an invoke that ended at now with o: to the idle
// environments if it is healthy and young enough. Otherwise it returns why
// the caller must stop it (counted already; see retire), or zero when
// someone else does: e exited, or was killed.
func (f *rules) release(e *env, o outcome, now time.Time) (stop EventKind, replace bool) {
	f.busy--
	first := !e.invoked
	e.invoked = true
	if first && !e.provisioned {
		f.initing--
	}
	switch {
	case o == functionError:
		f.stats.FunctionErrors++
	case o == invokeOK:
	case first:
		f.stats.InitFailures++
	case o == timedOutError:
		f.stats.Timeouts++
	default:
		f.stats.FunctionCrashes++
	}
	healthy := o == invokeOK || o == functionError
	switch {
	case e.exited() || e.killed: // its watcher drops it
		return 0, false
	case !healthy && (e.reason != 0 || f.closed): // it is being stopped already, or Close stops it
		return 0, false
	case !healthy:
		return EventDiscarded, f.retire(e, EventDiscarded)
	case f.maxLifetime > 0 && now.Sub(e.born) >= f.maxLifetime:
		return EventRecycled, f.retire(e, EventRecycled)
	}
	e.lastUsed = now
	if e.provisioned {
		f.pidle = append(f.pidle, e)
	} else {
		f.idle = append(f.idle, e)
	}
	return 0, false
}

// retire marks e, which is neither idle nor busy, stopped for reason and
// counts it; replace says a provisioned environment must take its place.
func (f *rules) retire(e *env, reason EventKind) (replace bool) {
	e.reason = reason
	switch reason {
	case EventReaped:
		f.stats.Reaped++
	case EventRecycled:
		f.stats.Recycled++
	case EventDiscarded:
		f.stats.Discarded++
	}
	return e.provisioned
}

// reap retires the on-demand environments idle past their keepalive at
// now, and the idle ones past the maximum lifetime, and calls stop with
// each of them, and whether a provisioned one must replace it.
func (f *rules) reap(now time.Time, stop func(e *env, replace bool)) {
	old := func(e *env) bool { return f.maxLifetime > 0 && now.Sub(e.born) >= f.maxLifetime }
	keep := f.idle[:0]
	for _, e := range f.idle {
		switch {
		case now.Sub(e.lastUsed) > e.keepalive:
			stop(e, f.retire(e, EventReaped))
		case old(e):
			stop(e, f.retire(e, EventRecycled))
		default:
			keep = append(keep, e)
		}
	}
	clear(f.idle[len(keep):])
	f.idle = keep
	if f.maxLifetime <= 0 {
		return
	}
	pkeep := f.pidle[:0]
	for _, e := range f.pidle {
		if old(e) {
			stop(e, f.retire(e, EventRecycled))
		} else {
			pkeep = append(pkeep, e)
		}
	}
	clear(f.pidle[len(pkeep):])
	f.pidle = pkeep
}

// exited drops e, which has exited, from the fleet. It returns why it
// ended: the reason it was stopped for, or EventCrashed if nobody stopped
// it, and then replace says a provisioned one must take its place.
func (f *rules) exited(e *env) (kind EventKind, replace bool) {
	delete(f.envs, e)
	if e.provisioned {
		f.plive--
	}
	f.idle = remove(f.idle, e)
	f.pidle = remove(f.pidle, e)
	if e.reason != 0 {
		return e.reason, false
	}
	f.stats.Crashed++
	e.reason = EventCrashed
	return EventCrashed, e.provisioned
}

// popIdle takes the most recently used live environment of *list.
func popIdle(list *[]*env) *env {
	for n := len(*list); n > 0; n = len(*list) {
		e := (*list)[n-1]
		(*list)[n-1] = nil
		*list = (*list)[:n-1]
		if !e.exited() { // else its watcher drops it
			return e
		}
	}
	return nil
}

func remove(list []*env, e *env) []*env {
	for i, x := range list {
		if x == e {
			return append(list[:i], list[i+1:]...)
		}
	}
	return list
}
