package harness

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/order"
	"github.com/coldbench/coldbench/targets/server"
)

// sut is a started system under test.
type sut struct {
	url     string
	timeout time.Duration // per request
	stop    func(context.Context) error

	status      func() string             // extra progress text; nil for none
	lambdaStats func() *lambda.Stats      // nil for a server
	timeline    *timeline                 // nil for a server
	mark        func(uint64, http.Header) // injects faults into requests; nil for none
	// chaos starts the faults that happen beside the requests and returns
	// what ends them; nil for none.
	chaos func(context.Context) (stop func())
}

// lambdaConfig is the emulated Lambda service and function of the
// scenario, with its injected INIT failures if faults.
func (r *runner) lambdaConfig(faults bool) lambda.Config {
	fn := r.cfg.Scenario.Function
	w := order.Work{Init: fn.Work.Init, Request: fn.Work.Request, Wait: fn.Work.Wait, Rate: r.rate}
	env := w.EnvMap()
	for k, v := range fn.Env {
		env[k] = v
	}
	if faults {
		faultEnv(fn.Faults, env)
	}
	return lambda.Config{
		Function:     lambda.Spec{MemoryMB: fn.MemoryMB, Timeout: fn.Timeout, Env: env},
		Keepalive:    fn.Keepalive,
		KeepaliveMax: fn.KeepaliveMax,
		MaxLifetime:  fn.MaxLifetime,
		Concurrency:  fn.Concurrency,
		Provisioned:  fn.Provisioned,
		ScaleRate:    fn.ScaleRate,
		ScaleWindow:  fn.ScaleWindow,
		Pool:         fn.Pool,
		Platform:     fn.Platform,
		Seed:         1, // the same keepalives and platform parts drawn on every run of a scenario
	}
}

// start starts the target called name with the scenario's settings. On error
// the sut it returns, if not nil, must still be stopped.
func (r *runner) start(ctx context.Context, name scenario.Target) (*sut, error) {
	sc := r.cfg.Scenario
	switch name {
	case scenario.Server:
		w := order.Work{Init: sc.Server.Work.Init, Request: sc.Server.Work.Request, Wait: sc.Server.Work.Wait, Rate: r.rate}
		srv, err := server.Run(ctx, r.bins.Server, server.Config{Work: w})
		if srv == nil {
			return nil, err
		}
		// The load starts right after this and ends right before stop.
		return &sut{url: srv.URL(), timeout: 30 * time.Second, stop: r.meterCPU(srv.PID(), srv.Stop)}, err

	case scenario.Lambda:
		provider, closeProvider, err := r.rt.provider(ctx, r.rt.chosen, r.dir.fnlog)
		if err != nil {
			return nil, err
		}
		tl := &timeline{}
		cfg := r.lambdaConfig(true)
		cfg.OnEvent = tl.add
		if cfg.Pool > 0 {
			fmt.Fprintf(r.out, "lambda: filling a pool of %d sandboxes (%s), %d at a time\n", cfg.Pool, r.rt.chosen, lambda.DefaultPoolFill)
		}
		router, err := lambda.Run(ctx, provider, cfg)
		if router == nil {
			return &sut{stop: closeProvider}, err
		}
		fn := sc.Function
		return &sut{
			timeline: tl,
			mark:     faultMarker(fn.Faults, fn.Timeout),
			chaos: func(ctx context.Context) func() {
				if fn.Faults.KillEvery <= 0 {
					return func() {}
				}
				return killEvery(ctx, router, fn.Faults.KillEvery, r.out)
			},
			url:     router.URL(),
			timeout: fn.Timeout + 15*time.Second, // a cold start's init may take up to 10 s more
			stop: func(ctx context.Context) error {
				return errors.Join(router.Close(ctx), closeProvider(ctx))
			},
			status: func() string {
				st := router.Stats()
				s := fmt.Sprintf("envs %d (busy %d, throttled %d)", st.Live, st.Busy, st.Throttled)
				if st.PoolTarget > 0 {
					s += fmt.Sprintf("  pool %d/%d", st.PoolReady, st.PoolTarget)
				}
				return s
			},
			lambdaStats: func() *lambda.Stats { st := router.Stats(); return &st },
		}, err
	}
	return nil, fmt.Errorf("unknown target %q", name)
}
