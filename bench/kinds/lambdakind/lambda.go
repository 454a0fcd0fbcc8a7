// Package lambdakind is the lambda kind of target: an AWS Lambda function
// behind the emulated Lambda service of targets/lambda, its execution
// environments running as containers or local processes. It records
// cold, warm and provisioned requests, writes the function's invocations,
// log and fleet timeline into the target's folder, reports the service's
// counters and prices the billed durations.
package lambdakind

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/runtimes"
	"github.com/coldbench/coldbench/targets/order"
)

// Kind runs Lambda functions. One Kind serves one run: Prepare chooses
// where their environments run, once, for all of them.
type Kind struct {
	override Sandbox             // -runtime; empty keeps each target's own
	rt       *sandboxes          // set by Prepare
	codes    map[string]prepared // by target name, set by Prepare
}

// New returns the lambda kind for one run; runtime, if not empty,
// overrides where every function's environments run (auto, container or
// process).
func New(runtime Sandbox) *Kind { return &Kind{override: runtime} }

// want returns where target t asks its environments to run.
func (k *Kind) want(t scenario.Target) Sandbox {
	if k.override != "" {
		return k.override
	}
	return Settings(t).Runtime
}

// Prepare looks for a Docker engine (sweeping the containers of killed
// runs), checks that every target's runtime is there and checks the code
// each runs (prepareCode): a bad bootstrap, zip or image is a
// *kinds.InputError, found before the run folder exists.
func (k *Kind) Prepare(ctx context.Context, targets []scenario.Target, env kinds.Env) ([]string, error) {
	rt := newSandboxes(ctx, env.Bins.RIE, env.Bins.Bootstrap)
	k.rt = rt
	k.codes = map[string]prepared{}
	var notes []string
	seen := map[string]bool{}
	for _, t := range targets {
		chosen, why, err := rt.resolve(k.want(t))
		if err != nil {
			return notes, err
		}
		if k.codes[t.Name], err = k.prepareCode(ctx, t, chosen, env); err != nil {
			return notes, err
		}
		for _, n := range rt.notes(t, chosen, why, len(targets) > 1) {
			if !seen[n] {
				seen[n] = true
				notes = append(notes, n)
				fmt.Fprintln(env.Out, n)
			}
		}
	}
	return notes, nil
}

// config is the emulated Lambda service and function of fn; with faults,
// its injected INIT failures too. When the scenario replays a trace at
// speed N (scenario.Target.Speed), the service's own durations, the keepalive (and its
// range), max_lifetime and the scaling window, are divided by N, so that
// an environment ages as the trace does: durations are in run time, trace
// time is run time × N. The function's timeout, its work and the platform
// part of a cold start stay as written: they are the function's, not the
// trace's.
func config(fn FunctionConfig, speed, workRate float64, faults bool) lambda.Config {
	w := order.Work{Init: fn.Work.Init, Request: fn.Work.Request, Wait: fn.Work.Wait, Rate: workRate}
	env := w.EnvMap()
	for k, v := range fn.Env {
		env[k] = v
	}
	if faults {
		faultEnv(fn.Faults, env)
	}
	if r, ok := runtimes.Lookup(fn.Code.Runtime); ok {
		for k, v := range r.Env() {
			env[k] = v
		}
	}
	compress := func(d time.Duration) time.Duration {
		if speed <= 0 || speed == 1 || d == 0 {
			return d
		}
		return max(time.Duration(float64(d)/speed), time.Nanosecond)
	}
	return lambda.Config{
		Function:     lambda.Spec{MemoryMB: fn.MemoryMB, Timeout: fn.Timeout, Env: env},
		Keepalive:    compress(fn.Keepalive),
		KeepaliveMax: compress(fn.KeepaliveMax),
		MaxLifetime:  compress(fn.MaxLifetime),
		Concurrency:  fn.Concurrency,
		Provisioned:  fn.Provisioned,
		ScaleRate:    fn.ScaleRate,
		ScaleWindow:  compress(fn.ScaleWindow),
		Pool:         fn.Pool,
		Platform:     fn.Platform,
		Seed:         1, // the same keepalives and platform parts drawn on every run of a scenario
	}
}

// targetConfig is config of t's function, named as t: Lambda's
// AWS_LAMBDA_FUNCTION_NAME, which a handler's context.functionName reads.
func targetConfig(t scenario.Target, workRate float64, faults bool) lambda.Config {
	cfg := config(Settings(t), t.Speed, workRate, faults)
	cfg.Function.Name = t.Name
	return cfg
}

// Start starts the function t: its provider, and the router in front of
// it, with a pool filled if t has one. The function's output goes to
// env.Dir.
func (k *Kind) Start(ctx context.Context, t scenario.Target, env kinds.Env) (kinds.Running, error) {
	if k.rt == nil {
		return nil, errors.New("lambda kind: Start before Prepare")
	}
	chosen, _, err := k.rt.resolve(k.want(t))
	if err != nil {
		return nil, err
	}
	fnlog, err := runs.OpenFunctionLog(env.Dir)
	if err != nil {
		return nil, err
	}
	f := &function{t: t, dir: env.Dir, fnlog: fnlog, runtime: chosen, tl: &timeline{}, trace: env.Trace, phases: env.Phases}
	if f.code, err = k.open(ctx, t); err != nil {
		return f, err
	}
	provider, closeProvider, err := k.rt.provider(ctx, chosen, f.code, fnlog)
	if err != nil {
		return f, err
	}
	f.closeProvider = closeProvider
	cfg := targetConfig(t, env.WorkRate, true)
	cfg.OnEvent = f.tl.add
	if cfg.Pool > 0 {
		fmt.Fprintf(env.Out, "%s: filling a pool of %d sandboxes (%s), %d at a time\n", t.Name, cfg.Pool, chosen, lambda.DefaultPoolFill)
	}
	f.router, err = lambda.Run(ctx, provider, cfg)
	return f, err
}

// function is a running Lambda function.
type function struct {
	t             scenario.Target
	dir           string
	runtime       Sandbox
	fnlog         *runs.FunctionLog
	closeProvider func(context.Context) error // nil until the provider exists
	router        *lambda.Router              // nil until it runs
	tl            *timeline
	code          *code // what it runs; its zip's folder is removed by Stop
	// trace is the scenario's whole trace (kinds.Env.Trace), which Stop
	// simulates; nil without one.
	trace *scenario.TraceData
	// phases is the scenario's schedule (kinds.Env.Phases), which Stop
	// runs through Lambda's rules (Report.Schedule).
	phases []scenario.Phase
}

func (f *function) URL() string { return f.router.URL() }

// Timeout is the function's, plus what a cold start's INIT may add (up to
// 10 s) and the round trips.
func (f *function) Timeout() time.Duration { return Settings(f.t).Timeout + 15*time.Second }

func (f *function) Begin(t time.Time) { f.tl.start(t) }

// Mark injects the function's per-request faults.
func (f *function) Mark(n uint64, h http.Header) {
	if m := faultMarker(Settings(f.t).Faults, Settings(f.t).Timeout); m != nil {
		m(n, h)
	}
}

// Chaos kills environments from outside every faults.kill_every.
func (f *function) Chaos(ctx context.Context, out io.Writer) func() {
	if every := Settings(f.t).Faults.KillEvery; every > 0 && f.router != nil {
		return killEvery(ctx, f.router, every, f.t.Name, out)
	}
	return func() {}
}

// Status is the fleet's size for the progress lines.
func (f *function) Status() string {
	if f.router == nil {
		return ""
	}
	st := f.router.Stats()
	s := fmt.Sprintf("envs %d (busy %d, throttled %d)", st.Live, st.Busy, st.Throttled)
	if st.PoolTarget > 0 {
		s += fmt.Sprintf("  pool %d/%d", st.PoolReady, st.PoolTarget)
	}
	return s
}

// Stop closes the router and the provider, writes the fleet's timeline and
// prices what the function used from its invocations.
func (f *function) Stop(ctx context.Context, rec *record.Target) (kinds.Report, error) {
	rep := kinds.Report{Runtime: string(f.runtime)}
	if f.code != nil {
		rep.Code = f.code.record
	}
	var errs []error
	if f.router != nil {
		errs = append(errs, f.router.Close(ctx))
		rep.Counters = Counters(f.router.Stats())
	}
	if f.closeProvider != nil {
		errs = append(errs, f.closeProvider(ctx))
	}
	errs = append(errs, f.code.close())
	errs = append(errs, f.fnlog.Close()) // flushes invocations.csv, which the usage reads
	if f.router != nil {
		rep.Timeline = f.tl.record()
		errs = append(errs, runs.WriteEnvironments(f.dir, rep.Timeline))
	}
	if rec != nil {
		rep.Schedule = scheduleByRules(f.phases, Settings(f.t), f.t.Speed, rec)
		u, b, notes, err := usage(rec, rep.Timeline, Settings(f.t), f.dir)
		if err != nil {
			rep.Unpriced = err.Error()
		} else {
			rep.Usage = functionUsage{*u}
			rep.CostNotes = notes
			if f.trace != nil {
				if rep.Trace, err = wholeTrace(f.trace, Settings(f.t), rec, u, b); err != nil {
					rep.Trace = &kinds.TraceUse{Notes: []string{err.Error()}} // unpriced for the trace, not a failed run
				}
			}
		}
	}
	return rep, errors.Join(errs...)
}
