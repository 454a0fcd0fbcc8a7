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
	// Cost prices the run's first function against its first server
	// (package cost); nil leaves the Cost section out. Costs prices each
	// target alone, by name.
	Cost  *cost.Result
	Costs map[string]*cost.Result
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
	Function    string
	Notes       []string

	Headline []string

	PercentileChart template.HTML
	PercentileNotes []string
	TimeChart       template.HTML
	TimeNotes       []string
	EnvChart        template.HTML // the fleet of execution environments over time
	ColdStarts      bool          // the time chart shows cold starts

	Verdict       []template.HTML
	Rows          []statRow
	Corrected     []statRow
	CorrectedNote string
	LagNote       string
	PhaseRows     []phaseRow

	Anatomy   []anatomyRow
	Published []publishedRow
	ColdModel platformView
	Platform  []countRow

	Cost *costView // nil: no Cost section
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
		var fns []string
		for _, t := range s.Targets {
			if t.Kind == scenario.Lambda {
				fns = append(fns, t.Name+" ("+function(t.Function)+")")
			}
		}
		v.Function = strings.Join(fns, "; ")
	}
	for _, t := range in.Targets {
		v.ColdStarts = v.ColdStarts || len(t.ColdStarts) > 0
		if t.Runtime != "" {
			v.Runtime = in.Runtime
		}
	}
	v.Headline = headline(in.Targets)

	var err error
	v.PercentileChart, v.PercentileNotes, err = percentileChart(in.Targets)
	if err != nil {
		return nil, fmt.Errorf("percentile chart: %w", err)
	}
	v.TimeChart, v.TimeNotes, err = timeChart(in)
	if err != nil {
		return nil, fmt.Errorf("latency over time chart: %w", err)
	}
	if v.EnvChart, err = envChart(in); err != nil {
		return nil, fmt.Errorf("environments chart: %w", err)
	}
	for _, t := range in.Targets {
		if t.Platform != nil {
			v.Platform = platformRows(t.Platform)
			break
		}
	}
	if v.Cost, err = costSection(in.Cost); err != nil {
		return nil, fmt.Errorf("cost chart: %w", err)
	}
	v.Verdict = verdictLines(in)
	v.Rows = statRows(in.Targets)
	v.Corrected, v.CorrectedNote = correctedRows(in.Targets), correctedNote(in.Targets)
	v.LagNote = lagNote(in.Targets)
	v.PhaseRows = phaseRows(in)
	if v.Anatomy = anatomyRows(in); len(v.Anatomy) > 0 {
		v.Published = published()
		if in.Scenario != nil {
			for _, t := range in.Scenario.Targets {
				if t.Kind == scenario.Lambda {
					v.ColdModel = newPlatformView(t.Function)
					break
				}
			}
		}
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
	}
	return string(p.Shape)
}

// function describes the Lambda function configuration f.
func function(f scenario.FunctionConfig) string {
	parts := []string{}
	if f.MemoryMB > 0 {
		parts = append(parts, fmt.Sprintf("%d MB", f.MemoryMB))
	}
	if f.Timeout > 0 {
		parts = append(parts, "timeout "+dur(f.Timeout))
	}
	if f.Keepalive > 0 {
		parts = append(parts, "environments reaped after "+dur(f.Keepalive)+" idle")
	}
	if f.Concurrency > 0 {
		parts = append(parts, fmt.Sprintf("concurrency %d", f.Concurrency))
	}
	if f.Work.Init > 0 || f.Work.Request > 0 {
		parts = append(parts, fmt.Sprintf("work: init %s, per request %s", dur(f.Work.Init), dur(f.Work.Request)))
	}
	return strings.Join(parts, ", ")
}
