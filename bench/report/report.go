// Package report renders the results of a run as one self-contained HTML
// page, index.html: a headline comparison, a percentile-distribution chart, a
// latency-over-time chart and tables of percentiles per target, class and
// phase. The page has inline CSS and inline SVG only and fetches nothing.
package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/bench/tuning"
	"github.com/coldbench/coldbench/bench/verdict"
)

// Input is what a report shows.
type Input struct {
	RunID       string
	Scenario    *scenario.Scenario
	Targets     []*record.Target
	Runtime     string    // where Lambda environments ran, e.g. "process"
	Machine     string    // e.g. "linux/amd64, 2 CPUs, go1.26.8"
	Started     time.Time // when the run started
	Interrupted bool      // the run was stopped early: say so at the top
	Notes       []string  // extra lines to show (e.g. why a runtime was chosen)

	// Probes are cold starts measured apart from the load, one runtime
	// each, for the cold-start anatomy table.
	Probes []*record.Anatomy
	// Objectives are the scenario's objectives judged against the run.
	Objectives []verdict.Outcome
	// Costs prices each target alone, by name (package cost): the
	// ranking's costs, the Cost section and its break-evens. Without any
	// the Cost section is left out.
	Costs map[string]*cost.Result
	// Verdict is the run judged (verdict.Judge); nil judges it from
	// Targets, Objectives and Costs.
	Verdict *verdict.Verdict
	// Tuning is the scenario's memory sweeps as they ran
	// (tuning.Analyze), for the Power tuning section; nil analyses them
	// from Scenario, Targets and Costs, without this machine's CPUs.
	Tuning []tuning.Sweep
}

//go:embed template.html compare.html trend.html style.html
var files embed.FS

// page is the parsed page template. It is set once and never modified.
var page = template.Must(template.ParseFS(files, "template.html", "style.html"))

// view is what the template renders.
type view struct {
	Title       string
	RunID       string
	Date        string
	Machine     string
	Runtime     string
	Several     bool // more than one target
	Interrupted bool
	Description string
	Schedule    []string
	Targets     []string // each target, its kind and settings
	Notes       []string

	Headline []string

	PercentileChart template.HTML
	PercentileNotes []string
	TimeChart       template.HTML
	TimeNotes       []string
	EnvChart        template.HTML // the fleet of execution environments over time
	ColdStarts      bool          // the time chart shows cold starts

	Verdict       []template.HTML
	RankMonth     string // what the ranking's month repeats
	Ranking       []rankRow
	Taxes         []template.HTML
	Rows          []statRow
	Corrected     []statRow
	CorrectedNote string
	LagNote       string
	PhaseRows     []phaseRow

	HostWait  *hostWaitView // nil: no target's host wait was measured
	Anatomy   []anatomyRow
	Published publishedView
	ColdModel platformView
	Platform  *countTable
	Fleet     []fleetRow // local counts beside Lambda's rules

	Cost   *costView   // nil: no Cost section
	Trace  *traceView  // nil: the scenario replays no trace
	Tuning *tuningView // nil: no Power tuning section
}

// Write renders the report page for in to w. Nothing is written if the page
// cannot be rendered.
func Write(w io.Writer, in Input) error {
	v, err := build(in)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, v); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err = buf.WriteTo(w)
	return err
}

// build computes everything the page shows from in.
func build(in Input) (*view, error) {
	targets := make([]*record.Target, 0, len(in.Targets))
	for _, t := range in.Targets {
		if t != nil {
			targets = append(targets, t)
		}
	}
	in.Targets = targets

	v := &view{
		Title:       "coldbench",
		RunID:       in.RunID,
		Machine:     in.Machine,
		Several:     len(targets) > 1,
		Interrupted: in.Interrupted,
		Notes:       in.Notes,
	}
	if !in.Started.IsZero() {
		v.Date = in.Started.Format("2006-01-02 15:04:05 MST")
	}
	if s := in.Scenario; s != nil {
		if s.Name != "" {
			v.Title = s.Name
		}
		v.Description = strings.TrimSpace(s.Description)
		v.Schedule = schedule(s)
		for _, t := range s.Targets {
			line := describe(t)
			for _, rt := range in.Targets {
				if rt.Name == t.Name && rt.Code != nil {
					line += "; code: " + rt.Code.String()
				}
			}
			v.Targets = append(v.Targets, line)
		}
	}
	for _, t := range in.Targets {
		v.ColdStarts = v.ColdStarts || len(t.ColdStarts) > 0
		if t.Runtime != "" {
			v.Runtime = in.Runtime
		}
	}
	v.Headline = headline(in.Targets)
	pal := newPalette(in)
	var judged verdict.Verdict
	if in.Verdict != nil {
		judged = *in.Verdict
	} else {
		judged = verdict.Judge(in.Targets, in.Objectives, in.Costs)
	}
	if judged.Sizes == nil && in.Scenario != nil {
		judged.Sizes = verdict.BestSizes(judged, in.Scenario.Targets)
	}
	sweeps := in.Tuning
	if sweeps == nil {
		sweeps = tuning.Analyze(in.Scenario, in.Targets, in.Costs, 0)
	}

	var err error
	v.PercentileChart, v.PercentileNotes, err = percentileChart(in.Targets, pal)
	if err != nil {
		return nil, fmt.Errorf("percentile chart: %w", err)
	}
	v.TimeChart, v.TimeNotes, err = timeChart(in, pal)
	if err != nil {
		return nil, fmt.Errorf("latency over time chart: %w", err)
	}
	if v.EnvChart, err = envChart(in, pal); err != nil {
		return nil, fmt.Errorf("environments chart: %w", err)
	}
	v.Platform = platformTable(in.Targets)
	v.Fleet = fleetRows(in.Targets)
	if v.Cost, err = costSection(in, judged, pal); err != nil {
		return nil, fmt.Errorf("cost chart: %w", err)
	}
	if v.Trace, err = traceSection(in, pal); err != nil {
		return nil, fmt.Errorf("trace chart: %w", err)
	}
	if v.Tuning, err = tuningSection(in, sweeps, judged, pal); err != nil {
		return nil, fmt.Errorf("power tuning chart: %w", err)
	}
	v.Verdict = verdictLines(in, judged)
	v.RankMonth = "this traffic pattern all month"
	if v.Cost != nil && v.Cost.WholeTrace {
		v.RankMonth = "the whole trace, simulated, repeated to fill the month"
	}
	if len(in.Targets) > 1 || len(in.Costs) > 0 {
		v.Ranking = rankRows(judged, len(in.Objectives) > 0, pal)
	}
	v.Taxes = taxLines(judged)
	v.Rows = statRows(in.Targets)
	v.Corrected, v.CorrectedNote = correctedRows(in.Targets), correctedNote(in.Targets)
	v.LagNote = lagNote(in.Targets)
	v.PhaseRows = phaseRows(in)
	v.HostWait = hostWaitSection(in.Targets)
	if v.Anatomy = anatomyRows(in); len(v.Anatomy) > 0 {
		v.Published = newPublishedView(in.Targets)
		v.ColdModel = newPlatformView(in.Scenario, in.Targets)
	}
	return v, nil
}

// schedule describes the phases of s, one line each.
func schedule(s *scenario.Scenario) []string {
	var lines []string
	var at time.Duration
	for _, p := range s.Phases {
		line := fmt.Sprintf("%s–%s  %s: %s", seconds(at), seconds(at+p.Duration), p.Name, shape(p))
		lines = append(lines, line)
		at += p.Duration
	}
	return lines
}

// shape describes the rate of p in a few words.
func shape(p scenario.Phase) string {
	switch p.Shape {
	case scenario.Constant:
		return fmt.Sprintf("constant %s req/s", num(p.Rate))
	case scenario.Ramp:
		return fmt.Sprintf("ramp %s → %s req/s", num(p.From), num(p.To))
	case scenario.Sine:
		return fmt.Sprintf("sine %s ± %s req/s, period %s", num(p.Mean), num(p.Amplitude), dur(p.Period))
	case scenario.Idle:
		return "idle, no requests"
	case scenario.Trace:
		if p.Trace != nil {
			return fmt.Sprintf("%s, %d requests", p.Trace, p.Trace.Requests())
		}
	}
	return string(p.Shape)
}

// describe says what target t is: its name, its kind and the settings
// it has, in its kind's words (a server's work, a function's memory,
// timeout and keepalive...: Describer).
func describe(t scenario.Target) string {
	parts := []string{string(t.Kind)}
	if d, ok := t.Settings.(Describer); ok {
		if s := d.Describe(); s != "" {
			parts = append(parts, s)
		}
	}
	return t.Name + " (" + strings.Join(parts, ", ") + ")"
}

// Describer is a kind's settings (scenario.Target.Settings) that say in a
// few words what they set, for the report's list of targets.
type Describer interface{ Describe() string }
