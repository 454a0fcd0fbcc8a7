package report

import (
	"fmt"
	"html/template"
	"image/color"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// envMark is how one kind of environment event is drawn: told apart by
// its shape first, its colour second.
type envMark struct {
	kind  string
	label string
	color color.RGBA
	shape draw.GlyphDrawer
}

// envMarks lists the marks of the environment events, in legend order.
func envMarks() []envMark {
	return []envMark{
		{"started", "started", rgb(0x222222), draw.TriangleGlyph{}},
		{"reaped", "reaped (idle)", rgb(0x888888), draw.CrossGlyph{}},
		{"recycled", "recycled (lifetime)", rgb(0x222222), draw.SquareGlyph{}},
		{"discarded", "discarded (failed invoke)", rgb(0xd55e00), draw.PlusGlyph{}},
		{"crashed", "crashed", rgb(0xd55e00), draw.RingGlyph{}},
	}
}

// envChart draws the fleet of each target that has one (a Lambda
// function's timeline) over the schedule, a panel per target on shared
// axes: how many environments were live, and when each was started,
// reaped, recycled, discarded or crashed. Stops at the end of the run are
// left out.
func envChart(in Input, pal palette) (template.HTML, error) {
	spans := phaseSpans(in)
	var panels []panel
	xmax, ymax := 1.0, 1.0
	for _, s := range spans {
		xmax = max(xmax, s.To)
	}
	type fleet struct {
		steps plotter.XYs
		marks map[string]plotter.XYs
	}
	var fleets []fleet
	var names []string
	for _, t := range in.Targets {
		if len(t.Timeline) == 0 {
			continue
		}
		// The count of live environments, as steps.
		f := fleet{steps: plotter.XYs{{X: 0, Y: 0}}, marks: map[string]plotter.XYs{}}
		for _, ev := range t.Timeline {
			if ev.Kind == "stopped" {
				continue
			}
			x := max(ev.Offset.Seconds(), 0) // provisioned ones start before the schedule
			y := float64(ev.Live)
			f.steps = append(f.steps, plotter.XY{X: x, Y: f.steps[len(f.steps)-1].Y}, plotter.XY{X: x, Y: y})
			f.marks[ev.Kind] = append(f.marks[ev.Kind], plotter.XY{X: x, Y: y})
			xmax, ymax = max(xmax, x), max(ymax, y)
		}
		fleets, names = append(fleets, f), append(names, t.Name)
	}
	for i, f := range fleets {
		p := newPlot("seconds since start of schedule")
		p.Add(spanMarks(spans), plotter.NewGrid())
		col := pal.color(names[i])
		pn := panel{p: p, title: names[i], color: col}
		steps := append(f.steps, plotter.XY{X: xmax, Y: f.steps[len(f.steps)-1].Y})
		line, err := plotter.NewLine(steps)
		if err != nil {
			return "", err
		}
		line.LineStyle = draw.LineStyle{Color: col, Width: 1.5}
		p.Add(line)
		pn.keys = append(pn.keys, key{"environments live", lineThumb(line.LineStyle)})
		for _, m := range envMarks() {
			xys := f.marks[m.kind]
			if len(xys) == 0 {
				continue
			}
			sc, err := plotter.NewScatter(xys)
			if err != nil {
				return "", err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: m.color, Radius: 3, Shape: m.shape}
			p.Add(sc)
			pn.keys = append(pn.keys, key{fmt.Sprintf("%s (%d)", m.label, len(xys)), sc})
		}
		p.X.Min, p.X.Max = 0, xmax
		p.Y.Min, p.Y.Max = 0, ymax*1.1+0.5
		panels = append(panels, pn)
	}
	c := chart{panels: panels, ylabel: "environments", spans: spans}
	return c.svg()
}
