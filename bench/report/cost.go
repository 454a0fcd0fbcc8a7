package report

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/verdict"
)

// costView is the Cost section: a row per priced target, the break-even
// of each function against the best server, a chart of monthly cost
// against average request rate with a line per target, every figure with
// its source, and the prices.
type costView struct {
	Heading    string // region and price file
	Month      string // what a month repeats: "a month at this pattern", or of the whole trace
	WholeTrace bool   // priced from the whole trace (cost.Traffic.Trace)
	Targets    []costTarget
	BreakEvens []string
	Chart      template.HTML
	Rows       []costRow
	Prices     []priceRow
	Caveats    []string
}

// costTarget is one target's row of the cost table.
type costTarget struct {
	Target, Color string
	As            string // what it is priced as: "x86_64, 512 MB", "1 × t4g.small"
	PerMillion    string
	Monthly       string
	Unpriced      string // why it could not be priced
}

// costRow is one figure: whose, what, its value and where it comes from.
type costRow struct {
	Target, What, Value, Source string
	First                       bool // the first row of its target
}

// priceRow is one price the model used, and the targets it priced.
type priceRow struct{ Key, Value, Source, Targets string }

// costSection builds the Cost section from each target's own price, in
// the palette's order, the break-evens against v's reference when it is
// priced as a server; nil when no target is priced.
func costSection(in Input, v verdict.Verdict, pal palette) (*costView, error) {
	var names []string
	for _, name := range pal.order {
		if in.Costs[name] != nil {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	first := in.Costs[names[0]]
	cv := &costView{Heading: fmt.Sprintf("In %s with the prices of %s, each target priced alone, with its own settings.", first.Region, first.PriceVersion),
		Month: "a month at this pattern"}
	if tr := first.Input.Traffic; tr.Trace {
		cv.WholeTrace = true
		cv.Month = "a month: the whole trace × " + sig(tr.Repeats())
		cv.Heading += fmt.Sprintf(" Priced from the whole trace (%s), simulated for each function: the month repeats it %s times.", time.Duration(tr.Seconds*float64(time.Second)), sig(tr.Repeats()))
	}
	add := func(target, what, value, source string) {
		top := len(cv.Rows) == 0 || cv.Rows[len(cv.Rows)-1].Target != target
		cv.Rows = append(cv.Rows, costRow{Target: target, What: what, Value: value, Source: source, First: top})
	}
	ref := in.Costs[v.Reference]
	if ref != nil && !ref.View().AlwaysOn {
		ref = nil
	}
	for _, name := range names {
		c := in.Costs[name]
		row := costTarget{Target: name, Color: pal.css(name), PerMillion: none, Monthly: none}
		cw := c.View()
		row.As = cw.As
		if cw.Unpriced != "" {
			row.Unpriced = cw.Unpriced
			add(name, "not priced", none, cw.Unpriced)
		} else {
			row.PerMillion, row.Monthly = dollars(cw.PerMillion.Value), dollars(cw.Monthly.Value)
			add(name, "per million requests", dollars(cw.PerMillion.Value), cw.PerMillion.Source)
			add(name, cv.Month, dollars(cw.Monthly.Value), cw.Monthly.Source)
			for _, p := range cw.Parts {
				add(name, "… "+p.Name, dollars(p.Value), p.Source)
			}
			for _, e := range cw.Extras {
				add(name, e.What, e.Value, e.Source)
			}
		}
		if be := cost.BreakEvenOf(c, name, ref, v.Reference); be != nil {
			value := none
			if be.Found {
				value = sig(be.Rate.Value) + " req/s"
			}
			add(name, "break-even average rate against "+v.Reference, value, be.Rate.Source)
			cv.BreakEvens = append(cv.BreakEvens, name+" against "+v.Reference+": "+be.Text)
		}
		cv.Targets = append(cv.Targets, row)
		for _, c := range c.Caveats {
			if !slices.Contains(cv.Caveats, c) {
				cv.Caveats = append(cv.Caveats, c)
			}
		}
	}
	cv.Prices = priceRows(in.Costs, names)
	var err error
	cv.Chart, err = costChart(in.Costs, names, ref, v.Reference, pal)
	return cv, err
}

// priceRows lists the prices that priced the targets called names, in the
// order of cost.OverrideKeys: a function's Lambda prices, a server's
// instance price, their front doors'; one row for a price that several
// targets share.
func priceRows(costs map[string]*cost.Result, names []string) []priceRow {
	var rows []priceRow
	var users [][]string
	for _, k := range cost.OverrideKeys() {
		for _, name := range names {
			c := costs[name]
			if !slices.Contains(c.PriceKeys(), k) {
				continue
			}
			p := c.Prices[k]
			src := p.Source.Source
			if p.URL != "" {
				// The page fetches nothing: the address is text.
				src += ", " + strings.TrimPrefix(strings.TrimPrefix(p.URL, "https://"), "http://")
			}
			row := priceRow{Key: k, Value: "$" + strconv.FormatFloat(p.USD, 'f', -1, 64), Source: src}
			i := slices.IndexFunc(rows, func(r priceRow) bool { return r == row })
			if i < 0 {
				rows, users = append(rows, row), append(users, nil)
				i = len(rows) - 1
			}
			users[i] = append(users[i], name)
		}
	}
	for i := range rows {
		rows[i].Targets = strings.Join(users[i], ", ")
	}
	return rows
}

// costChart draws the monthly cost of each target against the average
// request rate, both axes logarithmic, a line per target in its colour
// (a function's grows with the rate, a server's by instances), with the
// scenario's average rate and each function's break-even against the
// server ref (called refName) marked. It returns no chart without a line.
func costChart(costs map[string]*cost.Result, names []string, ref *cost.Result, refName string, pal palette) (template.HTML, error) {
	var lo, hi float64
	var traffic cost.Traffic
	for _, name := range names {
		if l, h, ok := cost.ChartRange(costs[name].Input.Traffic); ok {
			lo, hi, traffic = l, h, costs[name].Input.Traffic
			break
		}
	}
	if lo == 0 {
		return "", nil
	}
	p := newPlot("average request rate (requests/s, log scale)")
	p.Add(plotter.NewGrid())
	var legend []key
	ylo, yhi := math.Inf(1), math.Inf(-1)
	var dots []plot.Plotter
	var dotKeys []key
	for _, name := range names {
		c := costs[name]
		levels := c.Line(lo, hi)
		if len(levels) == 0 {
			continue
		}
		xys := make(plotter.XYs, len(levels))
		for i, l := range levels {
			xys[i] = plotter.XY{X: l.Rate, Y: l.Monthly}
			if l.Monthly > 0 {
				ylo, yhi = min(ylo, l.Monthly), max(yhi, l.Monthly)
			}
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return "", err
		}
		line.LineStyle = draw.LineStyle{Color: pal.color(name), Width: 1.75}
		p.Add(line)
		label := name + ": " + c.View().Short
		legend = append(legend, key{label, line})
		if be := cost.BreakEvenOf(c, name, ref, refName); be != nil && be.Found && be.Monthly > 0 {
			dot, err := plotter.NewScatter(plotter.XYs{{X: be.Rate.Value, Y: be.Monthly}})
			if err != nil {
				return "", err
			}
			dot.GlyphStyle = draw.GlyphStyle{Color: pal.color(name), Radius: 4.5, Shape: draw.RingGlyph{}}
			dots = append(dots, dot)
			dotKeys = append(dotKeys, key{fmt.Sprintf("break-even of %s and %s: %s req/s", name, refName, sig(be.Rate.Value)), dot})
		}
	}
	if math.IsInf(ylo, 0) {
		return "", nil
	}
	p.Add(dots...)
	avg := traffic.AverageRate
	mark := draw.LineStyle{Color: rgb(0x444444), Width: 1, Dashes: []vg.Length{4, 3}}
	p.Add(vline{X: avg, Style: mark})
	legend = append(legend, key{fmt.Sprintf("this scenario: %s req/s", sig(avg)), lineThumb(mark)})
	legend = append(legend, dotKeys...)
	p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, logTicks{}
	p.X.Min, p.X.Max = lo, hi
	p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, logTicks{}
	p.Y.Min, p.Y.Max = logRange(ylo, yhi)
	ch := chart{panels: []panel{{p: p}}, ylabel: "USD a month (log scale)", legend: legend}
	return ch.svg()
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

// The report writes money and figures as package cost does.
func dollars(v float64) string { return cost.Dollars(v) }
func sig(v float64) string     { return cost.Sig(v) }
func thousands(n int64) string { return cost.Thousands(n) }
func percent(f float64) string { return cost.Percent(f) }
