package report

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/coldbench/coldbench/bench/cost"
)

// costView is the Cost section: a table of figures with their sources, a
// chart of monthly cost against average request rate, and the prices.
type costView struct {
	Heading   string // what was priced: region, prices, architecture, instance
	Rows      []costRow
	BreakEven string
	Chart     template.HTML
	Prices    []costRow // Target empty; What is the price's key
	Caveats   []string
}

// costRow is one figure: whose, what, its value and where it comes from.
type costRow struct {
	Target, What, Value, Source string
	First                       bool // the first row of its target
}

// costSection builds the Cost section of c; nil without one.
func costSection(c *cost.Result) (*costView, error) {
	if c == nil {
		return nil, nil
	}
	v := &costView{
		Heading: fmt.Sprintf("In %s with the prices of %s: an %s function, the server on %s (at least %d, each at %s of its CPU at the peak).",
			c.Region, c.PriceVersion, c.Config.Architecture, c.Config.Instance, c.Config.MinInstances, percent(c.Config.TargetUtilization)),
		Caveats: c.Caveats,
	}
	add := func(target, what, value, source string) {
		first := len(v.Rows) == 0 || v.Rows[len(v.Rows)-1].Target != target
		v.Rows = append(v.Rows, costRow{Target: target, What: what, Value: value, Source: source, First: first})
	}
	if l := c.Lambda; l != nil {
		if l.Unpriced != "" {
			add("lambda", "not priced", none, l.Unpriced)
		} else {
			add("lambda", "per million requests", dollars(l.PerMillion.Value), l.PerMillion.Source)
			add("lambda", "a month at this pattern", dollars(l.Monthly.Value), l.Monthly.Source)
			for _, p := range append(l.Parts, l.Init) {
				add("lambda", "… "+p.Name, dollars(p.Value), p.Source)
			}
		}
	}
	if s := c.Server; s != nil {
		add("server", "per million requests", dollars(s.PerMillion.Value), s.PerMillion.Source)
		add("server", "a month at this pattern", dollars(s.Monthly.Value), s.Monthly.Source)
		add("server", "instances at the peak rate", fmt.Sprintf("%g × %s", s.Instances.Value, s.Instance), s.Instances.Source)
		if s.Capacity.Value > 0 {
			add("server", "capacity measured", fmt.Sprintf("%s req/CPU-s", sig(s.Capacity.Value)), s.Capacity.Source)
			add("server", "one instance carries", fmt.Sprintf("%s req/s", sig(s.PerInstance.Value)), s.PerInstance.Source)
		} else {
			add("server", "capacity measured", none, s.Capacity.Source)
		}
	}
	if be := c.BreakEven; be != nil {
		value := none
		if be.Found {
			value = sig(be.Rate.Value) + " req/s"
		}
		add("both", "break-even average rate", value, be.Rate.Source)
		v.BreakEven = be.Text
	}
	for _, k := range cost.OverrideKeys() {
		p, ok := c.Prices[k]
		if !ok {
			continue
		}
		src := p.Source.Source
		if p.URL != "" {
			// The page fetches nothing: the address is text.
			src += ", " + strings.TrimPrefix(strings.TrimPrefix(p.URL, "https://"), "http://")
		}
		v.Prices = append(v.Prices, costRow{What: k, Value: "$" + strconv.FormatFloat(p.USD, 'f', -1, 64), Source: src})
	}
	var err error
	v.Chart, err = costChart(c)
	return v, err
}

// costChart draws the monthly cost of each target against the average
// request rate, both axes logarithmic, with the scenario's average rate
// and the break-even marked. It returns no chart without a series.
func costChart(c *cost.Result) (template.HTML, error) {
	if len(c.Series) == 0 {
		return "", nil
	}
	p := newPlot("average request rate (requests/s, log scale)")
	p.Add(plotter.NewGrid())
	legend := plot.NewLegend()
	lambdaXY, serverXY := make(plotter.XYs, len(c.Series)), make(plotter.XYs, len(c.Series))
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, pt := range c.Series {
		lambdaXY[i] = plotter.XY{X: pt.Rate, Y: pt.Lambda}
		serverXY[i] = plotter.XY{X: pt.Rate, Y: pt.Server}
		for _, y := range []float64{pt.Lambda, pt.Server} {
			if y > 0 {
				lo, hi = min(lo, y), max(hi, y)
			}
		}
	}
	if math.IsInf(lo, 0) {
		return "", nil
	}
	for _, l := range []struct {
		xys   plotter.XYs
		name  string
		label string
	}{
		{lambdaXY, "lambda", fmt.Sprintf("lambda (%s, %d MB)", c.Config.Architecture, lambdaMemory(c))},
		{serverXY, "server", fmt.Sprintf("server on %s", c.Config.Instance)},
	} {
		line, err := plotter.NewLine(l.xys)
		if err != nil {
			return "", err
		}
		line.LineStyle = draw.LineStyle{Color: targetColor(l.name, 0), Width: 1.75}
		p.Add(line)
		legend.Add(l.label, line)
	}
	avg := c.Input.Traffic.AverageRate
	mark := draw.LineStyle{Color: rgb(0x444444), Width: 1, Dashes: []vg.Length{4, 3}}
	p.Add(vline{X: avg, Style: mark})
	legend.Add(fmt.Sprintf("this scenario: %s req/s", sig(avg)), lineThumb(mark))
	if be := c.BreakEven; be != nil && be.Found && be.Monthly > 0 {
		dot, err := plotter.NewScatter(plotter.XYs{{X: be.Rate.Value, Y: be.Monthly}})
		if err != nil {
			return "", err
		}
		dot.GlyphStyle = draw.GlyphStyle{Color: rgb(0x2ca02c), Radius: 4, Shape: draw.CircleGlyph{}}
		p.Add(dot)
		legend.Add(fmt.Sprintf("break-even: %s req/s", sig(be.Rate.Value)), dot)
	}
	p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, logTicks{}
	p.X.Min, p.X.Max = c.Series[0].Rate, c.Series[len(c.Series)-1].Rate
	p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, logTicks{}
	p.Y.Min, p.Y.Max = logRange(lo, hi)
	ch := chart{p: p, ylabel: "USD a month (log scale)", legend: legend}
	return ch.svg()
}

// lambdaMemory returns the function's memory, 0 if it was not priced.
func lambdaMemory(c *cost.Result) int {
	if c.Input.Lambda == nil {
		return 0
	}
	return c.Input.Lambda.MemoryMB
}

// vline is a vertical line across the data area at X.
type vline struct {
	X     float64
	Style draw.LineStyle
}

// Plot implements plot.Plotter.
func (l vline) Plot(c draw.Canvas, p *plot.Plot) {
	if l.X < p.X.Min || l.X > p.X.Max {
		return
	}
	xf, _ := p.Transforms(&c)
	x := xf(l.X)
	c.StrokeLine2(l.Style, x, c.Min.Y, x, c.Max.Y)
}

// dollars formats an amount of US dollars with three significant digits,
// and whole dollars from $1,000 up.
func dollars(v float64) string {
	if v >= 1000 {
		return "$" + thousands(int64(math.Round(v)))
	}
	return "$" + sig(v)
}

// sig formats v with three significant digits, without an exponent.
func sig(v float64) string {
	if v == 0 {
		return "0"
	}
	if math.Abs(v) >= 1000 {
		return thousands(int64(math.Round(v)))
	}
	decimals := max(0, 2-int(math.Floor(math.Log10(math.Abs(v)))))
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// thousands formats n with commas between groups of three digits.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// percent formats a share as a percentage.
func percent(f float64) string { return strconv.FormatFloat(100*f, 'f', -1, 64) + "%" }
