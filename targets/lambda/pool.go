package lambda

import (
	"context"
	"fmt"
	"time"
)

// A sandbox is an Environment started ahead of need: its RIE accepts
// invokes, it has never been invoked, so its runtime has not started. A
// cold start that takes one pays what a real Lambda cold start pays inside
// the function (a new runtime process, its INIT, the first invoke) and not
// the local cost of starting the sandbox (a container's start takes
// hundreds of milliseconds on a small machine; Lambda keeps its microVMs
// ready). A sandbox is handed out once: the environment made of it leaves
// the fleet with it, and the pool starts a new one in its place.
//
// The pool's fields are part of the fleet, guarded by the router's mu.
type pool struct {
	target   int           // sandboxes to keep ready; zero: no pool
	ready    []Environment // started, never invoked, oldest first
	starting int           // refills in flight
	wake     chan struct{} // tells the refiller a sandbox was taken
}

// Pool reports whether a cold start took a sandbox from the pool.
type Pool string

// The pool outcomes of a cold start. The zero Pool is a router without a
// pool.
const (
	PoolHit  Pool = "hit"  // a sandbox started ahead of need
	PoolMiss Pool = "miss" // the pool was empty: started on demand
)

// DefaultPoolFill is how many sandboxes Run starts at once while filling
// the pool before it returns.
const DefaultPoolFill = 2

// RefillGap is the pause between two refills, so that the engine's work
// of starting sandboxes comes in small pieces between the load's requests
// instead of all at once (measured: see docs/lambda.md, "The sandbox pool").
const RefillGap = 100 * time.Millisecond

// refillRetry is the pause after a refill that failed.
const refillRetry = time.Second

// fillFailLimit is how many sandbox starts in a row may fail while the
// pool fills before Run gives up: a failed start is replaced, and only
// starts that keep failing (a broken image, a bootstrap that cannot run,
// an engine in trouble) fail the run.
const fillFailLimit = 3

// fillPool starts sandboxes, DefaultPoolFill at a time, until cfg.Pool are
// ready, and then starts the refiller. A start that fails (a sandbox that
// exits during its start-up, an engine error) is counted in
// Stats.PoolStartFailed and replaced; fillPool fails once fillFailLimit
// starts in a row have failed, with the last start's error, or once ctx
// (Run's) is done, when it starts no more and waits for those under way.
func (r *Router) fillPool(ctx context.Context) error {
	n := r.cfg.Pool
	results := make(chan error)
	inflight, ready, failedInRow := 0, 0, 0
	var last error
	for ready < n {
		for inflight < DefaultPoolFill && ready+inflight < n && failedInRow+inflight < fillFailLimit && ctx.Err() == nil {
			r.mu.Lock()
			r.pool.starting++
			r.mu.Unlock()
			inflight++
			go func() { results <- r.startSandbox() }()
		}
		if inflight == 0 {
			break
		}
		err := <-results
		inflight--
		if err != nil {
			failedInRow++
			last = err
			continue
		}
		ready++
		failedInRow = 0
	}
	if ready < n {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("filling the sandbox pool: %d of %d ready: %w", ready, n, err)
		}
		return fmt.Errorf("filling the sandbox pool: %d starts failed in a row (%d of %d sandboxes ready); the last: %w", failedInRow, ready, n, last)
	}
	r.bg.Add(1)
	go r.refill()
	return nil
}

// startSandbox starts one sandbox into the pool; the caller counted it in
// pool.starting.
func (r *Router) startSandbox() error {
	r.mu.Lock()
	spec := r.nextSpec()
	r.mu.Unlock()
	ctx, cancel := context.WithTimeout(r.ctx, r.cfg.StartTimeout)
	defer cancel()
	e, err := r.p.Start(ctx, spec)
	r.mu.Lock()
	r.pool.starting--
	if err != nil || r.closed {
		if err == nil {
			err = fmt.Errorf("start %s: router closed", spec.ID)
		} else {
			r.stats.PoolStartFailed++
		}
		r.mu.Unlock()
		if e != nil {
			e.Stop(r.ctx)
		}
		return err
	}
	r.pool.ready = append(r.pool.ready, e)
	r.stats.PoolStarted++
	r.mu.Unlock()
	return nil
}

// takeSandbox takes the oldest ready sandbox that has not exited, or
// returns nil if there is none; r.mu is held. Sandboxes that exited in the
// pool are stopped and dropped.
func (r *Router) takeSandbox() Environment {
	for len(r.pool.ready) > 0 {
		e := r.pool.ready[0]
		r.pool.ready[0] = nil
		r.pool.ready = r.pool.ready[1:]
		select {
		case <-e.Done():
			r.stats.PoolLost++
			r.bg.Add(1)
			go func() { defer r.bg.Done(); e.Stop(r.ctx) }()
			continue
		default:
		}
		select {
		case r.pool.wake <- struct{}{}:
		default:
		}
		return e
	}
	select {
	case r.pool.wake <- struct{}{}:
	default:
	}
	return nil
}

// refill keeps the pool at its target, one sandbox at a time, RefillGap
// apart, until the router closes. It starts none while a cold start's
// INIT is running: a burst of cold starts competes for the cores with the
// engine's work of starting sandboxes, so that work waits until the
// burst's INITs are over.
func (r *Router) refill() {
	defer r.bg.Done()
	for {
		r.mu.Lock()
		short := !r.closed && len(r.pool.ready)+r.pool.starting < r.pool.target
		wait := short && r.initing > 0
		need := short && !wait
		if need {
			r.pool.starting++
		}
		r.mu.Unlock()
		if wait {
			select {
			case <-r.ctx.Done():
				return
			case <-time.After(RefillGap):
				continue
			}
		}
		if !need {
			select {
			case <-r.ctx.Done():
				return
			case <-r.pool.wake:
				continue
			}
		}
		pause := RefillGap
		if err := r.startSandbox(); err != nil {
			pause = refillRetry
		}
		select {
		case <-r.ctx.Done():
			return
		case <-time.After(pause):
		}
	}
}

// drainPool empties the pool and returns its sandboxes, for Close; r.mu
// is held.
func (r *Router) drainPool() []Environment {
	ready := r.pool.ready
	r.pool.ready = nil
	return ready
}
