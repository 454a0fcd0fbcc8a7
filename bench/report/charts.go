package report

import (
	"fmt"
	"html/template"
	"image/color"
	"math"
	"slices"
	"strings"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
)

// step is the distance between the points of a percentile curve on the
// log10(1/(1-p)) axis: 50 points per "nine".
const step = 0.02

// percentileChart draws the latency of every class of every target by
// percentile, HdrHistogram style: x is log10(1/(1-p)), so that 90%, 99%,
// 99.9%... are evenly spaced. The targets overlay one another, each in its
// colour, a class told by its dashes. It returns no chart, only notes, if
// there is nothing to draw.
func percentileChart(targets []*record.Target, pal palette) (template.HTML, []string, error) {
	p := newPlot("percentile")
	p.Add(plotter.NewGrid())
	var legend []key
	var notes []string
	lo, hi, xmax := math.Inf(1), math.Inf(-1), 1.0
	for _, t := range targets {
		classes := []record.Class{record.All}
		if split(t) {
			classes = []record.Class{record.Warm, record.Cold, record.All}
		}
		drawn := 0
		var empty []string
		for _, c := range classes {
			s := series(t.Classes, c)
			if c == record.All && !split(t) {
				s = overall(t)
			}
			if s == nil {
				continue
			}
			h := hist(s)
			if h == nil {
				empty = append(empty, string(c))
				continue
			}
			xys := quantiles(h)
			line, err := plotter.NewLine(xys)
			if err != nil {
				return "", nil, err
			}
			line.LineStyle = curveStyle(pal.color(t.Name), c, split(t))
			end, err := plotter.NewScatter(xys[len(xys)-1:])
			if err != nil {
				return "", nil, err
			}
			end.GlyphStyle = draw.GlyphStyle{Color: line.LineStyle.Color, Radius: 2.5, Shape: draw.CircleGlyph{}}
			p.Add(line, end)
			legend = append(legend, key{fmt.Sprintf("%s %s (n=%d)", t.Name, c, h.TotalCount()), line})
			lo = min(lo, float64(h.ValueAtQuantile(0))/1000)
			hi = max(hi, float64(h.Max())/1000)
			xmax = max(xmax, xys[len(xys)-1].X)
			drawn++
		}
		if len(empty) > 0 {
			notes = append(notes, fmt.Sprintf("%s %s: no successful responses to plot.", t.Name, strings.Join(empty, ", ")))
		}
		if drawn == 0 && len(t.Classes) == 0 {
			notes = append(notes, fmt.Sprintf("%s: no data.", t.Name))
		}
	}
	if math.IsInf(lo, 0) {
		return "", append(notes, "No successful responses: there is no distribution to plot."), nil
	}
	p.X.Min, p.X.Max = 0, xmax
	p.X.Tick.Marker = nines{}
	p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, logTicks{}
	p.Y.Min, p.Y.Max = logRange(lo, hi)
	c := chart{panels: []panel{{p: p}}, ylabel: "latency (ms, log scale)", legend: legend}
	svg, err := c.svg()
	return svg, notes, err
}

// quantiles returns the curve of h: latency in ms at points evenly spaced
// in log10(1/(1-p)) up to the largest p the count of values supports,
// 1-1/n, where the curve ends at the maximum.
func quantiles(h *hdrhistogram.Histogram) plotter.XYs {
	end := math.Log10(float64(h.TotalCount()))
	var xs, ps []float64
	for i := 0; float64(i)*step < end; i++ {
		x := float64(i) * step
		xs = append(xs, x)
		ps = append(ps, 100*(1-math.Pow(10, -x)))
	}
	vs := h.ValueAtPercentilesSlice(ps)
	xys := make(plotter.XYs, 0, len(xs)+1)
	for i, x := range xs {
		xys = append(xys, plotter.XY{X: x, Y: latency(vs[i])})
	}
	return append(xys, plotter.XY{X: end, Y: latency(h.Max())})
}

// latency converts us microseconds to milliseconds for a log axis.
func latency(us int64) float64 {
	return max(float64(us)/1000, lowestMs)
}

// curveStyle returns the line style of class c of a target of colour
// col: solid for its warm requests (or all, when they are not split),
// dashed for its cold ones, and a light dotted line for all requests of a
// target whose warm and cold requests are drawn apart. The colour says the
// target, the dashes the class.
func curveStyle(col color.RGBA, c record.Class, apart bool) draw.LineStyle {
	sty := draw.LineStyle{Color: col, Width: 1.75}
	switch {
	case c == record.Cold:
		sty.Dashes = []vg.Length{6, 3}
	case c == record.All && apart:
		sty.Color = lighter(col, 0.3)
		sty.Width = 1.25
		sty.Dashes = []vg.Length{1.5, 2.5}
	}
	return sty
}

// nines marks the percentile axis: 0%, 90%, 99%, 99.9%... at whole
// numbers, 50% and minor ticks in between.
type nines struct{}

// Ticks implements plot.Ticker.
func (nines) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for k := 0; float64(k) <= hi+1e-9; k++ {
		label := "0%"
		switch {
		case k == 1:
			label = "90%"
		case k == 2:
			label = "99%"
		case k > 2:
			label = "99." + strings.Repeat("9", k-2) + "%"
		}
		ticks = append(ticks, plot.Tick{Value: float64(k), Label: label})
		if k == 0 && hi >= 1 {
			ticks = append(ticks, plot.Tick{Value: math.Log10(2), Label: "50%"})
		}
		// Minor ticks at 2x and 5x fewer remaining: 50%, 80%; 95%, 98%...
		for _, m := range []float64{2, 5} {
			if v := float64(k) + math.Log10(m); v <= hi && !(k == 0 && m == 2) {
				ticks = append(ticks, plot.Tick{Value: v})
			}
		}
	}
	return ticks
}

// timeChart draws latency over time as small multiples, a panel per
// target on shared axes: p50 and p99 per interval of its warm (or all)
// requests, every cold start as a marker, and the phases of the schedule.
// It returns no chart, only notes, if there is nothing to draw.
func timeChart(in Input, pal palette) (template.HTML, []string, error) {
	spans := phaseSpans(in)
	var panels []panel
	var notes []string
	lo, hi, xmax := math.Inf(1), math.Inf(-1), 0.0
	for _, s := range spans {
		xmax = max(xmax, s.To)
	}
	for _, t := range in.Targets {
		if len(t.Points) == 0 {
			notes = append(notes, fmt.Sprintf("%s: no latency-over-time data.", t.Name))
			if len(t.ColdStarts) == 0 {
				continue
			}
		}
		p := newPlot("seconds since start of schedule")
		p.Add(spanMarks(spans), plotter.NewGrid())
		class := record.All
		if slices.ContainsFunc(t.Points, func(p record.Point) bool { return p.Class == record.Warm }) {
			class = record.Warm
		}
		col := pal.color(t.Name)
		pn := panel{p: p, title: t.Name, color: col}
		if class != record.All {
			pn.title += " (" + string(class) + " requests)"
		}
		for _, q := range []struct {
			label string
			value func(record.Point) int64
			style draw.LineStyle
		}{
			{"p99", func(p record.Point) int64 { return p.P99 }, draw.LineStyle{Color: col, Width: 1.5}},
			{"p50", func(p record.Point) int64 { return p.P50 }, draw.LineStyle{Color: lighter(col, 0.5), Width: 1}},
		} {
			segs := segments(t.Points, class, q.value)
			if len(segs) == 0 {
				continue
			}
			for _, seg := range segs {
				for _, xy := range seg {
					lo, hi, xmax = min(lo, xy.Y), max(hi, xy.Y), max(xmax, xy.X)
				}
				if len(seg) == 1 {
					dot, err := plotter.NewScatter(seg)
					if err != nil {
						return "", nil, err
					}
					dot.GlyphStyle = draw.GlyphStyle{Color: q.style.Color, Radius: 1.5, Shape: draw.CircleGlyph{}}
					p.Add(dot)
					continue
				}
				line, err := plotter.NewLine(seg)
				if err != nil {
					return "", nil, err
				}
				line.LineStyle = q.style
				p.Add(line)
			}
			pn.keys = append(pn.keys, key{q.label, lineThumb(q.style)})
		}
		if len(t.ColdStarts) > 0 {
			xys := make(plotter.XYs, len(t.ColdStarts))
			for j, cs := range t.ColdStarts {
				xys[j] = plotter.XY{X: cs.Offset.Seconds(), Y: latency(cs.Latency.Microseconds())}
				lo, hi, xmax = min(lo, xys[j].Y), max(hi, xys[j].Y), max(xmax, xys[j].X)
			}
			sc, err := plotter.NewScatter(xys)
			if err != nil {
				return "", nil, err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: coldColor(), Radius: 3.5, Shape: draw.PyramidGlyph{}}
			p.Add(sc)
			pn.keys = append(pn.keys, key{fmt.Sprintf("cold start (%d)", len(t.ColdStarts)), sc})
		}
		panels = append(panels, pn)
	}
	if math.IsInf(lo, 0) {
		return "", append(notes, "No latency-over-time data to plot."), nil
	}
	ymin, ymax := logRange(lo, hi)
	for _, pn := range panels {
		pn.p.X.Min, pn.p.X.Max = 0, max(xmax, 1)
		pn.p.Y.Scale, pn.p.Y.Tick.Marker = plot.LogScale{}, logTicks{sparse: true}
		pn.p.Y.Min, pn.p.Y.Max = ymin, ymax
	}
	c := chart{panels: panels, ylabel: "latency (ms, log scale)", spans: spans}
	svg, err := c.svg()
	return svg, notes, err
}

// segments returns the value of the points of class c over time, in ms at
// the middle of each interval, split where an interval has no successful
// response or the series has a gap, so that lines do not bridge them.
func segments(points []record.Point, c record.Class, value func(record.Point) int64) []plotter.XYs {
	var segs []plotter.XYs
	var cur plotter.XYs
	var last time.Duration = -1
	for _, pt := range points {
		if pt.Class != c {
			continue
		}
		slack := max((pt.End-pt.Start)/2, time.Millisecond)
		if pt.Count == 0 || (last >= 0 && pt.Start-last > slack) {
			if len(cur) > 0 {
				segs, cur = append(segs, cur), nil
			}
		}
		last = pt.End
		if pt.Count == 0 {
			continue
		}
		mid := (pt.Start + pt.End) / 2
		cur = append(cur, plotter.XY{X: mid.Seconds(), Y: latency(value(pt))})
	}
	if len(cur) > 0 {
		segs = append(segs, cur)
	}
	return segs
}

// phaseSpans returns the phases of the schedule as spans of seconds: from
// the scenario if there is one, else from the phases the first target
// recorded.
func phaseSpans(in Input) []span {
	var spans []span
	if in.Scenario != nil {
		var at time.Duration
		for _, p := range in.Scenario.Phases {
			s := span{From: at.Seconds(), To: (at + p.Duration).Seconds(), Label: p.Name}
			if p.Shape == scenario.Idle {
				s.Shade = true
				s.Label += " (idle)"
			}
			spans = append(spans, s)
			at += p.Duration
		}
		return spans
	}
	for _, t := range in.Targets {
		for _, p := range t.Phases {
			if p != nil {
				spans = append(spans, span{From: p.Start.Seconds(), To: p.End.Seconds(), Label: p.Name})
			}
		}
		if len(spans) > 0 {
			break
		}
	}
	return spans
}
