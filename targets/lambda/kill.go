package lambda

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// ErrNoLiveEnvironment is KillOne's error when no environment is live.
var ErrNoLiveEnvironment = errors.New("no live environment")

// KillOne kills one live environment, busy or idle, provisioned or not,
// the way a host failure would: pick is called with the number n of live
// environments, in the order they were started (oldest first), and returns
// the index of the one to kill, in [0, n). Environments being started, being
// stopped by the router, or killed already are not candidates. The
// environment must implement Killer.
//
// The fleet counts the environment as crashed (Stats.Crashed, and
// Stats.Killed) once it has exited, and replaces it if it is provisioned.
// It is not given to another request: a request in flight on it fails with
// a 502, and the next request takes another idle environment or starts a
// new one. KillOne returns the environment's id once the kill is under way,
// without waiting for the environment to exit. If Kill fails, the router
// stops the environment as after a failed invoke (Stats.Discarded).
func (r *Router) KillOne(pick func(n int) int) (envID string, err error) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return "", errors.New("router closed")
	}
	live := make([]*env, 0, len(r.envs))
	for e := range r.envs {
		if e.reason == 0 && !e.killed && !e.exited() {
			live = append(live, e)
		}
	}
	if len(live) == 0 {
		r.mu.Unlock()
		return "", ErrNoLiveEnvironment
	}
	slices.SortFunc(live, func(a, b *env) int {
		return cmp.Or(a.born.Compare(b.born), cmp.Compare(a.ID(), b.ID()))
	})
	i := pick(len(live))
	if i < 0 || i >= len(live) {
		r.mu.Unlock()
		return "", fmt.Errorf("pick chose %d of %d live environments", i, len(live))
	}
	e := live[i]
	k, ok := e.Environment.(Killer)
	if !ok {
		r.mu.Unlock()
		return "", fmt.Errorf("environment %s (%T) cannot be killed", e.ID(), e.Environment)
	}
	e.killed = true
	r.idle = remove(r.idle, e)
	r.pidle = remove(r.pidle, e)
	r.mu.Unlock()

	if err := k.Kill(); err != nil {
		// It may live on, in an unknown state, and it is out of the idle
		// lists for good: the router stops it as after a failed invoke.
		r.mu.Lock()
		if e.reason == 0 && !r.closed && !e.exited() {
			r.retireLocked(e, EventDiscarded)
		}
		r.mu.Unlock()
		return e.ID(), fmt.Errorf("kill %s: %w", e.ID(), err)
	}
	r.mu.Lock()
	r.stats.Killed++
	r.mu.Unlock()
	return e.ID(), nil
}
