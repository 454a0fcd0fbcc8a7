package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/coldbench/coldbench/bench/compare"
)

// trendPage is the parsed template of the trend page. It is set once and
// never modified.
var trendPage = template.Must(template.ParseFS(files, "trend.html", "style.html"))

// trendView is what trend.html renders.
type trendView struct {
	Dir       string
	Scenario  string // the scenario shown, or the scenarios
	Runs      int
	Latency   template.HTML
	ColdRate  template.HTML
	Targets   []trendHead
	Rows      []trendRow
	FirstDate string
	LastDate  string
}

// trendHead heads the columns of one target in the table.
type trendHead struct {
	Name string
	Cold bool // the target has a cold-start column
}

// trendRow is one run in the table.
type trendRow struct {
	Date, ID, Link, Scenario, Runtime string
	Interrupted                       bool
	Cells                             []trendCell
}

// trendCell is what one target did in one run.
type trendCell struct {
	Present          bool
	P50, P99, P999   string
	ColdStarts, Rate string
	Cold             bool
}

// WriteTrend renders the trend page of t to w: p50, p99 and p99.9 of each
// target and the Lambda cold-start rate run after run, and a table linking
// each run's report. Nothing is written if the page cannot be rendered.
func WriteTrend(w io.Writer, t *compare.Trend) error {
	v := &trendView{Dir: t.Dir, Scenario: t.Scenario, Runs: len(t.Runs)}
	if v.Scenario == "" {
		v.Scenario = strings.Join(t.Scenarios, ", ")
	}
	if len(t.Runs) > 0 {
		v.FirstDate, v.LastDate = runDate(t.Runs[0].Started), runDate(t.Runs[len(t.Runs)-1].Started)
	}
	cold := map[string]bool{}
	for _, r := range t.Runs {
		for name, tt := range r.Targets {
			cold[name] = cold[name] || !math.IsNaN(tt.ColdRate)
		}
	}
	for _, name := range t.Targets {
		v.Targets = append(v.Targets, trendHead{Name: name, Cold: cold[name]})
	}
	for i := len(t.Runs) - 1; i >= 0; i-- { // newest first
		r := t.Runs[i]
		row := trendRow{
			Date: runDate(r.Started), ID: r.ID, Link: r.Link, Scenario: r.Scenario,
			Runtime: r.Runtime, Interrupted: r.Interrupted,
		}
		for _, h := range v.Targets {
			tt, ok := r.Targets[h.Name]
			c := trendCell{Present: ok, Cold: h.Cold, P50: none, P99: none, P999: none, ColdStarts: none, Rate: none}
			if ok && tt.OK > 0 {
				c.P50, c.P99, c.P999 = ms(tt.P50), ms(tt.P99), ms(tt.P999)
			}
			if ok && !math.IsNaN(tt.ColdRate) {
				c.ColdStarts, c.Rate = fmt.Sprint(tt.ColdStarts), pct(int64(tt.ColdStarts), tt.Requests)
			}
			row.Cells = append(row.Cells, c)
		}
		v.Rows = append(v.Rows, row)
	}
	var err error
	if v.Latency, err = trendLatency(t); err != nil {
		return fmt.Errorf("report: trend latency chart: %w", err)
	}
	if v.ColdRate, err = trendColdRate(t, v.Targets); err != nil {
		return fmt.Errorf("report: trend cold-start chart: %w", err)
	}
	var buf bytes.Buffer
	if err := trendPage.Execute(&buf, v); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err = buf.WriteTo(w)
	return err
}

// trendLatency draws p50, p99 and p99.9 of all successful responses of
// each target, one point per run. It returns no chart if no run has any.
func trendLatency(t *compare.Trend) (template.HTML, error) {
	p := newPlot("run, oldest first")
	p.Add(plotter.NewGrid())
	var legend []key
	lo, hi := math.Inf(1), math.Inf(-1)
	pal := palette{order: t.Targets}
	for _, name := range t.Targets {
		col := pal.color(name)
		for _, q := range []struct {
			label string
			value func(compare.TrendTarget) int64
			style draw.LineStyle
		}{
			{"p99.9", func(tt compare.TrendTarget) int64 { return tt.P999 }, draw.LineStyle{Color: col, Width: 1.25, Dashes: []vg.Length{4, 2}}},
			{"p99", func(tt compare.TrendTarget) int64 { return tt.P99 }, draw.LineStyle{Color: col, Width: 1.75}},
			{"p50", func(tt compare.TrendTarget) int64 { return tt.P50 }, draw.LineStyle{Color: lighter(col, 0.45), Width: 1.25}},
		} {
			var xys plotter.XYs
			for x, r := range t.Runs {
				if tt, ok := r.Targets[name]; ok && tt.OK > 0 {
					y := latency(q.value(tt))
					xys = append(xys, plotter.XY{X: float64(x), Y: y})
					lo, hi = min(lo, y), max(hi, y)
				}
			}
			if err := addTrendLine(p, xys, q.style); err != nil {
				return "", err
			}
			if len(xys) > 0 {
				legend = append(legend, key{name + " " + q.label, lineThumb(q.style)})
			}
		}
	}
	if math.IsInf(lo, 0) {
		return "", nil
	}
	trendAxis(p, t)
	p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, logTicks{}
	p.Y.Min, p.Y.Max = logRange(lo, hi)
	c := chart{panels: []panel{{p: p}}, ylabel: "latency (ms, log scale)", legend: legend}
	return c.svg()
}

// trendColdRate draws the share of requests that were cold starts of each
// target that has cold starts, one point per run. It returns no chart if
// no target has.
func trendColdRate(t *compare.Trend, heads []trendHead) (template.HTML, error) {
	p := newPlot("run, oldest first")
	p.Add(plotter.NewGrid())
	var legend []key
	hi, any := 0.0, false
	pal := palette{order: t.Targets}
	for _, h := range heads {
		if !h.Cold {
			continue
		}
		var xys plotter.XYs
		for x, r := range t.Runs {
			if tt, ok := r.Targets[h.Name]; ok && !math.IsNaN(tt.ColdRate) {
				xys = append(xys, plotter.XY{X: float64(x), Y: 100 * tt.ColdRate})
				hi = max(hi, 100*tt.ColdRate)
			}
		}
		style := draw.LineStyle{Color: pal.color(h.Name), Width: 1.75}
		if err := addTrendLine(p, xys, style); err != nil {
			return "", err
		}
		if len(xys) > 0 {
			any = true
			legend = append(legend, key{h.Name + " cold starts", lineThumb(style)})
		}
	}
	if !any {
		return "", nil
	}
	trendAxis(p, t)
	p.Y.Min, p.Y.Max = 0, max(hi*1.15, 1)
	c := chart{panels: []panel{{p: p}}, ylabel: "cold starts (% of requests)", legend: legend}
	return c.svg()
}

// addTrendLine adds xys to p as a line with a dot at each run.
func addTrendLine(p *plot.Plot, xys plotter.XYs, style draw.LineStyle) error {
	if len(xys) == 0 {
		return nil
	}
	if len(xys) > 1 {
		line, err := plotter.NewLine(xys)
		if err != nil {
			return err
		}
		line.LineStyle = style
		p.Add(line)
	}
	dots, err := plotter.NewScatter(xys)
	if err != nil {
		return err
	}
	dots.GlyphStyle = draw.GlyphStyle{Color: style.Color, Radius: 2, Shape: draw.CircleGlyph{}}
	p.Add(dots)
	return nil
}

// trendAxis sets the x axis of a trend chart: one position per run,
// labelled with the run's date.
func trendAxis(p *plot.Plot, t *compare.Trend) {
	n := len(t.Runs)
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	p.X.Tick.Marker = runTicks(runLabels(t.Runs, "01-02 15:04"))
}

// runLabels returns the labels of runs on a trend chart: their start times
// in layout, with seconds if two runs would share a label, or their ids if
// they have no start time.
func runLabels(runs []compare.TrendRun, layout string) []string {
	labels := make([]string, len(runs))
	seen := map[string]bool{}
	for i, r := range runs {
		labels[i] = r.ID
		if !r.Started.IsZero() {
			labels[i] = r.Started.UTC().Format(layout)
		}
		if seen[labels[i]] && layout != "01-02 15:04:05" {
			return runLabels(runs, "01-02 15:04:05")
		}
		seen[labels[i]] = true
	}
	return labels
}

// runTicks labels the runs of a trend chart: every run when there are
// few, evenly spaced ones otherwise, at most 10 labels.
type runTicks []string

// Ticks implements plot.Ticker.
func (rt runTicks) Ticks(lo, hi float64) []plot.Tick {
	every := max(1, (len(rt)+9)/10)
	var ticks []plot.Tick
	for i, l := range rt {
		tk := plot.Tick{Value: float64(i)}
		if i%every == 0 {
			tk.Label = l
		}
		ticks = append(ticks, tk)
	}
	return ticks
}
