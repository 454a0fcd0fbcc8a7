package report

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/coldbench/coldbench/bench/tuning"
	"github.com/coldbench/coldbench/bench/verdict"
)

// tuningView is the Power tuning section: per memory sweep a row per
// size and the size each strategy chooses, then a chart of every target's
// cost per million requests against its p99, the servers among them.
type tuningView struct {
	Sweeps []sweepView
	Chart  template.HTML
	Notes  []string
}

// sweepView is one sweep of the section.
type sweepView struct {
	Base    string
	Rows    []tuningRow
	Choices []template.HTML
}

// tuningRow is one memory size of a sweep.
type tuningRow struct {
	Target, Color, Memory, VCPU string
	Capped                      bool
	PerMillion                  string
	WarmP50, WarmP99            string
	ColdP50, ColdP99            string
	AllP50, AllP99              string
	Cold, Errors, Balanced      string
	Chosen                      string // the strategies that choose it, and the objectives' best
}

// tuningSection builds the Power tuning section from the run's sweeps
// and v, the verdict (its best size of each sweep, its ranking for every
// target's p99); nil without a sweep.
func tuningSection(in Input, sweeps []tuning.Sweep, v verdict.Verdict, pal palette) (*tuningView, error) {
	if len(sweeps) == 0 {
		return nil, nil
	}
	tv := &tuningView{}
	process := false
	for _, sw := range sweeps {
		sv := sweepView{Base: sw.Base}
		points := make([]tuning.Point, len(sw.Sizes))
		for i, s := range sw.Sizes {
			points[i] = s.Point()
		}
		best := ""
		for _, b := range v.Sizes {
			if b.Sweep == sw.Base {
				best = b.Target
			}
		}
		for i, s := range sw.Sizes {
			r := tuningRow{
				Target: s.Target, Color: pal.css(s.Target), Memory: thousands(int64(s.MemoryMB)), VCPU: "all cores",
				Capped: s.Capped, PerMillion: "not priced",
				WarmP50: lat(s.Warm, false), WarmP99: lat(s.Warm, true), ColdP50: lat(s.Cold, false), ColdP99: lat(s.Cold, true),
				AllP50: lat(s.All, false), AllP99: lat(s.All, true), Cold: pct(s.ColdStarts, s.Relayed), Errors: pct(s.Errors, s.Requests), Balanced: none,
			}
			if s.VCPUs > 0 {
				r.VCPU = fmt.Sprintf("%.2f", s.VCPUs)
			} else {
				process = true
			}
			if s.Priced {
				r.PerMillion = dollars(s.PerMillion)
			}
			if points[i].Measured {
				r.Balanced = fmt.Sprintf("%.3f", tuning.Value(points, i, sw.Weight))
			}
			var chosen []string
			for _, c := range sw.Choices {
				if c.Target == s.Target {
					chosen = append(chosen, string(c.Strategy))
				}
			}
			if s.Target == best {
				chosen = append(chosen, "objectives")
			}
			r.Chosen = strings.Join(chosen, ", ")
			sv.Rows = append(sv.Rows, r)
		}
		for _, c := range sw.Choices {
			sv.Choices = append(sv.Choices, choiceLine(sw, c))
		}
		sv.Choices = append(sv.Choices, bestSizeLine(v.Sizes, sw.Base))
		tv.Sweeps = append(tv.Sweeps, sv)
	}
	if process {
		tv.Notes = append(tv.Notes, "Environments ran as processes, which no CPU quota limits: every size had all of this machine's cores, so its latencies do not follow its memory. Run in containers (-runtime container) to give each size Lambda's CPU share.")
	}
	var err error
	tv.Chart, err = tuningChart(in, sweeps, v, pal)
	return tv, err
}

// lat formats the p50 (or, with p99, the p99) of l in ms.
func lat(l tuning.Latency, p99 bool) string {
	switch {
	case l.Count == 0:
		return none
	case p99:
		return ms(l.P99)
	}
	return ms(l.P50)
}

// choiceLine says which size strategy c chose in sw, and why.
func choiceLine(sw tuning.Sweep, c tuning.Choice) template.HTML {
	var s tuning.Size
	for _, x := range sw.Sizes {
		if x.Target == c.Target {
			s = x
		}
	}
	why := map[tuning.Strategy]string{
		tuning.Cost:  "the cheapest per million requests (of sizes as cheap, the fastest)",
		tuning.Speed: "the lowest p99 of all requests (of sizes as fast, the cheapest)",
		tuning.Balanced: fmt.Sprintf("the lowest %s·cost/max cost + %s·p99/max p99",
			num(sw.Weight), num(math.Round((1-sw.Weight)*1e6)/1e6)),
	}[c.Strategy]
	return template.HTML(fmt.Sprintf(`<strong>%s</strong>: %s MB (%s), %s: %s per million requests, p99 %s ms.`,
		html.EscapeString(string(c.Strategy)), thousands(int64(c.MemoryMB)), html.EscapeString(c.Target), why,
		dollars(s.PerMillion), ms(s.Duration())))
}

// bestSizeLine says the verdict's best size of the sweep called base.
func bestSizeLine(sizes []verdict.BestSize, base string) template.HTML {
	for _, b := range sizes {
		if b.Sweep != base {
			continue
		}
		if b.Target == "" {
			return template.HTML(fmt.Sprintf(`<strong>objectives</strong>: none of the sizes of %s meets every objective naming it.`, html.EscapeString(base)))
		}
		return template.HTML(fmt.Sprintf(`<strong>objectives</strong>: %s MB (%s), the cheapest size that meets every objective naming it (<a href="#verdict">Verdict</a>).`,
			thousands(int64(b.MemoryMB)), html.EscapeString(b.Target)))
	}
	return ""
}

// sizeLines says the best memory size of each sweep, for the verdict.
func sizeLines(v verdict.Verdict) []template.HTML {
	var lines []template.HTML
	for _, b := range v.Sizes {
		base := html.EscapeString(b.Sweep)
		switch {
		case b.Target == "":
			lines = append(lines, template.HTML(fmt.Sprintf(`Memory size of %s: <strong>none of its sizes meets every objective</strong> naming it (<a href="#tuning">Power tuning</a>).`, base)))
		case b.Priced:
			lines = append(lines, template.HTML(fmt.Sprintf(`Memory size of %s: <strong>%s MB</strong> (%s), the cheapest of its sizes that meets every objective naming it, at <a href="#cost">%s a month</a> (<a href="#tuning">Power tuning</a>).`,
				base, thousands(int64(b.MemoryMB)), html.EscapeString(b.Target), dollars(b.Monthly))))
		default:
			lines = append(lines, template.HTML(fmt.Sprintf(`Memory size of %s: <strong>%s MB</strong> (%s) meets every objective naming it; it could not be priced (<a href="#tuning">Power tuning</a>).`,
				base, thousands(int64(b.MemoryMB)), html.EscapeString(b.Target))))
		}
	}
	return lines
}

// tuningChart draws the cost per million requests of every priced target
// against its p99 (of all requests, corrected where the run has it), both
// axes logarithmic: a dot per size of each sweep, joined in the sweep's
// order and labelled with its memory (capped ones say so), and a square
// per other target (a server) labelled with its name. Empty without a
// point.
func tuningChart(in Input, sweeps []tuning.Sweep, v verdict.Verdict, pal palette) (template.HTML, error) {
	p99 := map[string]float64{}
	for _, s := range v.Ranking {
		if s.Latency && s.P99 > 0 {
			p99[s.Target] = float64(s.P99) / 1000
		}
	}
	pl := newPlot("p99 of all requests (ms, corrected, log scale)")
	pl.Add(plotter.NewGrid())
	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	extend := func(x, y float64) {
		xlo, xhi, ylo, yhi = min(xlo, x), max(xhi, x), min(ylo, y), max(yhi, y)
	}
	var legend []key
	swept := map[string]bool{}
	label := textStyle(9)
	for _, sw := range sweeps {
		var xys plotter.XYs
		var labels []string
		for _, s := range sw.Sizes {
			swept[s.Target] = true
			x := p99[s.Target]
			if !s.Priced || s.PerMillion <= 0 || x <= 0 {
				continue
			}
			xys = append(xys, plotter.XY{X: x, Y: s.PerMillion})
			l := thousands(int64(s.MemoryMB)) + " MB"
			if s.Capped {
				l += " (capped)"
			}
			labels = append(labels, l)
			extend(x, s.PerMillion)
			dot, err := plotter.NewScatter(plotter.XYs{{X: x, Y: s.PerMillion}})
			if err != nil {
				return "", err
			}
			dot.GlyphStyle = draw.GlyphStyle{Color: pal.color(s.Target), Radius: 4, Shape: draw.CircleGlyph{}}
			if s.Capped {
				dot.GlyphStyle.Shape = draw.RingGlyph{}
			}
			pl.Add(dot)
			legend = append(legend, key{s.Target, dot})
		}
		if len(xys) == 0 {
			continue
		}
		if len(xys) > 1 {
			line, err := plotter.NewLine(xys)
			if err != nil {
				return "", err
			}
			line.LineStyle = draw.LineStyle{Color: rgb(0x999999), Width: 0.75}
			pl.Add(line)
		}
		if err := addLabels(pl, xys, labels, label); err != nil {
			return "", err
		}
	}
	for _, name := range pal.order {
		c := in.Costs[name]
		x := p99[name]
		if swept[name] || c == nil || !c.View().AlwaysOn || c.View().PerMillion.Value <= 0 || x <= 0 {
			continue
		}
		y := c.View().PerMillion.Value
		extend(x, y)
		sq, err := plotter.NewScatter(plotter.XYs{{X: x, Y: y}})
		if err != nil {
			return "", err
		}
		sq.GlyphStyle = draw.GlyphStyle{Color: pal.color(name), Radius: 4, Shape: draw.BoxGlyph{}}
		pl.Add(sq)
		legend = append(legend, key{name + " (always " + c.View().Short + ")", sq})
		if err := addLabels(pl, plotter.XYs{{X: x, Y: y}}, []string{name}, label); err != nil {
			return "", err
		}
	}
	if math.IsInf(xlo, 0) {
		return "", nil
	}
	pl.X.Scale, pl.X.Tick.Marker = plot.LogScale{}, logTicks{}
	pl.X.Min, pl.X.Max = logRange(xlo, xhi*1.6) // room for the labels
	pl.Y.Scale, pl.Y.Tick.Marker = plot.LogScale{}, logTicks{}
	pl.Y.Min, pl.Y.Max = logRange(ylo, yhi)
	ch := chart{panels: []panel{{p: pl}}, ylabel: "USD per million requests (log scale)", legend: legend}
	return ch.svg()
}

// addLabels writes labels beside the points xys of pl.
func addLabels(pl *plot.Plot, xys plotter.XYs, labels []string, sty text.Style) error {
	ls, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return err
	}
	for i := range ls.TextStyle {
		ls.TextStyle[i] = sty
	}
	ls.Offset = vg.Point{X: 6, Y: -3}
	pl.Add(ls)
	return nil
}
