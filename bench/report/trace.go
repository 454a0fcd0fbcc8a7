package report

import (
	"fmt"
	"html/template"
	"time"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
)

// traceView is the section of a scenario that replays a trace: the window
// replayed and its two clocks, and the whole trace simulated over each
// function's fleet, per hour and in all, beside what the replay counted.
type traceView struct {
	Window   string        // the replayed window, in trace time and run time
	Whole    string        // what was simulated
	Rows     []traceRow    // a row per simulated target
	Chart    template.HTML // cold starts, throttles and concurrency per hour
	Months   []string      // each target's month, priced from the whole trace
	Distorts string        // what the replay's compression distorts
	Unit     string        // the simulation's bucket: hour, minute or second
}

// traceRow compares, for one target, the replayed window (measured) with
// the whole trace (simulated).
type traceRow struct {
	Target, Color                         string
	WindowRequests, WindowCold            string
	WindowThrottled, WindowPeak           string
	Requests, Cold, Throttled, Peak, EnvH string
}

// traceSection returns the section of in's trace; nil when the scenario
// replays none.
func traceSection(in Input, pal palette) (*traceView, error) {
	if in.Scenario == nil || in.Scenario.Trace() == nil {
		return nil, nil
	}
	tr := in.Scenario.Trace()
	v := &traceView{
		Window: fmt.Sprintf("Replayed: %s to %s of %s (%s of trace, %d requests) in %s of run, at speed %g: trace time = run time × %g.",
			clock(tr.From), clock(tr.To), tr.File, tr.To-tr.From, tr.Requests(), tr.RunDuration().Round(time.Millisecond), tr.Speed, tr.Speed),
	}
	if tr.Speed != 1 {
		v.Distorts = fmt.Sprintf("At speed %g the replay's requests arrive %g times closer together while each still takes its real time: "+
			"the concurrency it needs, and with it the environments, cold starts and throttles, grow by up to %g, and bursts shorter than %g s of trace became sub-second. "+
			"The simulation runs the whole trace at its own speed, with the fleet's durations as written.", tr.Speed, tr.Speed, tr.Speed, tr.Speed)
	}
	var sims []*record.Target
	for _, t := range in.Targets {
		if t.Simulation != nil {
			sims = append(sims, t)
		}
	}
	for _, t := range sims {
		s := t.Simulation.Total
		row := traceRow{Target: t.Name, Color: pal.css(t.Name),
			Requests: count(s.Requests), Cold: count(s.ColdStarts), Throttled: count(s.Throttled + s.ScaleThrottled),
			Peak: count(int64(s.PeakConcurrency)), EnvH: fmt.Sprintf("%.4g", s.EnvironmentSeconds/3600)}
		row.WindowCold = count(0)
		classes := t.Classes // the replayed window is the trace phase's
		if i := tracePhase(in.Scenario); i < len(t.Phases) && t.Phases[i] != nil {
			classes = t.Phases[i].Classes
		}
		if all := classes[record.All]; all != nil {
			row.WindowRequests, row.WindowThrottled = count(all.Counts.Requests), count(all.Counts.Codes[429])
		}
		if cold := classes[record.Cold]; cold != nil {
			row.WindowCold = count(cold.Counts.Requests)
		}
		if n, ok := t.Counters.Get(lambda.KeyPeakBusy); ok {
			row.WindowPeak = count(n)
		}
		v.Rows = append(v.Rows, row)
	}
	if len(sims) > 0 {
		w := tr.Whole()
		v.Whole = fmt.Sprintf("Simulated: the whole trace, %s and %d requests, at its own speed, through each function's fleet rules (the router's own code, on a virtual clock), "+
			"each invocation lasting a latency drawn from this run's warm or cold ones. Nothing was sent: these figures are modelled from what was measured.",
			w.Length, w.Requests())
	}
	for _, name := range in.Scenario.Names() {
		res := in.Costs[name]
		if res == nil || !res.Input.Traffic.Trace {
			continue
		}
		if cv := res.View(); cv.Unpriced == "" {
			v.Months = append(v.Months, name+": "+cv.Month)
		}
	}
	if len(sims) > 0 {
		v.Unit = bucketUnit(sims[0].Simulation.Bucket)
	}
	var err error
	if v.Chart, err = traceChart(sims, tr, pal); err != nil {
		return nil, err
	}
	return v, nil
}

// tracePhase returns the index of the scenario's first trace phase, the one
// Scenario.Trace returns.
func tracePhase(sc *scenario.Scenario) int {
	for i, p := range sc.Phases {
		if p.Shape == scenario.Trace && p.Trace != nil {
			return i
		}
	}
	return len(sc.Phases)
}

// clock writes an offset into a trace as h:mm, or h:mm:ss when it has
// seconds.
func clock(d time.Duration) string {
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	if s != 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", h, m)
}

// count writes a count with its thousands grouped.
func count(n int64) string { return thousands(n) }

// traceChart draws, for each simulated target, two panels over the trace,
// bucket by bucket (an hour, a minute or a second, as the simulation
// counted): cold starts and throttles, and the peak concurrency; the
// replayed window is shaded.
func traceChart(sims []*record.Target, tr *scenario.TraceData, pal palette) (template.HTML, error) {
	if len(sims) == 0 {
		return "", nil
	}
	bucket := sims[0].Simulation.Bucket
	unit := bucketUnit(bucket)
	at := func(d time.Duration) float64 { return float64(d) / float64(bucket) }
	xmax := at(tr.Length)
	spans := []span{{From: at(tr.From), To: at(tr.To), Label: "replayed", Shade: true}}
	if tr.To < tr.Length {
		spans = append(spans, span{From: at(tr.To), To: xmax})
	}
	steps := func(vals []float64) plotter.XYs {
		var xys plotter.XYs
		for i, y := range vals {
			x := float64(i)
			xys = append(xys, plotter.XY{X: x, Y: y}, plotter.XY{X: min(x+1, xmax), Y: y})
		}
		return xys
	}
	type series struct {
		label string
		vals  []float64
		style draw.LineStyle
	}
	panelSeries := func(t *record.Target, concurrency bool) []series {
		col := pal.color(t.Name)
		var a, b []float64
		for _, bk := range t.Simulation.Buckets {
			a = append(a, float64(bk.ColdStarts))
			b = append(b, float64(bk.Throttled+bk.ScaleThrottled))
			if concurrency {
				a[len(a)-1] = float64(bk.PeakConcurrency)
			}
		}
		solid := draw.LineStyle{Color: col, Width: 1.5}
		if concurrency {
			return []series{{t.Name + " peak busy", a, solid}}
		}
		return []series{{t.Name + " cold starts", a, solid},
			{t.Name + " 429s", b, draw.LineStyle{Color: col, Width: 1.25, Dashes: []vg.Length{4, 2}}}}
	}
	var panels []panel
	for _, concurrency := range []bool{false, true} {
		p := newPlot(unit + "s of trace")
		p.Add(spanMarks(spans), plotter.NewGrid())
		pn := panel{p: p, title: map[bool]string{false: "cold starts and 429s", true: "peak concurrency"}[concurrency], color: rgb(0x222222)}
		ymax := 1.0
		for _, t := range sims {
			for _, s := range panelSeries(t, concurrency) {
				line, err := plotter.NewLine(steps(s.vals))
				if err != nil {
					return "", err
				}
				line.LineStyle = s.style
				p.Add(line)
				pn.keys = append(pn.keys, key{s.label, lineThumb(s.style)})
				for _, y := range s.vals {
					ymax = max(ymax, y)
				}
			}
		}
		p.X.Min, p.X.Max = 0, xmax
		p.Y.Min, p.Y.Max = 0, ymax*1.1
		panels = append(panels, pn)
	}
	c := chart{panels: panels, ylabel: "per " + unit + " of trace", spans: spans}
	return c.svg()
}

// bucketUnit names a simulation's bucket: hour, minute, second, or the
// duration itself.
func bucketUnit(d time.Duration) string {
	switch d {
	case time.Hour:
		return "hour"
	case time.Minute:
		return "minute"
	case time.Second:
		return "second"
	}
	return d.String()
}
