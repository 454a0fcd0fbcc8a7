package lambda

import (
	"context"
	"iter"
	"math/rand/v2"
	"time"
)

// Simulation is a whole trace run through the fleet's rules on a virtual
// clock: the same rules the Router follows (take, release, reap, throttle,
// provisioned concurrency, maximum lifetime, the scaling window), around
// environments that exist only as accounting. No request is sent and no
// environment started; an invocation keeps its environment busy for a
// time the Service draws. Memory grows with the environments live at once
// and the trace's span, never with its requests.
type Simulation struct {
	// Config is the function's service settings, as Run takes them and
	// at the trace's own speed: Concurrency, Keepalive, KeepaliveMax,
	// MaxLifetime, Provisioned, ScaleRate, ScaleWindow and Seed (which
	// draws the keepalives). Its other fields are not used.
	Config Config
	// Span is the trace's length: the simulation ends there, with the
	// environments still live counted until then.
	Span time.Duration
	// Bucket is the length of the buckets of Result.Buckets; zero is an
	// hour for a span of more than 6 hours, a minute for more than 6
	// minutes, else a second.
	Bucket time.Duration
	// Seed seeds the draws of the Service.
	Seed uint64
}

// Service draws how long an invocation keeps its environment busy: a cold
// one (the environment's start, INIT and the invoke) or a warm one.
type Service interface {
	Duration(cold bool, rng *rand.Rand) time.Duration
}

// SimCounts are the figures of a simulation, over the whole trace or one
// bucket of it. A request counts in the bucket it arrives in; the peaks
// and environment-seconds in the buckets they span.
type SimCounts struct {
	Requests    int64 `json:"requests"`
	Invocations int64 `json:"invocations"` // requests that reached an environment
	ColdStarts  int64 `json:"cold_starts"` // of them, those that started one
	// Provisioned are the invocations provisioned environments served.
	Provisioned    int64 `json:"provisioned_invocations"`
	Throttled      int64 `json:"throttled"` // 429 at the concurrency limit
	ScaleThrottled int64 `json:"scale_throttled"`
	// PeakConcurrency is the most environments busy at once, starting
	// ones included; PeakLive the most live.
	PeakConcurrency int `json:"peak_concurrency"`
	PeakLive        int `json:"peak_live"`
	// EnvironmentSeconds is the time environments were live, busy or
	// idle; WarmSeconds and ColdSeconds the busy time the Service drew
	// for warm and cold invocations.
	EnvironmentSeconds float64 `json:"environment_seconds"`
	WarmSeconds        float64 `json:"warm_seconds"`
	ColdSeconds        float64 `json:"cold_seconds"`
}

// SimResult is what a Simulation found.
type SimResult struct {
	Span    time.Duration `json:"span_ns"`
	Bucket  time.Duration `json:"bucket_ns"`
	Total   SimCounts     `json:"total"`
	Buckets []SimCounts   `json:"buckets"` // in time order, Span/Bucket of them, rounded up
	// Stats are the rules' own counters at the end: reaps, recycles,
	// environments started, provisioned ones included.
	Stats Stats `json:"stats"`
}

// virtualEnv is a simulated environment's Environment: it never exits on
// its own, and stopping it does nothing.
type virtualEnv struct{}

func (virtualEnv) ID() string                 { return "" }
func (virtualEnv) InvokeURL() string          { return "" }
func (virtualEnv) Done() <-chan struct{}      { return nil }
func (virtualEnv) Stop(context.Context) error { return nil }

// Simulate runs the requests arriving at the instants of arrivals (from the
// trace's start, in order; those at or past s.Span are left out) through
// the fleet's rules on a virtual clock, each invocation lasting what svc
// draws.
func Simulate(s Simulation, arrivals iter.Seq[time.Duration], svc Service) SimResult {
	cfg := s.Config.withDefaults()
	if s.Bucket <= 0 {
		switch {
		case s.Span > 6*time.Hour:
			s.Bucket = time.Hour
		case s.Span > 6*time.Minute:
			s.Bucket = time.Minute
		default:
			s.Bucket = time.Second
		}
	}
	n := max(int((s.Span+s.Bucket-1)/s.Bucket), 1)
	sim := &simulator{
		rules: newRules(cfg), cfg: cfg, svc: svc, span: s.Span, bucket: s.Bucket,
		out: SimResult{Span: s.Span, Bucket: s.Bucket, Buckets: make([]SimCounts, n)},
		rng: rand.New(rand.NewPCG(s.Seed, 0x73696d756c617465)),
	}
	sim.tick = sim.reapEvery() // the router's period
	sim.nextTick = sim.tick
	for range cfg.Provisioned {
		sim.provision(0)
	}
	for at := range arrivals {
		if at >= s.Span {
			break
		}
		sim.until(at)
		sim.arrive(at)
	}
	sim.until(s.Span)
	sim.advance(s.Span)
	sim.out.Stats = sim.stats
	for _, b := range sim.out.Buckets {
		sim.out.Total.add(b)
	}
	return sim.out
}

// simulator is a Simulation under way.
type simulator struct {
	rules
	cfg            Config
	svc            Service
	span, bucket   time.Duration
	out            SimResult
	rng            *rand.Rand
	busyUntil      completions
	tick, nextTick time.Duration // the reaper's period, its next tick
	now            time.Duration // how far environment-seconds are counted
	stopped        []*env        // retired by a reap, to drop once it is over
}

// at is instant d of the virtual clock as a time.Time, for the rules: d
// after the Unix epoch.
func (s *simulator) at(d time.Duration) time.Time { return time.Unix(0, int64(d)).UTC() }

// bucketOf returns the bucket of instant d.
func (s *simulator) bucketOf(d time.Duration) *SimCounts {
	return &s.out.Buckets[min(int(d/s.bucket), len(s.out.Buckets)-1)]
}

// advance counts the live environments' time up to d, bucket by bucket,
// and carries the peaks into each bucket it enters.
func (s *simulator) advance(d time.Duration) {
	for s.now < d {
		b := s.bucketOf(s.now)
		end := min(d, (s.now/s.bucket+1)*s.bucket)
		b.EnvironmentSeconds += float64(len(s.envs)) * (end - s.now).Seconds()
		s.now = end
		if s.now < d || s.now%s.bucket == 0 {
			nb := s.bucketOf(s.now)
			nb.PeakLive = max(nb.PeakLive, len(s.envs))
			nb.PeakConcurrency = max(nb.PeakConcurrency, s.busy)
		}
	}
}

// until runs the invocations that end and the reaper's ticks up to d, in
// time order, a tick before an end at the same instant.
func (s *simulator) until(d time.Duration) {
	for {
		end := time.Duration(1<<63 - 1)
		if len(s.busyUntil) > 0 {
			end = s.busyUntil[0].at
		}
		switch {
		case s.nextTick <= d && s.nextTick <= end:
			s.reapAt(s.nextTick)
		case end <= d:
			c := s.busyUntil.pop()
			s.advance(c.at)
			if stop, replace := s.release(c.e, invokeOK, s.at(c.at)); stop != 0 {
				s.drop(c.e, replace, c.at)
			}
			// The reaper may have skipped ahead while nothing was idle:
			// an environment idle now is checked from the next tick.
			if next := (c.at/s.tick + 1) * s.tick; s.nextTick > next {
				s.nextTick = next
			}
		default:
			return
		}
	}
}

// reapAt runs the reaper's tick at t and sets the next one: the next
// period, or, with nothing idle to reap, the first tick after the next
// invocation ends (until pulls it back when an earlier one ends), or
// none while nothing is busy either.
func (s *simulator) reapAt(t time.Duration) {
	s.rules.reap(s.at(t), func(e *env, _ bool) { s.stopped = append(s.stopped, e) })
	if len(s.stopped) > 0 {
		s.advance(t)
		for _, e := range s.stopped {
			s.drop(e, e.provisioned, t) // a provisioned one is replaced
		}
		clear(s.stopped)
		s.stopped = s.stopped[:0]
	}
	s.nextTick = t + s.tick
	if len(s.idle) == 0 && (s.cfg.MaxLifetime <= 0 || len(s.pidle) == 0) {
		switch {
		case len(s.busyUntil) == 0:
			s.nextTick = 1<<63 - 1
		case s.busyUntil[0].at > s.nextTick:
			s.nextTick = (s.busyUntil[0].at + s.tick - 1) / s.tick * s.tick
		}
	}
}

// drop has e, which the rules retired at t, exit at once, and a
// provisioned environment take its place if replace.
func (s *simulator) drop(e *env, replace bool, t time.Duration) {
	s.exited(e)
	if replace && s.cfg.Provisioned > 0 {
		s.provision(t)
	}
}

// provision starts a provisioned environment at t, initialized at once.
func (s *simulator) provision(t time.Duration) {
	s.advance(t)
	s.rules.provision()
	s.started(&env{Environment: virtualEnv{}, provisioned: true}, s.at(t))
	s.peak(t)
}

// arrive runs the request arriving at t.
func (s *simulator) arrive(t time.Duration) {
	s.advance(t)
	b := s.bucketOf(t)
	b.Requests++
	e, res := s.take(s.at(t))
	switch res {
	case throttled:
		b.Throttled++
		return
	case scaleThrottled:
		b.ScaleThrottled++
		return
	}
	cold := e == nil
	if cold {
		e = &env{Environment: virtualEnv{}}
		s.started(e, s.at(t))
		b.ColdStarts++
	}
	b.Invocations++
	if e.provisioned {
		b.Provisioned++
	}
	d := max(s.svc.Duration(cold, s.rng), time.Microsecond)
	if cold {
		b.ColdSeconds += d.Seconds()
	} else {
		b.WarmSeconds += d.Seconds()
	}
	s.busyUntil.push(completion{at: t + d, e: e})
	s.peak(t)
}

// peak carries the fleet's size at t into its bucket's peaks.
func (s *simulator) peak(t time.Duration) {
	b := s.bucketOf(t)
	b.PeakConcurrency = max(b.PeakConcurrency, s.busy)
	b.PeakLive = max(b.PeakLive, len(s.envs))
}

// add adds the counts of bucket b to c: sums, and the larger peaks.
func (c *SimCounts) add(b SimCounts) {
	c.Requests += b.Requests
	c.Invocations += b.Invocations
	c.ColdStarts += b.ColdStarts
	c.Provisioned += b.Provisioned
	c.Throttled += b.Throttled
	c.ScaleThrottled += b.ScaleThrottled
	c.PeakConcurrency = max(c.PeakConcurrency, b.PeakConcurrency)
	c.PeakLive = max(c.PeakLive, b.PeakLive)
	c.EnvironmentSeconds += b.EnvironmentSeconds
	c.WarmSeconds += b.WarmSeconds
	c.ColdSeconds += b.ColdSeconds
}

// completion is an invocation's end: when its environment is free again.
type completion struct {
	at time.Duration
	e  *env
}

// completions is a min-heap of completions by time, typed so that a
// push does not allocate.
type completions []completion

func (c *completions) push(x completion) {
	h := append(*c, x)
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if h[p].at <= h[i].at {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
	*c = h
}

func (c *completions) pop() completion {
	h := *c
	x := h[0]
	n := len(h) - 1
	h[0], h[n] = h[n], completion{}
	h = h[:n]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < n && h[l].at < h[m].at {
			m = l
		}
		if r := l + 1; r < n && h[r].at < h[m].at {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	*c = h
	return x
}
