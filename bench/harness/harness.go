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
	"runtime"
	"sync"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/attack"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/report"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/bench/verdict"
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
	BinDir     string // the target binaries are built into it
	RunID      string // name of the run folder; default: UTC time and scenario name
	// Runtime overrides where the scenario runs Lambda environments
	// (auto, container or process); empty keeps the scenario's.
	Runtime scenario.Runtime
	// Probes is how many cold starts to measure one at a time in each
	// runtime this machine has, before the load; zero measures none.
	Probes int
	// RateScale, if not 0 or 1, is what Scenario's rates were multiplied
	// by (scenario.Scaled); the summary and the report say so.
	RateScale float64

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
	fmt.Fprintf(out, "coldbench: scenario %s (%s): %v per target, targets %v%s\n",
		sc.Name, sc.Path, sc.Duration(), sc.Targets, map[bool]string{true: " at the same time", false: " one after the other"}[sc.Concurrent])

	fmt.Fprintf(out, "building targets into %s\n", cfg.BinDir)
	bins, err := build.Targets(ctx, cfg.BinDir)
	if err != nil {
		return nil, fmt.Errorf("building the targets: %w", err)
	}
	rate := order.Calibrate()
	fmt.Fprintf(out, "work calibrated: %.0f iterations per ms of CPU\n", rate)
	var rt *runtimes
	if sc.Has(scenario.Lambda) {
		want := sc.Function.Runtime
		if cfg.Runtime != "" {
			want = cfg.Runtime
		}
		if rt, err = chooseRuntime(ctx, want, bins.RIE, bins.Bootstrap); err != nil {
			return nil, err
		}
		for _, n := range rt.notes(sc.Function.MemoryMB) {
			fmt.Fprintln(out, n)
		}
	}

	started := time.Now()
	id := cfg.RunID
	if id == "" {
		id = started.UTC().Format("20060102-150405") + "-" + sc.Name
	}
	dir, err := createRunDir(cfg.ReportsDir, id, started, sc.Has(scenario.Lambda))
	if err != nil {
		if dir != nil {
			dir.close()
		}
		return nil, fmt.Errorf("creating the run folder: %w", err)
	}
	summary := &runs.Summary{
		RunID: id, Scenario: sc.Name, ScenarioFile: sc.Path, Started: started,
		Machine: machine(), WorkRate: rate,
		Targets: map[string]record.TargetSummary{},
	}
	r := &runner{cfg: cfg, bins: bins, rate: rate, dir: dir, out: out, summary: summary, rt: rt}
	if rt != nil {
		summary.Runtime = string(rt.chosen)
		summary.Notes = append(summary.Notes, rt.notes(sc.Function.MemoryMB)...)
	}
	if f := cfg.RateScale; f != 0 && f != 1 {
		summary.RateScale = f
		summary.Notes = append(summary.Notes, fmt.Sprintf("Rates scaled by %g (-rate-scale): every phase sent %g times the scenario's rate; rate: max phases and workers as written.", f, f))
	}

	probes, probeErr := r.probe(ctx)
	if ctx.Err() != nil {
		probeErr = nil // reported once, as ErrInterrupted
	}
	targets, runErr := r.runTargets(ctx)
	runErr = errors.Join(probeErr, runErr)
	for _, a := range probes {
		summary.Probes = append(summary.Probes, a.Summary())
	}

	summary.Ended = time.Now()
	summary.Interrupted = ctx.Err() != nil
	for _, t := range targets {
		summary.Targets[t.Name] = record.SummarizeTarget(t)
	}
	summary.Objectives = verdict.Check(sc.Objectives, targets)
	printResults(out, targets, summary)
	printObjectives(out, summary.Objectives)
	closeErr := dir.close()         // flushes invocations.csv, which the cost model reads
	summary.Cost = r.price(targets) // see cost.go
	// phases.hlog before summary.json: a summary says the data is all there
	// (coldbench merge may be waiting for it).
	phasesErr := writePhases(dir.path, started, targets)
	errs := []error{runErr, closeErr, phasesErr, dir.writeJSON(runs.SummaryFile, summary),
		runs.WriteBenchFile(dir.path, summary)}
	reportPath := dir.path + string(os.PathSeparator) + runs.ReportFile
	errs = append(errs, writeReport(reportPath, report.Input{
		RunID: id, Scenario: sc, Targets: targets, Runtime: summary.Runtime,
		Machine: summary.Machine, Started: started, Interrupted: summary.Interrupted,
		Notes: summary.Notes, Probes: probes, Platform: summary.Lambda, Objectives: summary.Objectives,
		Cost: summary.Cost,
	}))
	errs = append(errs, runs.PointLatest(cfg.ReportsDir, dir.path))
	res := &Result{Dir: dir.path, Report: reportPath, Summary: summary, Interrupted: summary.Interrupted}
	if err := errors.Join(errs...); err != nil {
		return res, err
	}
	if res.Interrupted {
		return res, fmt.Errorf("%w: partial results kept in %s", ErrInterrupted, dir.path)
	}
	if err := objectivesError(summary.Objectives); err != nil {
		return res, err
	}
	return res, nil
}

// runner holds what the targets of one run share.
type runner struct {
	cfg     Config
	bins    build.Binaries
	rate    float64
	dir     *runDir
	out     io.Writer
	summary *runs.Summary
	rt      *runtimes // nil when no Lambda function runs
	// serverCPU is the server's CPU time over the load, for the cost
	// model (cost.go); nil until the server stops.
	serverCPU *cpuUsage

	mu sync.Mutex // guards dir's streams and summary when targets run at once
}

// runTargets runs every target of the scenario, one after the other or at
// the same time, and returns what each recorded, in scenario order.
func (r *runner) runTargets(ctx context.Context) ([]*record.Target, error) {
	sc := r.cfg.Scenario
	recorded := make([]*record.Target, len(sc.Targets))
	errs := make([]error, len(sc.Targets))
	if !sc.Concurrent {
		for i, name := range sc.Targets {
			if ctx.Err() != nil {
				break
			}
			recorded[i], errs[i] = r.runTarget(ctx, name)
		}
	} else {
		var wg sync.WaitGroup
		for i, name := range sc.Targets {
			wg.Go(func() { recorded[i], errs[i] = r.runTarget(ctx, name) })
		}
		wg.Wait()
	}
	var done []*record.Target
	for _, t := range recorded {
		if t != nil {
			done = append(done, t)
		}
	}
	return done, errors.Join(errs...)
}

// runTarget starts one target, drives the schedule at it and stops it.
func (r *runner) runTarget(ctx context.Context, name scenario.Target) (t *record.Target, err error) {
	sc := r.cfg.Scenario
	sut, err := r.start(ctx, name)
	defer func() {
		if sut == nil {
			return
		}
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if serr := sut.stop(stopCtx); serr != nil {
			err = errors.Join(err, fmt.Errorf("stopping %s: %w", name, serr))
		}
		r.mu.Lock()
		if sut.lambdaStats != nil {
			r.summary.Lambda = sut.lambdaStats()
		}
		r.mu.Unlock()
		if sut.timeline != nil && t != nil {
			t.Timeline = sut.timeline.record()
			if werr := writeTimeline(r.dir.path, t.Timeline); werr != nil {
				err = errors.Join(err, werr)
			}
		}
	}()
	if err != nil {
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	fmt.Fprintf(r.out, "%s: ready at %s\n", name, sut.url)

	began := time.Now()
	if sut.timeline != nil {
		sut.timeline.start(began)
	}
	rec := record.New(string(name), sc.Phases, began, lockedLog{r})
	prog := r.progress(ctx, name, began, rec, sut)
	defer prog()
	if sut.chaos != nil {
		defer sut.chaos(ctx)()
	}

	attackErr := attack.Run(ctx, string(name), sut.url, sc.Phases, began,
		func(phase int, res *vegeta.Result, intended time.Time) {
			rec.Add(phase, res, intended)
			r.mu.Lock()
			err := r.dir.encode(res)
			r.mu.Unlock()
			if err != nil && ctx.Err() == nil {
				fmt.Fprintf(r.out, "%s: writing %s: %v\n", name, runs.ResultsFile, err)
			}
		},
		attack.Options{Timeout: sut.timeout, Requests: sc.Request.All(), Mark: sut.mark})
	t, recErr := rec.Close()
	if ctx.Err() != nil {
		attackErr = nil // reported once, as ErrInterrupted
	}
	return t, errors.Join(attackErr, recErr)
}

// lockedLog writes interval histograms to the run's log under the runner's
// lock, so that targets running at once do not interleave lines.
type lockedLog struct{ r *runner }

func (l lockedLog) OutputIntervalHistogram(h *hdrhistogram.Histogram) error {
	l.r.mu.Lock()
	defer l.r.mu.Unlock()
	return l.r.dir.log.OutputIntervalHistogram(h)
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
