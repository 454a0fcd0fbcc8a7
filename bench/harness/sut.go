package harness

import (
	"context"
	"fmt"
	"time"

	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/process"
	"github.com/coldbench/coldbench/targets/order"
	"github.com/coldbench/coldbench/targets/server"
)

// sut is a started system under test.
type sut struct {
	url     string
	timeout time.Duration // per request
	stop    func(context.Context) error

	status      func() string        // extra progress text; nil for none
	lambdaStats func() *lambda.Stats // nil for a server
	notes       func() []string
}

// start starts the target called name with the scenario's settings. On error
// the sut it returns, if not nil, must still be stopped.
func (r *runner) start(ctx context.Context, name scenario.Target) (*sut, error) {
	sc := r.cfg.Scenario
	switch name {
	case scenario.Server:
		w := order.Work{Init: sc.Server.Work.Init, Request: sc.Server.Work.Request, Rate: r.rate}
		srv, err := server.Run(ctx, r.bins.Server, server.Config{Work: w})
		if srv == nil {
			return nil, err
		}
		return &sut{url: srv.URL(), timeout: 30 * time.Second, stop: srv.Stop}, err

	case scenario.Lambda:
		fn := sc.Function
		w := order.Work{Init: fn.Work.Init, Request: fn.Work.Request, Rate: r.rate}
		env := w.EnvMap()
		for k, v := range fn.Env {
			env[k] = v
		}
		provider := process.New(r.bins.RIE, r.bins.Bootstrap, process.WithOutput(r.dir.fnlog))
		router, err := lambda.Run(ctx, provider, lambda.Config{
			Function:    lambda.Spec{MemoryMB: fn.MemoryMB, Timeout: fn.Timeout, Env: env},
			Keepalive:   fn.Keepalive,
			Concurrency: fn.Concurrency,
		})
		if router == nil {
			return nil, err
		}
		return &sut{
			url:     router.URL(),
			timeout: fn.Timeout + 15*time.Second, // a cold start's init may take up to 10 s more
			stop:    router.Close,
			status: func() string {
				st := router.Stats()
				return fmt.Sprintf("envs %d (busy %d, throttled %d)", st.Live, st.Busy, st.Throttled)
			},
			lambdaStats: func() *lambda.Stats { st := router.Stats(); return &st },
			notes: func() []string {
				return []string{"Lambda execution environments ran as local processes (" + provider.Name() + " provider)."}
			},
		}, err
	}
	return nil, fmt.Errorf("unknown target %q", name)
}
