package report

import (
	"fmt"
	"html/template"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// envMarks is how each kind of environment event is drawn.
var envMarks = []struct {
	kind  string
	label string
	color color.RGBA
	shape draw.GlyphDrawer
}{
	{"started", "started", rgb(0x2ca02c), draw.TriangleGlyph{}},
	{"reaped", "reaped (idle)", rgb(0x7f7f7f), draw.CrossGlyph{}},
	{"recycled", "recycled (lifetime)", rgb(0x9467bd), draw.SquareGlyph{}},
	{"discarded", "discarded (failed invoke)", rgb(0xd62728), draw.CrossGlyph{}},
	{"crashed", "crashed", rgb(0xd62728), draw.RingGlyph{}},
}

// envChart draws the fleet of each Lambda target over the schedule: how
// many environments were live, and when each was started, reaped,
// recycled, discarded or crashed. Stops at the end of the run are left out.
func envChart(in Input) (template.HTML, error) {
	p := newPlot("seconds since start of schedule")
	spans := phaseSpans(in)
	p.Add(spanMarks(spans), plotter.NewGrid())
	legend := plot.NewLegend()
	xmax, ymax, any := 1.0, 1.0, false
	for _, s := range spans {
		xmax = max(xmax, s.To)
	}
	for i, t := range in.Targets {
		if len(t.Timeline) == 0 {
			continue
		}
		any = true
		// The count of live environments, as steps.
		steps := plotter.XYs{{X: 0, Y: 0}}
		marks := map[string]plotter.XYs{}
		for _, ev := range t.Timeline {
			if ev.Kind == "stopped" {
				continue
			}
			x := max(ev.Offset.Seconds(), 0) // provisioned ones start before the schedule
			y := float64(ev.Live)
			steps = append(steps, plotter.XY{X: x, Y: steps[len(steps)-1].Y}, plotter.XY{X: x, Y: y})
			marks[ev.Kind] = append(marks[ev.Kind], plotter.XY{X: x, Y: y})
			xmax, ymax = max(xmax, x), max(ymax, y)
		}
		steps = append(steps, plotter.XY{X: xmax, Y: steps[len(steps)-1].Y})
		line, err := plotter.NewLine(steps)
		if err != nil {
			return "", err
		}
		line.LineStyle = draw.LineStyle{Color: targetColor(t.Name, i), Width: 1.5}
		p.Add(line)
		legend.Add(t.Name+" environments live", lineThumb(line.LineStyle))
		for _, m := range envMarks {
			xys := marks[m.kind]
			if len(xys) == 0 {
				continue
			}
			sc, err := plotter.NewScatter(xys)
			if err != nil {
				return "", err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: m.color, Radius: 3, Shape: m.shape}
			p.Add(sc)
			legend.Add(fmt.Sprintf("%s (%d)", m.label, len(xys)), sc)
		}
	}
	if !any {
		return "", nil
	}
	p.X.Min, p.X.Max = 0, xmax
	p.Y.Min, p.Y.Max = 0, ymax*1.1+0.5
	c := chart{p: p, ylabel: "environments", legend: legend, spans: spans}
	return c.svg()
}
