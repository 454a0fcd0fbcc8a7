package lambda

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Stats counts what the router did.
type Stats struct {
	Started     int `json:"started"`      // environments started: cold starts
	StartFailed int `json:"start_failed"` // Provider.Start errors
	Reaped      int `json:"reaped"`       // environments stopped after Keepalive idle
	Discarded   int `json:"discarded"`    // environments stopped after a failed invoke
	Crashed     int `json:"crashed"`      // environments that exited on their own
	Throttled   int `json:"throttled"`    // requests answered 429
	Invocations int `json:"invocations"`  // invokes sent to environments
	Errors      int `json:"errors"`       // invokes answered 502
	Live        int `json:"live"`         // environments started and not yet exited
	Busy        int `json:"busy"`         // environments taken by a request, starting ones included
	Idle        int `json:"idle"`         // environments waiting for a request
	PeakLive    int `json:"peak_live"`
	PeakBusy    int `json:"peak_busy"`
}

// fleet is the router's environments. Its fields are guarded by mu.
type fleet struct {
	mu     sync.Mutex
	envs   map[*env]struct{} // started and not yet exited
	idle   []*env            // by lastUsed, ascending: reuse from the end
	busy   int
	seq    int
	closed bool
	stats  Stats

	invocations, errors atomic.Int64 // outside mu: on the hot path
}

// env is an Environment in the fleet.
type env struct {
	Environment
	lastUsed time.Time
	stopping bool // the router stops it: its exit is no crash
}

func (e *env) exited() bool {
	select {
	case <-e.Done():
		return true
	default:
		return false
	}
}

// Stats returns a snapshot of the counters.
func (r *Router) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.stats
	s.Live = len(r.envs)
	s.Busy = r.busy
	s.Idle = len(r.idle)
	s.Invocations = int(r.invocations.Load())
	s.Errors = int(r.errors.Load())
	return s
}

// acquireResult says why acquire found no environment.
type acquireResult int

const (
	acquired acquireResult = iota
	throttled
	closing
	startFailed
)

// acquire takes the most recently used idle environment or, below the
// concurrency limit, starts a new one: a cold start, whose start-up time it
// returns.
func (r *Router) acquire() (e *env, cold bool, platform time.Duration, res acquireResult, err error) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, false, 0, closing, nil
	}
	for n := len(r.idle); n > 0; n = len(r.idle) {
		e = r.idle[n-1]
		r.idle[n-1] = nil
		r.idle = r.idle[:n-1]
		if e.exited() {
			continue // its watcher drops it
		}
		r.busy++
		r.stats.PeakBusy = max(r.stats.PeakBusy, r.busy)
		r.mu.Unlock()
		return e, false, 0, acquired, nil
	}
	if r.busy >= r.cfg.Concurrency {
		r.stats.Throttled++
		r.mu.Unlock()
		return nil, false, 0, throttled, nil
	}
	r.busy++
	r.stats.PeakBusy = max(r.stats.PeakBusy, r.busy)
	r.seq++
	spec := r.cfg.Function
	spec.ID = fmt.Sprintf("env-%d", r.seq)
	r.bg.Add(1) // Close waits for the start
	r.mu.Unlock()

	e, platform, err = r.start(spec)
	if err != nil {
		return nil, true, platform, startFailed, err
	}
	return e, true, platform, acquired, nil
}

// start starts an environment for acquire, which counted it busy.
func (r *Router) start(spec Spec) (*env, time.Duration, error) {
	defer r.bg.Done()
	ctx, cancel := context.WithTimeout(r.ctx, r.cfg.StartTimeout)
	defer cancel()
	t0 := time.Now()
	envi, err := r.p.Start(ctx, spec)
	platform := time.Since(t0)
	if err != nil {
		if envi != nil {
			envi.Stop(r.ctx)
		}
		r.mu.Lock()
		r.busy--
		r.stats.StartFailed++
		r.mu.Unlock()
		return nil, platform, fmt.Errorf("start %s: %w", spec.ID, err)
	}
	e := &env{Environment: envi}
	r.mu.Lock()
	if r.closed {
		r.busy--
		r.mu.Unlock()
		envi.Stop(r.ctx)
		return nil, platform, fmt.Errorf("start %s: router closed", spec.ID)
	}
	r.envs[e] = struct{}{}
	r.stats.Started++
	r.stats.PeakLive = max(r.stats.PeakLive, len(r.envs))
	r.bg.Add(1)
	r.mu.Unlock()
	go r.watch(e)
	return e, platform, nil
}

// release returns e after an invoke: to the idle environments if it is
// healthy, else it is discarded and stopped.
func (r *Router) release(e *env, healthy bool) {
	r.mu.Lock()
	r.busy--
	if healthy {
		if !e.exited() {
			e.lastUsed = time.Now()
			r.idle = append(r.idle, e)
		}
		r.mu.Unlock()
		return
	}
	if e.stopping || r.closed || e.exited() { // Close stops it, or its watcher counts a crash
		r.mu.Unlock()
		return
	}
	e.stopping = true
	r.stats.Discarded++
	r.bg.Add(1)
	r.mu.Unlock()
	go r.stop(e)
}

// stop stops an environment the router gave up.
func (r *Router) stop(e *env) {
	defer r.bg.Done()
	e.Stop(r.ctx)
}

// watch drops e from the fleet once it has exited.
func (r *Router) watch(e *env) {
	defer r.bg.Done()
	<-e.Done()
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.envs, e)
	for i, x := range r.idle {
		if x == e {
			r.idle = append(r.idle[:i], r.idle[i+1:]...)
			break
		}
	}
	if !e.stopping {
		r.stats.Crashed++
	}
}

// reap stops environments idle for longer than the keepalive until the
// router closes.
func (r *Router) reap() {
	defer r.bg.Done()
	tick := min(max(r.cfg.Keepalive/10, 10*time.Millisecond), time.Second)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-r.ctx.Done():
			return
		case now := <-t.C:
			r.reapIdle(now.Add(-r.cfg.Keepalive))
		}
	}
}

// reapIdle stops the idle environments last used before cutoff.
func (r *Router) reapIdle(cutoff time.Time) {
	r.mu.Lock()
	n := 0
	for !r.closed && n < len(r.idle) && r.idle[n].lastUsed.Before(cutoff) {
		n++
	}
	if n == 0 {
		r.mu.Unlock()
		return
	}
	old := make([]*env, n)
	copy(old, r.idle[:n])
	r.idle = append(r.idle[:0], r.idle[n:]...)
	for _, e := range old {
		e.stopping = true
	}
	r.stats.Reaped += n
	r.bg.Add(n)
	r.mu.Unlock()
	for _, e := range old {
		go r.stop(e)
	}
}
