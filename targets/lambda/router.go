package lambda

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"
)

// Defaults for the zero values of Config.
const (
	// DefaultConcurrency is the default account concurrency of a Region.
	DefaultConcurrency = 1000
	// DefaultKeepalive is how long an idle environment is kept: about 10
	// minutes was observed, and it is LocalStack's default.
	DefaultKeepalive = 10 * time.Minute
	// DefaultTimeout is Lambda's default function timeout.
	DefaultTimeout = 3 * time.Second
	// DefaultMemoryMB is Lambda's default function memory.
	DefaultMemoryMB = 128
	// DefaultStartTimeout bounds Provider.Start.
	DefaultStartTimeout = 30 * time.Second
)

// MaxPayloadBytes is Lambda's limit on a synchronous invoke's request and
// response payloads.
const MaxPayloadBytes = 6 << 20

// Config configures the emulated service and the function it runs.
type Config struct {
	// Addr is the router's listen address; empty means 127.0.0.1:0.
	Addr string
	// Function is the template of every environment's Spec; the router
	// sets ID. A zero Timeout is DefaultTimeout, a zero MemoryMB is
	// DefaultMemoryMB.
	Function Spec
	// Keepalive is how long an environment may stay idle before it is
	// reaped; zero is DefaultKeepalive.
	Keepalive time.Duration
	// Concurrency caps the environments busy at once, starting ones
	// included; above it requests are throttled with 429. Zero is
	// DefaultConcurrency.
	Concurrency int
	// StartTimeout bounds each Provider.Start; zero is DefaultStartTimeout.
	StartTimeout time.Duration

	// Provisioned is the provisioned concurrency: Run starts and
	// initializes that many environments before it returns. They are never
	// reaped, take requests before on-demand environments, count toward
	// Concurrency and are replaced when they crash or are recycled.
	Provisioned int
	// ScaleRate caps the on-demand environments started in any sliding
	// window of ScaleWindow; a request that needs one more is throttled
	// with 429. Lambda's rate is 1,000 per 10 seconds. Zero is unlimited;
	// a zero ScaleWindow with a ScaleRate is DefaultScaleWindow.
	ScaleRate   int
	ScaleWindow time.Duration
	// KeepaliveMax, when greater than Keepalive, makes each on-demand
	// environment draw its keepalive uniformly from [Keepalive,
	// KeepaliveMax], from a source seeded with Seed.
	KeepaliveMax time.Duration
	Seed         int64
	// MaxLifetime, if positive, recycles an environment older than this
	// when it is next idle, however often it is used.
	MaxLifetime time.Duration
	// Pool, if positive, is how many sandboxes (environments whose RIE
	// accepts invokes and that were never invoked) Run starts before it
	// returns and the router keeps ready, refilling the pool in the
	// background one at a time: a cold start takes one instead of
	// starting an environment, and starts one on demand, a pool miss,
	// when the pool is empty. Each sandbox is used once.
	Pool int
	// Platform is the modelled part of a cold start that a local sandbox
	// cannot reproduce (placement, a microVM's start, the code's
	// download), waited after the sandbox is taken or started and before
	// the first invoke, drawn from a source seeded with Seed. The zero
	// Delay waits nothing.
	Platform Delay

	// OnEvent, if set, is called with every change of the fleet, in order
	// and synchronously: it must be quick and must not call the Router.
	OnEvent func(Event)
}

// DefaultScaleWindow is Lambda's scaling window: 1,000 new environments
// per 10 seconds per function.
const DefaultScaleWindow = 10 * time.Second

func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:0"
	}
	if c.Function.Timeout <= 0 {
		c.Function.Timeout = DefaultTimeout
	}
	if c.Function.MemoryMB <= 0 {
		c.Function.MemoryMB = DefaultMemoryMB
	}
	if c.Keepalive <= 0 {
		c.Keepalive = DefaultKeepalive
	}
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.StartTimeout <= 0 {
		c.StartTimeout = DefaultStartTimeout
	}
	if c.ScaleRate > 0 && c.ScaleWindow <= 0 {
		c.ScaleWindow = DefaultScaleWindow
	}
	return c
}

// Router is the emulated Lambda service: an HTTP endpoint, like a Function
// URL, in front of a fleet of execution environments.
type Router struct {
	cfg    Config
	p      Provider
	ln     net.Listener
	srv    *http.Server
	client *http.Client
	ids    requestIDs

	ctx    context.Context // canceled by Close: aborts starts, ends the reaper
	cancel context.CancelFunc
	served chan error // srv.Serve's result
	bg     sync.WaitGroup

	closeOnce sync.Once
	closeErr  error

	fleet
}

// Run starts the router on cfg.Addr in front of environments started by p.
// It returns the Router even on error, possibly nil, so that the caller can
// Close it.
func Run(ctx context.Context, p Provider, cfg Config) (*Router, error) {
	cfg = cfg.withDefaults()
	if cfg.Provisioned > cfg.Concurrency {
		return nil, fmt.Errorf("provisioned concurrency %d above the concurrency limit %d", cfg.Provisioned, cfg.Concurrency)
	}
	if err := cfg.Platform.Validate(); err != nil {
		return nil, fmt.Errorf("platform delay: %w", err)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", cfg.Addr)
	if err != nil {
		return nil, err
	}
	r := &Router{
		cfg:    cfg,
		p:      p,
		ln:     ln,
		client: newClient(cfg.Function.Timeout),
		served: make(chan error, 1),
		fleet: fleet{
			rules: newRules(cfg),
			prng:  rand.New(rand.NewPCG(uint64(cfg.Seed), 0x706c6174666f726d)),
			pool:  pool{target: max(cfg.Pool, 0), wake: make(chan struct{}, 1)},
		},
	}
	if _, err := crand.Read(r.ids.prefix[:]); err != nil {
		ln.Close()
		return nil, err
	}
	r.ctx, r.cancel = context.WithCancel(context.WithoutCancel(ctx))
	r.srv = &http.Server{
		Handler:           r,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
	r.bg.Add(1)
	go r.reap()
	go func() { r.served <- r.srv.Serve(ln) }()
	if cfg.Provisioned > 0 {
		if err := r.startProvisioned(); err != nil {
			return r, err
		}
	}
	if r.pool.target > 0 {
		return r, r.fillPool(ctx)
	}
	return r, nil
}

// newClient returns the client that invokes the RIEs: keep-alive
// connections, one invoke at a time per RIE, no proxy, bounded by the
// function timeout for init and for the invoke plus a margin.
func newClient(timeout time.Duration) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConnsPerHost: 2,
			IdleConnTimeout:     15 * time.Minute,
			DisableCompression:  true,
		},
		Timeout: 2*timeout + 10*time.Second,
	}
}

// URL is the router's base URL, http://127.0.0.1:PORT.
func (r *Router) URL() string { return "http://" + r.ln.Addr().String() }

// Close stops serving (letting in-flight requests finish until ctx is
// done), stops every environment and returns once all of them are gone.
// It is safe to call on a nil Router and more than once: later calls wait
// for the first and return its result.
func (r *Router) Close(ctx context.Context) error {
	if r == nil {
		return nil
	}
	r.closeOnce.Do(func() { r.closeErr = r.close(ctx) })
	return r.closeErr
}

func (r *Router) close(ctx context.Context) error {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()

	err := r.srv.Shutdown(ctx)
	if err != nil {
		err = errors.Join(err, r.srv.Close())
	}
	if serr := <-r.served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	r.cancel()

	r.mu.Lock()
	envs := make([]*env, 0, len(r.envs))
	for e := range r.envs {
		if e.reason == 0 && !e.killed { // a killed one's exit is a crash
			e.reason = EventStopped
		}
		envs = append(envs, e)
	}
	r.idle, r.pidle = nil, nil
	sandboxes := r.drainPool()
	r.mu.Unlock()
	errs := make([]error, len(envs)+len(sandboxes))
	var wg sync.WaitGroup
	for i, e := range envs {
		wg.Go(func() { errs[i] = e.Stop(ctx) })
	}
	for i, e := range sandboxes {
		wg.Go(func() { errs[len(envs)+i] = e.Stop(ctx) })
	}
	wg.Wait()
	r.bg.Wait() // starts in flight, watchers, stops in flight, the reaper
	r.client.CloseIdleConnections()
	return errors.Join(append(errs, err)...)
}
