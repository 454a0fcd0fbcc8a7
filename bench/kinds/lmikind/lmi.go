// Package lmikind is the lmi kind of target: a function on AWS Lambda
// Managed Instances, the middle of the spectrum between a function on
// demand and a server. Its execution environments are the real RIE in
// that service's mode (targets/lambda, Spec.MaxConcurrency), each taking
// many requests at once, on EC2 instances of a chosen type; they start
// before the load (at least MinEnvironments) and when the scaling asks,
// never on a request's path; a request with no free slot is throttled
// (429). It is priced per instance-hour with Lambda's management fee, and
// per request (prices.json's kinds.lmi). What AWS does not publish (the
// scaling's period and target, the default concurrency of a bootstrap)
// is coldbench's choice, said in docs/kinds.md.
package lmikind

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/kinds/lambdakind"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/build"
	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/container"
	"github.com/coldbench/coldbench/targets/lambda/process"
	"github.com/coldbench/coldbench/targets/order"
)

// Kind runs lmi targets; one Kind serves one run.
type Kind struct {
	override string            // -sandbox; empty keeps each target's own
	images   map[string]string // by bootstrap: its image, built by Prepare where containers run
	noDocker error
}

// New returns the lmi kind for one run; sandbox, if not empty, overrides
// where every target's environments run (auto, container or process).
func New(sandbox string) *Kind { return &Kind{override: sandbox, images: map[string]string{}} }

// bootstrap returns the bootstrap t runs: its own, or the built-in one.
func bootstrap(t scenario.Target, bins build.Binaries) string {
	if b := settings(t).Bootstrap; b != "" {
		return b
	}
	return bins.Bootstrap
}

var (
	_ kinds.Kind     = (*Kind)(nil)
	_ kinds.Preparer = (*Kind)(nil)
	_ kinds.Statuser = (*running)(nil)
)

// sandbox says where t's environments run.
func (k *Kind) sandbox(t scenario.Target) string {
	want := settings(t).Sandbox
	if k.override != "" {
		want = k.override
	}
	if want == "auto" {
		if k.noDocker != nil {
			return lambda.ProcessSandbox
		}
		return lambda.ContainerSandbox
	}
	return want
}

// Prepare builds the function's image where containers are asked for or
// available, once.
func (k *Kind) Prepare(ctx context.Context, targets []scenario.Target, env kinds.Env) ([]string, error) {
	if _, err := container.Sweep(ctx); err != nil {
		k.noDocker = err
	}
	var notes []string
	for _, t := range targets {
		sb := k.sandbox(t)
		if sb == lambda.ProcessSandbox && os.Geteuid() != 0 {
			return nil, &kinds.InputError{Target: t.Name, Msg: "sandbox process: a managed-instances environment runs as a process in a mount namespace of its own (its RIE insists on /var/task/bootstrap), which needs root; run coldbench as root, or use sandbox: container"}
		}
		boot := bootstrap(t, env.Bins)
		if own := settings(t).Bootstrap; own != "" {
			if err := lambdakind.CheckBootstrap(t.Name, "targets."+t.Name+".bootstrap "+own, own, sb == lambda.ContainerSandbox); err != nil {
				return nil, err
			}
		}
		if sb == lambda.ContainerSandbox && k.images[boot] == "" {
			if k.noDocker != nil {
				return nil, &kinds.InputError{Target: t.Name, Msg: fmt.Sprintf("sandbox container: no Docker engine answered (%v); use sandbox: process", k.noDocker)}
			}
			img, err := container.BuildImage(ctx, env.Bins.RIE, boot)
			if err != nil {
				return nil, fmt.Errorf("%s: building the function's image: %w", t.Name, err)
			}
			k.images[boot] = img
		}
		s := settings(t)
		where := map[string]string{lambda.ContainerSandbox: "containers", lambda.ProcessSandbox: "local processes"}[sb]
		n := fmt.Sprintf("%s: Lambda Managed Instances, environments as %s: the real RIE in its managed-instances mode, %d requests at once each, %g vCPU and %d MB; at least %d, at most %d, scaled every %s at %g%% utilisation (coldbench's choice: AWS publishes neither).",
			t.Name, where, s.MaxConcurrency, s.VCPUs(), s.MemoryMB, s.MinEnvironments, s.MaxEnvironments, scenario.FormatDuration(s.Period), s.TargetUtilization*100)
		notes = append(notes, n)
		fmt.Fprintln(env.Out, n)
	}
	return notes, nil
}

// Start starts t's minimum environments and its router.
func (k *Kind) Start(ctx context.Context, t scenario.Target, env kinds.Env) (kinds.Running, error) {
	s := settings(t)
	var provider lambda.Provider
	out := io.Discard
	switch k.sandbox(t) {
	case lambda.ContainerSandbox:
		img := k.images[bootstrap(t, env.Bins)]
		if img == "" {
			return nil, errors.New("lmi: the function's image was not built (Prepare)")
		}
		p, err := container.New(img, container.WithOutput(out))
		if err != nil {
			return nil, err
		}
		provider = p
	default:
		provider = process.New(env.Bins.RIE, bootstrap(t, env.Bins), process.WithOutput(out))
	}
	fnEnv := map[string]string{}
	if s.Bootstrap == "" {
		fnEnv = order.Work{Init: s.Work.Init, Request: s.Work.Request, Wait: s.Work.Wait, Rate: env.WorkRate}.EnvMap()
	}
	for k, v := range s.Env {
		fnEnv[k] = v
	}
	f := &fleet{s: s, provider: provider, speed: t.Speed,
		spec: lambda.Spec{Name: t.Name, MemoryMB: s.MemoryMB, Timeout: s.Timeout, Env: fnEnv, MaxConcurrency: s.MaxConcurrency, VCPUs: s.VCPUs()}}
	r := &running{t: t, s: s, f: f, provider: provider, began: time.Now(), trace: env.Trace}
	f.mu.Lock()
	f.starting += s.MinEnvironments
	f.mu.Unlock()
	if err := f.start(ctx, s.MinEnvironments); err != nil {
		return r, fmt.Errorf("%s: starting its environments: %w", t.Name, err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return r, err
	}
	r.l = l
	r.srv = &http.Server{Handler: &router{f: f, client: &http.Client{Timeout: s.Timeout + 5*time.Second,
		Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: s.MaxConcurrency + 1}}}}
	go r.srv.Serve(l)
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	r.cancel = cancel
	go f.scale(sctx)
	fmt.Fprintf(env.Out, "%s: ready at %s, %d environments\n", t.Name, r.URL(), s.MinEnvironments)
	return r, nil
}

// running is a started lmi target.
type running struct {
	t        scenario.Target
	s        Settings
	f        *fleet
	provider lambda.Provider
	l        net.Listener
	srv      *http.Server
	cancel   context.CancelFunc
	began    time.Time
	trace    *scenario.TraceData // the whole trace, when the scenario replays one
}

func (r *running) URL() string            { return "http://" + r.l.Addr().String() }
func (r *running) Timeout() time.Duration { return r.s.Timeout + 15*time.Second }

// Status says the fleet's state for the progress lines.
func (r *running) Status() string {
	r.f.mu.Lock()
	defer r.f.mu.Unlock()
	return fmt.Sprintf("envs %d (+%d starting), in flight %d, throttled %d", len(r.f.envs), r.f.starting, r.f.inFlight, r.f.counts.throttled)
}

// Stop stops the router, the scaling and the environments, and reports
// the fleet's counters and what it used.
func (r *running) Stop(ctx context.Context, rec *record.Target) (kinds.Report, error) {
	end := time.Now()
	var errs []error
	if r.cancel != nil {
		r.cancel()
	}
	if r.srv != nil {
		errs = append(errs, r.srv.Shutdown(ctx))
	}
	errs = append(errs, r.f.stop(ctx))
	if c, ok := r.provider.(interface{ Close(context.Context) error }); ok {
		errs = append(errs, c.Close(ctx))
	}
	rep := kinds.Report{Code: &record.Code{Form: "built-in", Path: "the order function (targets/function)"}}
	if b := r.s.Bootstrap; b != "" {
		if code, err := kinds.FileCode("bootstrap", b, b); err == nil {
			rep.Code = code
		}
	}
	r.f.mu.Lock()
	c := r.f.counts
	r.f.mu.Unlock()
	rep.Counters = record.Counters{
		{Key: "peak_in_flight", Label: "peak requests in flight", Value: int64(c.peakInFlight), Merge: record.MergeMax, Report: true},
		{Key: "peak_environments", Label: "peak environments serving", Value: int64(c.peakEnvs), Merge: record.MergeMax, Report: true},
		{Key: "slots_full", Label: "requests throttled: every slot taken (429)", Value: c.throttled, Merge: record.MergeSum, Report: true},
		{Key: "refused", Label: "refused by an environment between polls, retried", Value: c.refused, Merge: record.MergeSum},
		{Key: "environments_started", Label: "environments started", Value: int64(c.started), Merge: record.MergeSum},
		{Key: "start_failures", Label: "environments that failed to start", Value: c.startFailures, Merge: record.MergeSum, Report: c.startFailures > 0},
		{Key: "scale_outs", Label: "scale-outs", Value: c.scaleOuts, Merge: record.MergeSum},
		{Key: "scale_ins", Label: "scale-ins", Value: c.scaleIns, Merge: record.MergeSum},
	}
	if rec != nil {
		p, err := cost.Default()
		if err == nil {
			if in, ok := p.Instances[r.s.Instance]; ok {
				lp, _ := pricesOf(p)
				from := rec.Began
				if from.IsZero() {
					from = r.began
				}
				secs, peak := r.f.instanceSeconds(from, end, max(1, perInstance(r.s, in)), lp.MinInstances.Value)
				var sent int64
				if all := rec.Classes[record.All]; all != nil {
					sent = all.Counts.Requests
				}
				rep.Usage = usage{s: r.s, InstanceSeconds: secs, Seconds: end.Sub(from).Seconds(), PeakInstances: peak, Requests: sent,
					EnvSeconds: r.f.envSeconds(from, end),
					Source:     "the environments this run kept serving, packed on instances"}
			}
		}
	}
	return rep, errors.Join(errs...)
}

// wholeTrace simulates the whole trace through the fleet's rules
// (simulate) and says what it would use.
func (r *running) wholeTrace(rec *record.Target, per, least int) (*kinds.TraceUse, error) {
	sim, err := simulate(r.trace, r.s, rec, r.f.meanStart(), max(1, per), least)
	if err != nil {
		return nil, err
	}
	u := usage{s: r.s, InstanceSeconds: sim.instanceSeconds, Seconds: sim.span.Seconds(), PeakInstances: sim.peakInstances,
		Requests: sim.requests, EnvSeconds: sim.envSeconds, Source: "simulated: the whole trace through the fleet's rules on a virtual clock"}
	return &kinds.TraceUse{Usage: u, Notes: []string{traceNote(r.trace, r.s, sim)}}, nil
}
