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
		if t.Platform != nil {
			row.WindowPeak = count(int64(t.Platform.PeakBusy))
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
		switch {
		case res.Lambda != nil && res.Lambda.Unpriced == "":
			v.Months = append(v.Months, fmt.Sprintf("%s: %s a month, %s per million requests: the whole trace's simulated bill × %s", name, dollars(res.Lambda.Monthly.Value), dollars(res.Lambda.PerMillion.Value), sig(res.Input.Traffic.Repeats())))
		case res.Server != nil:
			v.Months = append(v.Months, fmt.Sprintf("%s: %s a month on %g × %s, the instances the trace's peak of %.3g requests/s needs", name, dollars(res.Server.Monthly.Value), res.Server.Instances.Value, res.Server.Instance, res.Input.Traffic.PeakRate))
		}
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

// traceChart draws, for each simulated target, two panels over the hours
// of the trace: cold starts and throttles per bucket, and the peak
// concurrency; the replayed window is marked.
func traceChart(sims []*record.Target, tr *scenario.TraceData, pal palette) (template.HTML, error) {
	if len(sims) == 0 {
		return "", nil
	}
	bucketH := sims[0].Simulation.Bucket.Hours()
	xmax := tr.Length.Hours()
	spans := []span{{From: tr.From.Hours(), To: tr.To.Hours(), Label: "replayed", Shade: true}}
	if tr.To < tr.Length {
		spans = append(spans, span{From: tr.To.Hours(), To: xmax})
	}
	steps := func(vals []float64) plotter.XYs {
		var xys plotter.XYs
		for i, y := range vals {
			x := float64(i) * bucketH
			xys = append(xys, plotter.XY{X: x, Y: y}, plotter.XY{X: min(x+bucketH, xmax), Y: y})
		}
		return xys
	}
	var panels []panel
	for _, what := range []string{"cold starts and 429s", "peak concurrency"} {
		p := newPlot("hours of trace")
		p.Add(spanMarks(spans), plotter.NewGrid())
		pn := panel{p: p, title: what, color: rgb(0x222222)}
		ymax := 1.0
		for _, t := range sims {
			col := pal.color(t.Name)
			var a, b []float64
			for _, bk := range t.Simulation.Buckets {
				if what == "peak concurrency" {
					a = append(a, float64(bk.PeakConcurrency))
				} else {
					a, b = append(a, float64(bk.ColdStarts)), append(b, float64(bk.Throttled+bk.ScaleThrottled))
				}
			}
			series := []struct {
				label string
				vals  []float64
				style draw.LineStyle
			}{{t.Name + map[bool]string{true: " peak busy", false: " cold starts"}[what == "peak concurrency"], a, draw.LineStyle{Color: col, Width: 1.5}}}
			if b != nil {
				series = append(series, struct {
					label string
					vals  []float64
					style draw.LineStyle
				}{t.Name + " 429s", b, draw.LineStyle{Color: col, Width: 1.25, Dashes: []vg.Length{4, 2}}})
			}
			for _, s := range series {
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
	per := "per " + sims[0].Simulation.Bucket.String() + " of trace"
	if sims[0].Simulation.Bucket == time.Hour {
		per = "per hour of trace"
	}
	c := chart{panels: panels, ylabel: per, spans: spans}
	return c.svg()
}
