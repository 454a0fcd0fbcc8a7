package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/coldbench/coldbench/bench/compare"
)

// comparePage is the parsed template of the comparison page. It is set once
// and never modified.
var comparePage = template.Must(template.ParseFS(files, "compare.html", "style.html"))

// compareView is what compare.html renders.
type compareView struct {
	Base, New  runView
	Failed     bool
	Passed     bool // the gate checked something and nothing failed
	Verdict    string
	Unchecked  []string
	Notes      []string
	Charts     []compareChart
	Rows       []compareRow
	Confidence string
	Resamples  int
	MinTail    int
	Corrected  bool // some series are corrected views
}

// runView identifies one of the runs compared.
type runView struct {
	compare.Run
	Date string
}

// compareChart is the percentile chart of one series.
type compareChart struct {
	Tag string
	SVG template.HTML
}

// compareRow is one statistic of one series in the table of changes.
type compareRow struct {
	Tag, Counts      string // on the first row of a series only
	First            bool
	Stat             string
	Base, New        string // ms
	Change, Interval string
	Class            string // worse, better, same or untested
	Note             string
	Remark           string // a row of its own: why the series is not tested
}

// WriteComparison renders the page of the comparison c to w: the gate's
// verdict, both runs' percentile curves overlaid for each target and class,
// and a table of the changes with their confidence intervals. Nothing is
// written if the page cannot be rendered.
func WriteComparison(w io.Writer, c *compare.Comparison) error {
	v := &compareView{
		Base:       runView{c.Base, runDate(c.Base.Started)},
		New:        runView{c.New, runDate(c.New.Started)},
		Failed:     c.Verdict.Failed,
		Passed:     !c.Gate.Off && !c.Verdict.Failed && len(c.Verdict.Checked) > 0,
		Verdict:    c.Summary(),
		Unchecked:  c.Verdict.Unchecked,
		Notes:      c.Notes,
		Confidence: fmt.Sprintf("%g%%", 100*c.Confidence),
		Resamples:  c.Resamples,
		MinTail:    compare.MinTail,
	}
	corrected := map[string]*compare.Series{}
	for _, s := range c.Series {
		if s.View == "corrected" {
			corrected[strings.TrimSuffix(s.Tag, "/corrected")] = s
			v.Corrected = true
		}
	}
	for _, s := range c.Series {
		v.Rows = append(v.Rows, compareRows(s)...)
		if s.View != "" {
			continue
		}
		svg, err := compareCurves(c, s, corrected[s.Tag])
		if err != nil {
			return fmt.Errorf("report: %s chart: %w", s.Tag, err)
		}
		if svg != "" {
			v.Charts = append(v.Charts, compareChart{Tag: s.Tag, SVG: svg})
		}
	}
	var buf bytes.Buffer
	if err := comparePage.Execute(&buf, v); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// compareRows returns the rows of the table of changes for series s.
func compareRows(s *compare.Series) []compareRow {
	var rows []compareRow
	for i, st := range s.Stats {
		r := compareRow{
			Stat: st.Name, Base: ms(st.Base), New: ms(st.New),
			Change: st.Change(), Interval: st.Interval(), Note: st.Caveat,
		}
		if i == 0 {
			r.First, r.Tag, r.Counts = true, s.Tag, fmt.Sprintf("%d → %d", s.Base.Count, s.New.Count)
		}
		switch {
		case st.Worse():
			r.Class = "worse"
		case st.Better():
			r.Class = "better"
		case st.Tested:
			r.Class = "same"
		default:
			r.Class = "untested"
		}
		if s.Base.Count == 0 || s.New.Count == 0 {
			r.Change = none
			if s.Base.Count == 0 {
				r.Base = none
			}
			if s.New.Count == 0 {
				r.New = none
			}
		}
		rows = append(rows, r)
	}
	if len(s.Caveats) > 0 {
		rows = append(rows, compareRow{Remark: "Not tested: " + strings.Join(s.Caveats, "; ") + "."})
	}
	if s.ByValue {
		rows = append(rows, compareRow{Remark: "Intervals " + compare.ByValueNote + "."})
	}
	return rows
}

// runDate formats t as the report does, "" for the zero time.
func runDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02 15:04:05 MST")
}

// compareCurves draws the latency by percentile of series s in both runs,
// the base run dashed and lighter, on the axes of the report's percentile
// chart, and those of its corrected view corr, if not nil, dotted. It
// returns no chart if neither run has values.
func compareCurves(c *compare.Comparison, s, corr *compare.Series) (template.HTML, error) {
	p := newPlot("percentile")
	p.Add(plotter.NewGrid())
	var legend []key
	var order []string
	for _, x := range c.Series {
		if !slices.Contains(order, x.Target) {
			order = append(order, x.Target)
		}
	}
	col := palette{order: order}.color(s.Target) // as in the runs' own reports, when the scenario lists them so
	type curve struct {
		label  string
		sample compare.Sample
		style  draw.LineStyle
	}
	curves := []curve{
		{"base " + c.Base.ID, s.Base, draw.LineStyle{Color: lighter(col, 0.45), Width: 1.75, Dashes: []vg.Length{5, 3}}},
		{"new " + c.New.ID, s.New, draw.LineStyle{Color: col, Width: 1.75}},
	}
	if corr != nil {
		curves = append(curves,
			curve{"base, corrected", corr.Base, draw.LineStyle{Color: lighter(col, 0.45), Width: 1.25, Dashes: []vg.Length{1.5, 2}}},
			curve{"new, corrected", corr.New, draw.LineStyle{Color: col, Width: 1.25, Dashes: []vg.Length{1.5, 2}}},
		)
	}
	lo, hi, xmax := math.Inf(1), math.Inf(-1), 1.0
	for _, r := range curves {
		h := r.sample.Hist
		if h == nil || h.TotalCount() == 0 {
			continue
		}
		xys := quantiles(h)
		line, err := plotter.NewLine(xys)
		if err != nil {
			return "", err
		}
		line.LineStyle = r.style
		end, err := plotter.NewScatter(xys[len(xys)-1:])
		if err != nil {
			return "", err
		}
		end.GlyphStyle = draw.GlyphStyle{Color: r.style.Color, Radius: 2.5, Shape: draw.CircleGlyph{}}
		p.Add(line, end)
		legend = append(legend, key{fmt.Sprintf("%s (n=%d)", r.label, h.TotalCount()), lineThumb(r.style)})
		lo = min(lo, float64(h.ValueAtQuantile(0))/1000)
		hi = max(hi, float64(h.Max())/1000)
		xmax = max(xmax, xys[len(xys)-1].X)
	}
	if math.IsInf(lo, 0) {
		return "", nil
	}
	p.X.Min, p.X.Max = 0, xmax
	p.X.Tick.Marker = nines{}
	p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, logTicks{}
	p.Y.Min, p.Y.Max = logRange(lo, hi)
	ch := chart{panels: []panel{{p: p}}, ylabel: "latency (ms, log scale)", legend: legend}
	return ch.svg()
}
