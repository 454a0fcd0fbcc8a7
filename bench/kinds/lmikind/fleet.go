package lmikind

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
)

// fleet is an lmi target's execution environments: each the real RIE in
// Lambda Managed Instances' mode (lambda.Spec.MaxConcurrency), taking up
// to s.MaxConcurrency requests at once. Environments start off the
// request path: MinEnvironments before the load, more when scale asks.
//
// Lock rule: mu guards every field below it; functions named ...Locked
// are called with mu held and return with it held.
type fleet struct {
	s        Settings
	provider lambda.Provider
	spec     lambda.Spec
	speed    float64 // the trace's speed: the doubling window is divided by it

	// bg holds what runs beside the requests, each started under mu
	// before stopped is set: environments starting at the scaling's
	// ask, and being stopped. stop waits for it.
	bg sync.WaitGroup

	mu       sync.Mutex
	envs     []*env // serving
	starting int    // being started
	seq      int
	inFlight int
	// busyArea is in-flight requests integrated over time since
	// lastMark, for the saturation of the period.
	busyArea time.Duration
	lastMark time.Time
	// timeline is the environments serving, and planned (serving and
	// starting: the doubling rule's count), over time.
	timeline []point
	counts   counts
	stopped  bool
	// startTime is what the environments that started took to start: a
	// started environment's wait before it served, for the simulation.
	startTime time.Duration
}

// env is one execution environment and its requests in flight.
type env struct {
	e        lambda.Environment
	inFlight int
	cpu      time.Duration // its threads' CPU at the last look
}

// counts are what the fleet counted.
type counts struct {
	throttled, refused, scaleOuts, scaleIns, startFailures int64
	peakInFlight, peakEnvs, started                        int
}

// point is how many environments served from at on, and how many were
// planned (serving and starting).
type point struct {
	at            time.Time
	envs, planned int
}

// start starts n environments, in parallel, and adds each as it answers;
// the caller has counted them in f.starting.
func (f *fleet) start(ctx context.Context, n int) error {
	f.mu.Lock()
	ids := make([]string, n)
	for i := range ids {
		f.seq++
		ids[i] = fmt.Sprintf("env-%d", f.seq)
	}
	f.mu.Unlock()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			spec := f.spec
			spec.ID = id
			t0 := time.Now()
			e, err := f.provider.Start(ctx, spec)
			took := time.Since(t0)
			f.mu.Lock()
			f.starting--
			if err != nil || f.stopped {
				if err != nil {
					f.counts.startFailures++
				}
				f.markLocked(time.Now())
				f.mu.Unlock()
				if e != nil {
					e.Stop(context.WithoutCancel(ctx))
				}
				errs[i] = err
				return
			}
			defer f.mu.Unlock()
			f.envs = append(f.envs, &env{e: e})
			f.startTime += took
			f.counts.started++
			f.counts.peakEnvs = max(f.counts.peakEnvs, len(f.envs))
			f.markLocked(time.Now())
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// meanStart returns the mean time an environment took to start.
func (f *fleet) meanStart() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.counts.started == 0 {
		return 0
	}
	return f.startTime / time.Duration(f.counts.started)
}

// markLocked records the environments serving and planned at now.
func (f *fleet) markLocked(now time.Time) {
	f.timeline = append(f.timeline, point{now, len(f.envs), len(f.envs) + f.starting})
}

// take returns the environment with the fewest requests in flight that
// has a free slot, and counts the request in; nil when every slot is
// taken: Lambda Managed Instances then throttle (429), with no queue.
// envs and inFlight are the environments serving and the requests they
// hold, this one included.
func (f *fleet) take(now time.Time) (e *env, envs, inFlight int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var best *env
	for _, e := range f.envs {
		if e.inFlight < f.s.MaxConcurrency && (best == nil || e.inFlight < best.inFlight) {
			best = e
		}
	}
	if best == nil {
		f.counts.throttled++
		return nil, len(f.envs), f.inFlight
	}
	f.areaLocked(now)
	best.inFlight++
	f.inFlight++
	f.counts.peakInFlight = max(f.counts.peakInFlight, f.inFlight)
	return best, len(f.envs), f.inFlight
}

// release counts a request of e out.
func (f *fleet) release(e *env, now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.areaLocked(now)
	e.inFlight--
	f.inFlight--
}

// areaLocked adds the in-flight requests since the last mark to busyArea.
func (f *fleet) areaLocked(now time.Time) {
	if !f.lastMark.IsZero() {
		f.busyArea += time.Duration(f.inFlight) * now.Sub(f.lastMark)
	}
	f.lastMark = now
}

// scale looks every s.Period until ctx ends: the utilisation of the
// period is the larger of the environments' CPU over their vCPUs and
// their requests in flight over their slots; above the target it starts
// environments so that the utilisation would be at the target, at most
// doubling the fleet of doublingWindowMinutes ago (traffic that more than
// doubles within that window is throttled while the fleet catches up),
// and never above MaxEnvironments; well below it (under half the target)
// for three periods in a row it stops one, never below MinEnvironments.
// Environments start off the request path.
func (f *fleet) scale(ctx context.Context) {
	t := time.NewTicker(f.s.Period)
	defer t.Stop()
	low := 0
	prev := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			u, n, grow := f.utilisation(now, now.Sub(prev))
			prev = now
			switch {
			case grow > 0:
				low = 0
				f.background(func() { f.start(ctx, grow) })
			case u < f.s.TargetUtilization/2 && n > f.s.MinEnvironments:
				if low++; low >= 3 {
					low = 0
					f.shrink(ctx)
				}
			default:
				low = 0
			}
		}
	}
}

// utilisation returns the period's utilisation, the environments
// serving, and how many to start (counted in f.starting). The
// environments' CPU is read outside the lock: the router takes it on
// every request.
func (f *fleet) utilisation(now time.Time, period time.Duration) (u float64, n, grow int) {
	f.mu.Lock()
	envs := slices.Clone(f.envs)
	f.mu.Unlock()
	cpu := make([]time.Duration, len(envs))
	for i, e := range envs {
		cpu[i] = -1
		if a, ok := e.e.(lambda.Accounted); ok {
			if use, err := a.Usage(); err == nil {
				cpu[i] = 0
				for _, th := range use.Threads {
					cpu[i] += th.CPU
				}
			}
		}
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	f.areaLocked(now)
	n = len(f.envs)
	if n == 0 || period <= 0 {
		return 0, n, 0
	}
	sat := float64(f.busyArea) / float64(period) / float64(n*f.s.MaxConcurrency)
	f.busyArea = 0
	var used time.Duration
	for i, e := range envs {
		if cpu[i] < 0 {
			continue
		}
		if cpu[i] > e.cpu {
			used += cpu[i] - e.cpu
		}
		e.cpu = cpu[i]
	}
	cpuShare := used.Seconds() / period.Seconds() / (float64(n) * f.s.VCPUs())
	u = max(sat, cpuShare)
	want := int(math.Ceil(float64(n) * u / f.s.TargetUtilization))
	have := n + f.starting
	cap := min(f.s.MaxEnvironments, 2*f.windowStartLocked(now))
	if want > have && have < cap {
		grow = min(want, cap) - have
		f.counts.scaleOuts++
		f.starting += grow
		f.markLocked(now)
	}
	return u, n, grow
}

// windowStartLocked returns the environments of doublingWindowMinutes ago
// (of the run's start, if younger), in run time divided by the trace's
// speed.
func (f *fleet) windowStartLocked(now time.Time) int {
	window := time.Duration(doublingWindowMinutes) * time.Minute
	if f.speed > 1 {
		window = time.Duration(float64(window) / f.speed)
	}
	at := f.s.MinEnvironments
	for _, p := range f.timeline {
		if now.Sub(p.at) <= window {
			return max(at, 1)
		}
		at = p.planned
	}
	return max(at, 1)
}

// shrink stops the idlest environment once its requests are done.
func (f *fleet) shrink(ctx context.Context) {
	f.mu.Lock()
	if len(f.envs) <= f.s.MinEnvironments {
		f.mu.Unlock()
		return
	}
	i := 0
	for j, e := range f.envs {
		if e.inFlight < f.envs[i].inFlight {
			i = j
		}
	}
	e := f.envs[i]
	f.envs = append(f.envs[:i:i], f.envs[i+1:]...)
	f.counts.scaleIns++
	f.markLocked(time.Now())
	f.mu.Unlock()
	f.background(func() {
		for {
			f.mu.Lock()
			idle := e.inFlight == 0
			f.mu.Unlock()
			if idle || ctx.Err() != nil {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		e.e.Stop(context.WithoutCancel(ctx))
	})
}

// background runs fn beside the requests, unless the fleet has stopped;
// stop waits for it.
func (f *fleet) background(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped {
		return
	}
	f.bg.Add(1)
	go func() {
		defer f.bg.Done()
		fn()
	}()
}

// stop stops every environment, and waits for those starting and being
// stopped (the scaling's context, which their starts use, is cancelled
// first).
func (f *fleet) stop(ctx context.Context) error {
	f.mu.Lock()
	f.stopped = true
	envs := f.envs
	f.envs = nil
	f.markLocked(time.Now())
	f.mu.Unlock()
	f.bg.Wait()
	var wg sync.WaitGroup
	errs := make([]error, len(envs))
	for i, e := range envs {
		wg.Go(func() { errs[i] = e.e.Stop(ctx) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// envSeconds integrates the environments serving between from and to.
func (f *fleet) envSeconds(from, to time.Time) float64 {
	s, _ := f.instanceSeconds(from, to, 1, 0)
	return s
}

// instanceSeconds integrates the instances the serving environments
// needed between from and to, at least min at any time, per
// environments per instance; and the peak.
func (f *fleet) instanceSeconds(from, to time.Time, per, least int) (float64, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var total float64
	peak := least
	envs := 0
	at := from
	for _, p := range f.timeline {
		if p.at.After(at) && at.Before(to) {
			end := p.at
			if to.Before(end) {
				end = to
			}
			n := max(least, (envs+per-1)/per)
			peak = max(peak, n)
			total += float64(n) * end.Sub(at).Seconds()
			at = end
		}
		envs = p.envs
	}
	if at.Before(to) {
		n := max(least, (envs+per-1)/per)
		peak = max(peak, n)
		total += float64(n) * to.Sub(at).Seconds()
	}
	return total, peak
}
