package report

import (
	"fmt"
	"html/template"
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
// 99.9%... are evenly spaced. It returns no chart, only notes, if there is
// nothing to draw.
func percentileChart(targets []*record.Target) (template.HTML, []string, error) {
	p := newPlot("percentile")
	p.Add(plotter.NewGrid())
	legend := plot.NewLegend()
	var notes []string
	lo, hi, xmax := math.Inf(1), math.Inf(-1), 1.0
	for i, t := range targets {
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
			line.LineStyle = curveStyle(t.Name, i, c, split(t))
			end, err := plotter.NewScatter(xys[len(xys)-1:])
			if err != nil {
				return "", nil, err
			}
			end.GlyphStyle = draw.GlyphStyle{Color: line.LineStyle.Color, Radius: 2.5, Shape: draw.CircleGlyph{}}
			p.Add(line, end)
			legend.Add(fmt.Sprintf("%s %s (n=%d)", t.Name, c, h.TotalCount()), line)
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
	c := chart{p: p, ylabel: "latency (ms, log scale)", legend: legend}
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

// curveStyle returns the line style of class c of the target at index i:
// the target's color, red for cold requests, and a light dashed line for
// all requests of a target whose warm and cold requests are drawn apart.
func curveStyle(target string, i int, c record.Class, apart bool) draw.LineStyle {
	sty := draw.LineStyle{Color: targetColor(target, i), Width: 1.75}
	switch {
	case c == record.Cold:
		sty.Color = coldColor()
	case c == record.All && apart:
		sty.Color = lighter(targetColor(target, i), 0.35)
		sty.Width = 1.25
		sty.Dashes = []vg.Length{5, 3}
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

// timeChart draws latency over time: p50 and p99 per interval of the warm
// (or all) requests of each target, every cold start as a marker, and the
// phases of the schedule. It returns no chart, only notes, if there is
// nothing to draw.
func timeChart(in Input) (template.HTML, []string, error) {
	p := newPlot("seconds since start of schedule")
	spans := phaseSpans(in)
	p.Add(spanMarks(spans), plotter.NewGrid())
	legend := plot.NewLegend()
	var notes []string
	lo, hi, xmax := math.Inf(1), math.Inf(-1), 0.0
	for _, s := range spans {
		xmax = max(xmax, s.To)
	}
	for i, t := range in.Targets {
		class := record.All
		if slices.ContainsFunc(t.Points, func(p record.Point) bool { return p.Class == record.Warm }) {
			class = record.Warm
		}
		color := targetColor(t.Name, i)
		name := t.Name
		if class != record.All {
			name += " " + string(class)
		}
		for _, q := range []struct {
			label string
			value func(record.Point) int64
			style draw.LineStyle
		}{
			{"p99", func(p record.Point) int64 { return p.P99 }, draw.LineStyle{Color: color, Width: 1.5}},
			{"p50", func(p record.Point) int64 { return p.P50 }, draw.LineStyle{Color: lighter(color, 0.45), Width: 1}},
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
			legend.Add(name+" "+q.label, lineThumb(q.style))
		}
		if len(t.Points) == 0 {
			notes = append(notes, fmt.Sprintf("%s: no latency-over-time data.", t.Name))
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
			legend.Add(fmt.Sprintf("%s cold start (%d)", t.Name, len(t.ColdStarts)), sc)
		}
	}
	if math.IsInf(lo, 0) {
		return "", append(notes, "No latency-over-time data to plot."), nil
	}
	p.X.Min, p.X.Max = 0, max(xmax, 1)
	p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, logTicks{}
	p.Y.Min, p.Y.Max = logRange(lo, hi)
	c := chart{p: p, ylabel: "latency (ms, log scale)", legend: legend, spans: spans}
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
