// Package serverkind is the server kind of target: an always-on HTTP
// server, the built-in order service (targets/server) or the user's own
// (targets/userserver: a command run as a local process, or an image run
// as a container with its instance type's vCPUs and memory). It records
// one class, all; it measures the server's CPU time over the load, which
// prices the instances the server needs.
package serverkind

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/order"
	"github.com/coldbench/coldbench/targets/server"
)

// Kind runs servers.
type Kind struct{}

// Start starts the server t and begins metering its CPU: the load starts
// right after it and ends right before Stop.
func (Kind) Start(ctx context.Context, t scenario.Target, env kinds.Env) (kinds.Running, error) {
	switch {
	case len(Settings(t).Command) > 0:
		return startCommand(ctx, t, env)
	case Settings(t).Image != "":
		return startImage(ctx, t, env)
	}
	code, err := kinds.FileCode("built-in", "the order server (targets/httpserver)", env.Bins.Server)
	if err != nil {
		return nil, err
	}
	w := Settings(t).Work
	srv, err := server.Run(ctx, env.Bins.Server, server.Config{Work: order.Work{Init: w.Init, Request: w.Request, Wait: w.Wait, Rate: env.WorkRate}})
	if srv == nil {
		return nil, err
	}
	return &running{srv: srv, cpu: meter(srv.PID()), code: code}, err
}

// running is a started server.
type running struct {
	srv  *server.Server
	cpu  func() *cpuUsage
	code *record.Code
}

func (r *running) URL() string            { return r.srv.URL() }
func (r *running) Timeout() time.Duration { return 30 * time.Second }

// Stop reads the server's CPU time over the load, stops it and returns
// what it used.
func (r *running) Stop(ctx context.Context, rec *record.Target) (kinds.Report, error) {
	cpu := r.cpu()
	err := r.srv.Stop(ctx)
	rep := kinds.Report{Code: r.code}
	if rec == nil {
		return rep, err
	}
	rep.Usage = serverUsageOf{*serverUsage(rec, cpu)}
	rep.CostNotes = tickNote(rec.Name, cpu)
	return rep, err
}

// tickNote is the caveat of a CPU time of few ticks, if it is one.
func tickNote(name string, cpu *cpuUsage) []string {
	if cpu.err == nil && cpu.used > 0 && cpu.used < 100*cpu.tick {
		return []string{fmt.Sprintf("%s used %v of CPU, which is counted in ticks of %v: its capacity is known to ±%.0f%%; a longer schedule measures it better.",
			name, cpu.used, cpu.tick, 100*float64(cpu.tick)/float64(cpu.used))}
	}
	return nil
}

// machine describes this machine's resources for notes.
func machine() string {
	return fmt.Sprintf("%d CPUs", runtime.NumCPU())
}
