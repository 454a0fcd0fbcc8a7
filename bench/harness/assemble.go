package harness

import (
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/report"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/bench/tuning"
	"github.com/coldbench/coldbench/bench/verdict"
)

// runHead is what a run knows of itself besides its targets.
type runHead struct {
	id             string
	started, ended time.Time
	interrupted    bool
	workRate       float64
	notes          []string
	probes         []*record.Anatomy
}

// assemble puts the run together, once, from the values its targets
// returned: each recorded target with what its kind reported, the
// summary, the objectives judged, the prices, and the report's input.
func assemble(sc *scenario.Scenario, cfg Config, measured []measured, h runHead) (*runs.Summary, report.Input) {
	targets := make([]*record.Target, 0, len(measured))
	notes := slices.Clone(h.notes)
	var runtimes []string
	for _, m := range measured {
		t := m.rec
		t.Timeline, t.Counters, t.Runtime, t.Code = m.rep.Timeline, m.rep.Counters, m.rep.Runtime, m.rep.Code
		t.Schedule = m.rep.Schedule
		if m.rep.Trace != nil {
			t.Simulation = m.rep.Trace.Simulation
		}
		targets = append(targets, t)
		notes = append(notes, m.rep.Notes...)
		if t.Runtime != "" && !slices.Contains(runtimes, t.Runtime) {
			runtimes = append(runtimes, t.Runtime)
		}
	}
	alone, costNotes := price(sc, measured, h.interrupted)
	notes = append(notes, costNotes...)
	s := &runs.Summary{
		RunID: h.id, Scenario: sc.Name, ScenarioFile: sc.Path, Started: h.started, Ended: h.ended,
		Interrupted: h.interrupted, Runtime: strings.Join(runtimes, ", "), Machine: machine(), WorkRate: h.workRate,
		Notes: notes, Targets: make(map[string]record.TargetSummary, len(targets)),
		Objectives: verdict.Check(sc.Objectives, targets), Costs: alone,
	}
	v := verdict.Judge(targets, s.Objectives, alone)
	v.Sizes = verdict.BestSizes(v, sc.Targets)
	s.Verdict = &v
	s.Tuning = tuning.Analyze(sc, targets, alone, runtime.NumCPU())
	if f := cfg.RateScale; f != 0 && f != 1 {
		s.RateScale = f
	}
	for _, t := range targets {
		s.Targets[t.Name] = record.SummarizeTarget(t)
	}
	for _, a := range h.probes {
		s.Probes = append(s.Probes, a.Summary())
	}
	return s, report.Input{
		RunID: h.id, Scenario: sc, Targets: targets, Runtime: s.Runtime,
		Machine: s.Machine, Started: h.started, Interrupted: h.interrupted,
		Notes: notes, Probes: h.probes, Objectives: s.Objectives, Costs: alone,
		Verdict: s.Verdict, Tuning: s.Tuning,
	}
}
