// Package harness runs a scenario end to end: it builds and starts each
// target, drives the schedule at it (package attack), records the results
// (package record) and writes the run folder with its report (package
// report).
package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/attack"
	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/report"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/build"
	"github.com/coldbench/coldbench/targets/order"
)

// ErrInterrupted is returned (wrapped) by Run when its context was cancelled
// before the schedule finished; the run folder then holds partial results.
var ErrInterrupted = errors.New("run interrupted")

// Config tells Run what to run and where to write.
type Config struct {
	Scenario   *scenario.Scenario
	ReportsDir string // run folders are made under it
	BinDir     string // the target binaries are built (or linked) into it
	// RIE is an aws-lambda-rie executable to run (coldbench run -rie);
	// empty: built from the module in a checkout, else found (build.FindRIE).
	RIE   string
	RunID string // name of the run folder; default: UTC time and scenario name
	// Kinds runs the targets' kinds; nil is all.Kinds with no options.
	Kinds kinds.Registry
	// Probes is how many cold starts to measure one at a time in each
	// runtime this machine has, before the load; zero measures none.
	Probes int
	// RateScale, if not 0 or 1, is what Scenario's rates were multiplied
	// by (scenario.Scaled); the summary and the report say so.
	RateScale float64

	// Priority runs coldbench's own process ahead of its targets for the
	// CPU for the run (raisePriority), where the kernel lets it: the load
	// generator and the router then do not queue behind the environments.
	// It changes the whole session's priority until Run returns, so only
	// the command line sets it, not tests.
	Priority bool

	// Progress receives progress lines during the run; nil means none.
	Progress io.Writer
	// ProgressEvery is the time between two progress lines; default 5s.
	ProgressEvery time.Duration
}

// Result is what a run produced.
type Result struct {
	Dir         string // the run folder
	Report      string // its index.html
	Summary     *runs.Summary
	Interrupted bool
}

// Run runs cfg.Scenario and writes its run folder. When ctx is cancelled it
// stops the load, keeps what was measured, writes the run folder, stops every
// target and returns a Result with an error wrapping ErrInterrupted.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	res, err := run(ctx, cfg)
	if err != nil && res == nil && ctx.Err() != nil {
		// Stopped before anything was measured: still an interruption.
		return nil, fmt.Errorf("%w before the load started", ErrInterrupted)
	}
	return res, err
}

func run(ctx context.Context, cfg Config) (*Result, error) {
	sc := cfg.Scenario
	out := cfg.Progress
	if out == nil {
		out = io.Discard
	}
	if cfg.ProgressEvery <= 0 {
		cfg.ProgressEvery = 5 * time.Second
	}
	fmt.Fprintf(out, "coldbench: scenario %s (%s): %v per target, targets %s%s\n",
		sc.Name, sc.Path, sc.Duration(), strings.Join(sc.Names(), ", "), map[bool]string{true: " at the same time", false: " one after the other"}[sc.Concurrent])

	fmt.Fprintf(out, "building targets into %s\n", cfg.BinDir)
	bins, err := build.Build(ctx, build.Config{Dir: cfg.BinDir, RIE: cfg.RIE, Log: out})
	if err != nil {
		return nil, fmt.Errorf("building the targets: %w", err)
	}
	rate := order.Calibrate()
	fmt.Fprintf(out, "work calibrated: %.0f iterations per ms of CPU\n", rate)
	env := kinds.Env{Bins: bins, WorkRate: rate, Out: out, Phases: sc.Phases}
	if tr := sc.Trace(); tr != nil {
		env.Trace = tr.Whole()
	}
	reg := cfg.Kinds
	if reg == nil {
		if reg, err = all.Kinds(all.Options{}); err != nil {
			return nil, err
		}
	}
	byKind, err := groupByKind(sc, reg)
	if err != nil {
		return nil, err
	}
	var notes []string
	for _, g := range byKind {
		if p, ok := g.kind.(kinds.Preparer); ok {
			n, err := p.Prepare(ctx, g.targets, env)
			notes = append(notes, n...)
			if err != nil {
				return nil, err
			}
		}
	}

	started := time.Now()
	id := cfg.RunID
	if id == "" {
		id = started.UTC().Format("20060102-150405") + "-" + sc.Name
	}
	w, err := runs.Create(cfg.ReportsDir, id, started)
	if err != nil {
		if w != nil {
			w.Close()
		}
		return nil, fmt.Errorf("creating the run folder: %w", err)
	}
	if f := cfg.RateScale; f != 0 && f != 1 {
		notes = append(notes, fmt.Sprintf("Rates scaled by %g (-rate-scale): every phase sent %g times the scenario's rate; rate: max phases and workers as written.", f, f))
	}

	if n := speedNote(sc, byKind); n != "" {
		notes = append(notes, n)
	}
	if n := traceNote(sc); n != "" {
		notes = append(notes, n)
	}
	if cfg.Priority {
		restore, n := raisePriority(HarnessNice)
		defer restore()
		notes = append(notes, n)
		fmt.Fprintln(out, n)
	}

	var probes []*record.Anatomy
	var probeErr error
	for _, g := range byKind {
		if p, ok := g.kind.(kinds.Prober); ok && cfg.Probes > 0 && ctx.Err() == nil {
			a, err := p.Probe(ctx, g.targets, cfg.Probes, env)
			probes = append(probes, a...)
			probeErr = errors.Join(probeErr, err)
		}
	}
	if ctx.Err() != nil {
		probeErr = nil // reported once, as ErrInterrupted
	}
	r := &runner{cfg: cfg, env: env, reg: reg, w: w, out: out}
	measured, runErr := r.runTargets(ctx)
	runErr = errors.Join(probeErr, runErr)
	interrupted := ctx.Err() != nil
	closeErr := w.Close()

	summary, in := assemble(sc, cfg, measured, runHead{
		id: id, started: started, ended: time.Now(), interrupted: interrupted, workRate: rate, notes: notes, probes: probes,
	})
	printResults(out, in.Targets, summary)
	printUncertain(out, report.UncertainSeries(in.Targets))
	printObjectives(out, summary.Objectives)
	printVerdict(out, *summary.Verdict, summary.Costs)
	printSizes(out, summary.Verdict.Sizes, summary.Tuning)
	// phases.hlog before summary.json: a summary says the data is all there
	// (coldbench merge may be waiting for it).
	errs := []error{runErr, closeErr, runs.WritePhasesFile(w.Dir(), started, in.Targets),
		runs.WriteSummary(w.Dir(), summary), runs.WriteBenchFile(w.Dir(), summary)}
	reportPath := filepath.Join(w.Dir(), runs.ReportFile)
	errs = append(errs, writeReport(reportPath, in))
	errs = append(errs, runs.PointLatest(cfg.ReportsDir, w.Dir()))
	res := &Result{Dir: w.Dir(), Report: reportPath, Summary: summary, Interrupted: interrupted}
	if err := errors.Join(errs...); err != nil {
		return res, err
	}
	if res.Interrupted {
		return res, fmt.Errorf("%w: partial results kept in %s", ErrInterrupted, w.Dir())
	}
	if err := objectivesError(summary.Objectives, summary.Verdict.Sizes); err != nil {
		return res, err
	}
	return res, nil
}

// kindGroup is the targets of one kind, in run order.
type kindGroup struct {
	kind    kinds.Kind
	targets []scenario.Target
}

// groupByKind returns the scenario's targets by kind, kinds in the order
// their first target runs.
func groupByKind(sc *scenario.Scenario, reg kinds.Registry) ([]kindGroup, error) {
	var groups []kindGroup
	at := map[scenario.Kind]int{}
	for _, t := range sc.Targets {
		k, ok := reg.Lookup(t.Kind)
		if !ok {
			return nil, fmt.Errorf("target %s: no code runs kind %q", t.Name, t.Kind)
		}
		i, seen := at[t.Kind]
		if !seen {
			i = len(groups)
			at[t.Kind] = i
			groups = append(groups, kindGroup{kind: k})
		}
		groups[i].targets = append(groups[i].targets, t)
	}
	return groups, nil
}

// measured is what one target's run produced: what was recorded of it
// (nil if its schedule never ran) and what its kind reported.
type measured struct {
	target scenario.Target
	rec    *record.Target
	rep    kinds.Report
}

// runner holds what the targets of one run share.
type runner struct {
	cfg Config
	env kinds.Env
	reg kinds.Registry
	w   *runs.Writer // safe for concurrent use
	out io.Writer
}

// runTargets runs every target of the scenario, one after the other or at
// the same time, and returns what each produced, in scenario order; a
// target that did not start has no record.
func (r *runner) runTargets(ctx context.Context) ([]measured, error) {
	sc := r.cfg.Scenario
	results := make([]measured, len(sc.Targets))
	errs := make([]error, len(sc.Targets))
	if !sc.Concurrent {
		for i, t := range sc.Targets {
			if ctx.Err() != nil {
				break
			}
			results[i], errs[i] = r.runTarget(ctx, t)
		}
	} else {
		var wg sync.WaitGroup
		for i, t := range sc.Targets {
			wg.Go(func() { results[i], errs[i] = r.runTarget(ctx, t) })
		}
		wg.Wait()
	}
	var done []measured
	for _, m := range results {
		if m.rec != nil {
			done = append(done, m)
		}
	}
	return done, errors.Join(errs...)
}

// runTarget starts target t, drives the schedule at it, stops it and
// returns what was measured.
func (r *runner) runTarget(ctx context.Context, t scenario.Target) (m measured, err error) {
	sc := r.cfg.Scenario
	m.target = t
	env := r.env
	env.Dir = runs.TargetDir(r.w.Dir(), t.Name)
	kind, _ := r.reg.Lookup(t.Kind) // groupByKind found every target's
	target, err := kind.Start(ctx, t, env)
	defer func() {
		if target == nil {
			return
		}
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		rep, serr := target.Stop(stopCtx, m.rec)
		m.rep = rep
		if serr != nil {
			err = errors.Join(err, fmt.Errorf("stopping %s: %w", t.Name, serr))
		}
	}()
	if err != nil {
		return m, fmt.Errorf("starting %s: %w", t.Name, err)
	}
	fmt.Fprintf(r.out, "%s: ready at %s\n", t.Name, target.URL())

	began := time.Now()
	if b, ok := target.(kinds.Beginner); ok {
		b.Begin(began)
	}
	rec := record.New(t, sc.Phases, began, r.w)
	prog := r.progress(ctx, t, began, rec, target)
	defer prog()
	if c, ok := target.(kinds.Chaos); ok {
		defer c.Chaos(ctx, r.out)()
	}
	opts := attack.Options{Timeout: target.Timeout(), Requests: t.Request.All()}
	if mk, ok := target.(kinds.Marker); ok {
		opts.Mark = mk.Mark
	}
	attackErr := attack.Run(ctx, t.Name, target.URL(), sc.Phases, began,
		func(phase int, res *vegeta.Result, intended time.Time) {
			rec.Add(phase, res, intended)
			if err := r.w.Encode(res); err != nil && ctx.Err() == nil {
				fmt.Fprintf(r.out, "%s: writing %s: %v\n", t.Name, runs.ResultsFile, err)
			}
		}, opts)
	m.rec, err = rec.Close()
	m.rec.KeepHostWait = sc.KeepHostWait // before its kind prices it
	if ctx.Err() != nil {
		attackErr = nil // reported once, as ErrInterrupted
	}
	return m, errors.Join(attackErr, err)
}

func machine() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s, %s/%s, %d CPUs, %s", host, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
}

func writeReport(path string, in report.Input) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := report.Write(f, in); err != nil {
		f.Close()
		return fmt.Errorf("writing the report: %w", err)
	}
	return f.Close()
}

// traceNote returns the note of a scenario with more than one trace phase,
// or "": only the first one's trace is simulated whole and priced.
func traceNote(sc *scenario.Scenario) string {
	first, n := sc.Trace(), 0
	for _, p := range sc.Phases {
		if p.Shape == scenario.Trace {
			n++
		}
	}
	if n < 2 {
		return ""
	}
	return fmt.Sprintf("The scenario has %d trace phases: the whole trace simulated and priced is the first one's, %s; the others were replayed only.", n, first.File)
}

// speedNote returns the note of a scenario that replays a trace faster
// than it was recorded, or "": what the compression distorts, and what
// each kind that ages its targets with the trace (kinds.Ager) says.
func speedNote(sc *scenario.Scenario, groups []kindGroup) string {
	v := sc.Speed()
	if v == 1 {
		return ""
	}
	n := fmt.Sprintf("Trace replayed at speed %g: %g s of trace per second of run, so every duration in this report is run time (trace time = run time × %g). "+
		"The requests of a trace interval arrive %g times closer together, so the requests in flight, and the environments or instances they need, grow by %g; "+
		"bursts shorter than %g s of trace become sub-second.", v, v, v, v, v, v)
	for _, g := range groups {
		if a, ok := g.kind.(kinds.Ager); ok {
			n += " " + a.Ages(v)
		}
	}
	return n
}
