package lambda

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// Keys of the counters a kind reports from Stats (their JSON names) that
// the report's fleet and trace tables read.
const (
	KeyThrottled      = "throttled"
	KeyScaleThrottled = "scale_throttled"
	KeyPeakBusy       = "peak_busy"
	KeyPeakLive       = "peak_live"
)

// Stats counts what the router did.
type Stats struct {
	Started        int `json:"started"`         // environments started: cold starts, and provisioned ones
	StartFailed    int `json:"start_failed"`    // Provider.Start errors
	Reaped         int `json:"reaped"`          // environments stopped after Keepalive idle
	Recycled       int `json:"recycled"`        // environments stopped after MaxLifetime
	Discarded      int `json:"discarded"`       // environments stopped after a failed invoke
	Crashed        int `json:"crashed"`         // environments that exited on their own or were killed
	Killed         int `json:"killed"`          // environments killed by Router.KillOne, also counted in Crashed once they exit
	Throttled      int `json:"throttled"`       // requests answered 429 at the concurrency limit
	ScaleThrottled int `json:"scale_throttled"` // requests answered 429 at the scaling rate limit
	Invocations    int `json:"invocations"`     // invokes sent to environments for requests
	Errors         int `json:"errors"`          // requests answered 502
	// Failed invokes by kind; each but FunctionErrors discards the
	// environment.
	Timeouts        int `json:"timeouts"`         // the function timed out
	FunctionCrashes int `json:"function_crashes"` // the runtime exited or the RIE failed mid-invoke
	// InitFailures are failed first invokes of an environment, whatever
	// the failure: the RIE starts the runtime lazily, so a first invoke's
	// failure cannot be told apart from one of INIT. A provisioned
	// environment's INIT runs in Run, before any request.
	InitFailures   int `json:"init_failures"`
	FunctionErrors int `json:"function_errors"` // the function returned an error; the environment stays

	Live            int `json:"live"`             // environments started and not yet exited
	Busy            int `json:"busy"`             // environments taken by a request, starting ones included
	Idle            int `json:"idle"`             // environments waiting for a request
	ProvisionedLive int `json:"provisioned_live"` // provisioned environments live
	ProvisionedIdle int `json:"provisioned_idle"` // provisioned environments waiting for a request
	PeakLive        int `json:"peak_live"`
	PeakBusy        int `json:"peak_busy"`

	// The sandbox pool (Config.Pool): cold starts that took a sandbox
	// started ahead of need, and those that found the pool empty and
	// started one on demand; sandboxes started into the pool, failed
	// starts, sandboxes that exited while waiting in it, and how many are
	// ready now.
	PoolHits        int `json:"pool_hits"`
	PoolMisses      int `json:"pool_misses"`
	PoolStarted     int `json:"pool_started"`
	PoolStartFailed int `json:"pool_start_failed"`
	PoolLost        int `json:"pool_lost"`
	PoolReady       int `json:"pool_ready"`
	PoolTarget      int `json:"pool_target"`

	// The RIE's INIT REPORT on cold starts (HeaderInit): answers that
	// waited for its line, not yet read from the environment's output
	// (that wait is in their latency), and answers it never reached
	// within initReportWait, which then carry no INIT.
	InitReportLate    int `json:"init_report_late"`
	InitReportMissing int `json:"init_report_missing"`
}

// fleet is the router's environments: the rules and what only a router
// with real environments has (the sandbox pool, the modelled platform
// delay's source, the order of events). Its fields are guarded by mu.
type fleet struct {
	mu sync.Mutex
	rules
	seq                   int
	prng                  *rand.Rand // draws modelled platform delays
	pool                  pool
	evMu                  sync.Mutex   // orders Config.OnEvent calls; taken after mu
	invocations, errors   atomic.Int64 // outside mu: on the hot path
	initLate, initMissing atomic.Int64 // cold starts: see Stats.InitReportLate
}

// env is an Environment in the fleet.
type env struct {
	Environment
	provisioned bool
	keepalive   time.Duration // on-demand: idle time before it is reaped
	born        time.Time
	lastUsed    time.Time
	invoked     bool      // an invoke for a request has been done: INIT is over
	killed      bool      // KillOne killed it: never idle again, its exit is a crash
	reason      EventKind // why the router stops it; zero: it does not
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
	s.Idle = len(r.idle) + len(r.pidle)
	s.ProvisionedLive = r.plive
	s.ProvisionedIdle = len(r.pidle)
	s.PoolReady = len(r.pool.ready)
	s.PoolTarget = r.pool.target
	s.Invocations = int(r.invocations.Load())
	s.Errors = int(r.errors.Load())
	s.InitReportLate = int(r.initLate.Load())
	s.InitReportMissing = int(r.initMissing.Load())
	return s
}

// acquireResult says why acquire found no environment.
type acquireResult int

const (
	acquired acquireResult = iota
	throttled
	scaleThrottled
	closing
	startFailed
)

// outcome is how an invoke went, for release.
type outcome int

const (
	invokeOK      outcome = iota
	functionError         // the function returned an error: the environment stays
	timedOutError         // the function timed out
	crashError            // the runtime or the RIE failed mid-invoke
)

// coldStart is how a cold start's environment came to be: the local
// sandbox's start (measured), the platform part (modelled, waited), and
// whether the sandbox came from the pool.
type coldStart struct {
	sandbox  time.Duration
	platform time.Duration
	pool     Pool
}

// acquire takes an idle environment, provisioned ones first, or, below the
// concurrency limit and within the scaling rate, makes a new one: a cold
// start, from a sandbox of the pool if it has one, after the modelled
// platform delay.
func (r *Router) acquire() (e *env, cold bool, cs coldStart, res acquireResult, err error) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, false, cs, closing, nil
	}
	e, res = r.take(time.Now())
	if res != acquired || e != nil {
		r.mu.Unlock()
		return e, false, cs, res, nil
	}
	var sandbox Environment
	if r.pool.target > 0 {
		if sandbox = r.takeSandbox(); sandbox != nil {
			cs.pool = PoolHit
			r.stats.PoolHits++
		} else {
			cs.pool = PoolMiss
			r.stats.PoolMisses++
		}
	}
	var spec Spec
	if sandbox == nil {
		spec = r.nextSpec()
	}
	cs.platform = r.cfg.Platform.Draw(r.prng)
	r.bg.Add(1) // Close waits for the start
	r.mu.Unlock()

	e, cs.sandbox, err = r.start(spec, false, sandbox, cs.pool)
	if err != nil {
		return nil, true, cs, startFailed, err
	}
	if cs.platform > 0 {
		t := time.NewTimer(cs.platform)
		select {
		case <-t.C:
		case <-r.ctx.Done():
			t.Stop()
		}
	}
	return e, true, cs, acquired, nil
}

// nextSpec names the next environment; r.mu is held.
func (r *Router) nextSpec() Spec {
	r.seq++
	spec := r.cfg.Function
	spec.ID = fmt.Sprintf("env-%d", r.seq)
	return spec
}

// start starts an environment, which acquire counted busy or, if
// provisioned, startProvisioned counted in pstart; from sandbox, a
// sandbox of the pool, if not nil. It returns how long the start took.
func (r *Router) start(spec Spec, provisioned bool, sandbox Environment, from Pool) (*env, time.Duration, error) {
	defer r.bg.Done()
	t0 := time.Now()
	envi, err := sandbox, error(nil)
	if envi == nil {
		ctx, cancel := context.WithTimeout(r.ctx, r.cfg.StartTimeout)
		envi, err = r.p.Start(ctx, spec)
		cancel()
	} else {
		spec.ID = envi.ID()
	}
	took := time.Since(t0)
	e := &env{Environment: envi, provisioned: provisioned, born: time.Now()}
	if err == nil && provisioned {
		err = r.warmUp(e)
	}
	if err != nil {
		if envi != nil {
			envi.Stop(r.ctx)
		}
		r.mu.Lock()
		r.unstart(provisioned)
		r.stats.StartFailed++
		r.mu.Unlock()
		return nil, took, fmt.Errorf("start %s: %w", spec.ID, err)
	}
	r.mu.Lock()
	if r.closed {
		r.unstart(provisioned)
		r.mu.Unlock()
		envi.Stop(r.ctx)
		return nil, took, fmt.Errorf("start %s: router closed", spec.ID)
	}
	r.started(e, e.born)
	r.bg.Add(1)
	go r.watch(e)
	r.emitLocked(Event{Time: e.born, Env: e.ID(), Kind: EventStarted, Provisioned: provisioned, Live: len(r.envs), Keepalive: e.keepalive, Pool: from})
	return e, took, nil
}

// initialized tells e, if it wants to know, that its INIT is over.
func initialized(e *env) {
	if i, ok := e.Environment.(Initializer); ok {
		i.Initialized()
	}
}

// release returns e after an invoke: to the idle environments if it is
// healthy and young enough, else it is stopped.
func (r *Router) release(e *env, o outcome) {
	r.mu.Lock()
	defer r.mu.Unlock()
	first := !e.invoked && !e.provisioned
	reason, replace := r.rules.release(e, o, time.Now())
	if first {
		initialized(e)
	}
	if reason != 0 {
		r.stopLocked(e, replace)
	}
}

// retireLocked stops e, which is neither idle nor busy, for reason, and
// replaces it if it is provisioned; r.mu is held.
func (r *Router) retireLocked(e *env, reason EventKind) {
	r.stopLocked(e, r.retire(e, reason))
}

// stopLocked stops e, which the rules retired, in the background, and
// starts a provisioned environment in its place if replace; r.mu is held.
func (r *Router) stopLocked(e *env, replace bool) {
	r.bg.Add(1)
	go r.stop(e)
	if replace {
		r.replaceLocked()
	}
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
	kind, replace := r.exited(e)
	if replace {
		r.replaceLocked()
	}
	r.emitLocked(Event{Time: time.Now(), Env: e.ID(), Kind: kind, Provisioned: e.provisioned, Live: len(r.envs)})
}

// reap stops environments idle for longer than their keepalive, and idle
// ones older than MaxLifetime, until the router closes.
func (r *Router) reap() {
	defer r.bg.Done()
	t := time.NewTicker(r.reapEvery())
	defer t.Stop()
	for {
		select {
		case <-r.ctx.Done():
			return
		case now := <-t.C:
			r.reapIdle(now)
		}
	}
}

// reapIdle stops the on-demand environments idle past their keepalive at
// now, and the idle ones past MaxLifetime.
func (r *Router) reapIdle(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	r.rules.reap(now, r.stopLocked)
}
