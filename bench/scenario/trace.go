package scenario

import (
	"fmt"
	"math"
	"time"

	"gopkg.in/yaml.v3"
)

// TraceFormat is how a trace file writes its requests.
type TraceFormat string

// The formats of a trace file; see docs/scenarios.md, "Trace replay".
const (
	// TraceCSV is a header time,requests, minute,requests or
	// second,requests and one row per interval: its index from 0 (or, with
	// time, its start as RFC 3339 or Unix seconds) and its request count.
	TraceCSV TraceFormat = "csv"
	// TraceTimestamps is one request per line at an RFC 3339 or
	// Unix-seconds instant, relative to the earliest.
	TraceTimestamps TraceFormat = "timestamps"
	// TraceAzure is the Azure Functions 2019 invocations file:
	// HashOwner,HashApp,HashFunction,Trigger,1,...,1440, one day of
	// per-minute counts per function.
	TraceAzure TraceFormat = "azure"
)

// Spacing is how a trace phase spreads an interval's requests within it.
type Spacing string

// The spacings of a trace phase.
const (
	Even    Spacing = "even"    // request j of c at j/c of the interval
	Poisson Spacing = "poisson" // uniformly at random (seeded), as Poisson arrivals given their count
)

// maxTraceRequests bounds the requests of one trace phase's window: the
// attack holds each one's due time (8 bytes).
const maxTraceRequests = 10_000_000

// TraceData is a trace phase's recorded traffic, read from its file when the
// scenario is parsed and cut to the phase's window. Times in it are trace
// time; the run replays them Speed times faster.
type TraceData struct {
	File     string      // as the scenario names it, for messages
	Format   TraceFormat //
	Function string      // azure: the row's HashFunction
	// Interval is the trace time of one count (csv, azure); 0 for
	// timestamps.
	Interval time.Duration
	// Counts are the requests of each interval of the window, in order
	// (csv, azure).
	Counts []int
	// Offsets are the requests' instants from the window's start, sorted
	// (timestamps).
	Offsets []time.Duration
	Spacing Spacing
	Seed    uint64
	// From and To are the window, from the trace's start; Length is the
	// whole trace's.
	From, To time.Duration
	Length   time.Duration
	Speed    float64 // trace seconds per second of run

	// allCounts and allOffsets are the whole trace's, for Whole.
	allCounts  []int
	allOffsets []time.Duration
}

// Whole returns the whole trace the window was cut from, at its own speed
// (1): what a simulation of the whole trace replays.
func (t *TraceData) Whole() *TraceData {
	w := *t
	w.From, w.To, w.Speed = 0, t.Length, 1
	w.Counts, w.Offsets = t.allCounts, t.allOffsets
	return &w
}

// Requests returns how many requests the window holds.
func (t *TraceData) Requests() int {
	if t.Interval == 0 {
		return len(t.Offsets)
	}
	n := 0
	for _, c := range t.Counts {
		n += c
	}
	return n
}

// PeakRate returns the window's highest rate in requests per second of
// run: the busiest interval's (for timestamps, the busiest whole second
// of trace time's) count per second, times Speed.
func (t *TraceData) PeakRate() float64 {
	iv, counts := t.Interval, t.Counts
	if iv == 0 {
		iv = time.Second
		counts = nil
		for _, o := range t.Offsets {
			i := int(o / time.Second)
			for len(counts) <= i {
				counts = append(counts, 0)
			}
			counts[i]++
		}
	}
	peak := 0
	for _, c := range counts {
		peak = max(peak, c)
	}
	return float64(peak) / iv.Seconds() * t.Speed
}

// RunDuration returns the window's length in run time, its trace time
// divided by Speed.
func (t *TraceData) RunDuration() time.Duration {
	return time.Duration(math.Round(float64(t.To-t.From) / t.Speed))
}

// traceOnly returns the keys only a trace phase takes; its from and to
// are a ramp's keys too.
func traceOnly() []string {
	return []string{"file", "format", "function", "rank", "interval", "spacing", "seed", "speed"}
}

// trace reads the fields of trace phase where (f its fields, n the phase)
// and the trace file they name.
func (p *Parser) trace(n *yaml.Node, f map[string]Field, where string) *TraceData {
	t := &TraceData{Spacing: Even, Seed: 1, Speed: 1}
	if e := f["format"].Value; e != nil {
		if s, ok := p.Str(e, where+": format"); ok {
			switch TraceFormat(s) {
			case TraceCSV, TraceTimestamps, TraceAzure:
				t.Format = TraceFormat(s)
			default:
				p.Errorf(e, "%s: unknown trace format %q%s", where, s,
					DidYouMean(s, "use csv, timestamps or azure", string(TraceCSV), string(TraceTimestamps), string(TraceAzure)))
			}
		}
	}
	if e := f["spacing"].Value; e != nil {
		if s, ok := p.Str(e, where+": spacing"); ok {
			switch Spacing(s) {
			case Even, Poisson:
				t.Spacing = Spacing(s)
			default:
				p.Errorf(e, "%s: unknown spacing %q%s", where, s, DidYouMean(s, "use even or poisson", string(Even), string(Poisson)))
			}
		}
	}
	if e := f["seed"].Value; e != nil {
		if k, ok := p.Integer(e, where+": seed"); ok && k < 0 {
			p.Errorf(e, "%s: seed must be 0 or more, not %d", where, k)
		} else if ok {
			t.Seed = uint64(k)
		}
	}
	if e := f["speed"].Value; e != nil {
		if x, ok := p.Number(e, where+": speed"); ok && !(x > 0 && x <= 1e6) {
			p.Errorf(e, "%s: speed is trace seconds per second of run, more than 0 and at most 1e6, not %s", where, Resolve(e).Value)
		} else if ok {
			t.Speed = x
		}
	}
	if e := f["interval"].Value; e != nil {
		if t.Format != TraceCSV && t.Format != "" {
			p.Errorf(f["interval"].Key, "%s: interval is for format csv; format %s sets its own", where, t.Format)
		} else if d, ok := p.Duration(e, where+": interval"); ok && d != time.Second && d != time.Minute {
			p.Errorf(e, "%s: interval must be 1s or 1m, not %s", where, Resolve(e).Value)
		} else if ok {
			t.Interval = d
		}
	}
	for _, k := range []string{"function", "rank"} {
		if fk, given := f[k]; given && t.Format != TraceAzure && t.Format != "" {
			p.Errorf(fk.Key, "%s: %s chooses a row of format azure, not of %s; remove it", where, k, t.Format)
		}
	}
	if f["function"].Value != nil && f["rank"].Value != nil {
		p.Errorf(f["rank"].Key, "%s: give function or rank, not both", where)
	}
	var window [2]*yaml.Node
	var bounds [2]time.Duration
	for i, k := range []string{"from", "to"} {
		if e := f[k].Value; e != nil {
			window[i] = e
			if d, ok := p.Duration(e, where+": "+k); ok && d < 0 {
				p.Errorf(e, "%s: %s is a duration from the trace's start, 0 or more, not %s", where, k, Resolve(e).Value)
			} else if ok {
				bounds[i] = d
			}
		}
	}
	fe := f["file"].Value
	if fe == nil || t.Format == "" {
		return nil // missing file or format, or a bad format: reported
	}
	t.File, _ = p.Str(fe, where+": file")
	path := p.File(fe, where+": file")
	if path == "" {
		return nil
	}
	r := traceReader{t: t, path: path}
	switch t.Format {
	case TraceCSV:
		r.csv()
	case TraceTimestamps:
		r.timestamps()
	case TraceAzure:
		r.azure(p, f, where)
	}
	if r.err != "" {
		p.Errorf(fe, "%s: %s", where, r.err)
		return nil
	}
	return p.cut(t, r.counts, r.offsets, window, bounds, where, n)
}

// cut keeps the window [from, to) of the trace read (counts per interval,
// or offsets) in t, and checks the window and its size.
func (p *Parser) cut(t *TraceData, counts []int, offsets []time.Duration, window [2]*yaml.Node, bounds [2]time.Duration, where string, n *yaml.Node) *TraceData {
	var length time.Duration
	if t.Interval > 0 {
		length = time.Duration(len(counts)) * t.Interval
	} else if len(offsets) > 0 {
		length = offsets[len(offsets)-1].Truncate(time.Second) + time.Second
	}
	t.From, t.To, t.Length = bounds[0], length, length
	t.allCounts, t.allOffsets = counts, offsets
	if window[1] != nil {
		t.To = bounds[1]
	}
	for i, e := range window {
		if e == nil {
			continue
		}
		b := [2]time.Duration{t.From, t.To}[i]
		k := [2]string{"from", "to"}[i]
		switch {
		case t.Interval > 0 && b%t.Interval != 0:
			p.Errorf(e, "%s: %s must be a whole number of the trace's intervals (%s), not %s", where, k, t.Interval, Resolve(e).Value)
			return nil
		case b > length:
			p.Errorf(e, "%s: %s is past the trace's end (%s), not %s", where, k, length, Resolve(e).Value)
			return nil
		}
	}
	if t.To <= t.From {
		p.Errorf(n, "%s: the window is empty: from %s to %s; to must be after from", where, t.From, t.To)
		return nil
	}
	if t.Interval > 0 {
		t.Counts = counts[t.From/t.Interval : t.To/t.Interval]
	} else {
		for _, o := range offsets {
			if o >= t.From && o < t.To {
				t.Offsets = append(t.Offsets, o-t.From)
			}
		}
	}
	if k := t.Requests(); k > maxTraceRequests {
		p.Errorf(n, "%s: the window holds %d requests, more than %d; replay a shorter window with from and to", where, k, maxTraceRequests)
		return nil
	}
	if t.RunDuration() <= 0 {
		p.Errorf(n, "%s: the window of %s at speed %g lasts no time; lower speed", where, t.To-t.From, t.Speed)
		return nil
	}
	return t
}

// Trace returns the trace of the scenario's first trace phase, or nil when
// it has none.
func (s *Scenario) Trace() *TraceData {
	for _, p := range s.Phases {
		if p.Shape == Trace && p.Trace != nil {
			return p.Trace
		}
	}
	return nil
}

// Speed returns the speed of the scenario's trace phases (all share one),
// or 1 when it has none: the factor by which run time is compressed.
func (s *Scenario) Speed() float64 {
	for _, p := range s.Phases {
		if p.Trace != nil {
			return p.Trace.Speed
		}
	}
	return 1
}

// checkSpeeds reports trace phases whose speed differs from the first's,
// and sets every target's Speed when the speed is not 1.
func (p *Parser) checkSpeeds(s *Scenario, nodes []*yaml.Node) {
	var first *Phase
	for i := range s.Phases {
		ph := &s.Phases[i]
		if ph.Trace == nil {
			continue
		}
		if first == nil {
			first = ph
		} else if ph.Trace.Speed != first.Trace.Speed {
			p.Errorf(nodes[i], "phase %q: speed %g differs from phase %q's (%g) at line %d; the function's durations are divided by one speed, so give every trace phase the same",
				ph.Name, ph.Trace.Speed, first.Name, first.Trace.Speed, first.Line)
		}
	}
	if v := s.Speed(); v != 1 {
		for i := range s.Targets {
			s.Targets[i].Speed = v
		}
	}
}

// traceDuration checks a trace phase's duration: the window's run length,
// which a duration given must equal.
func (p *Parser) traceDuration(ph *Phase, given *yaml.Node, where string) {
	if ph.Trace == nil {
		return
	}
	d := ph.Trace.RunDuration()
	if given != nil && ph.Duration != 0 && ph.Duration != d {
		p.Errorf(given, "%s: duration %s does not match the window: %s of trace at speed %g lasts %s; remove duration or make it %s",
			where, Resolve(given).Value, ph.Trace.To-ph.Trace.From, ph.Trace.Speed, d, d)
	}
	ph.Duration = d
}

// String describes t in a few words, for messages and the report.
func (t *TraceData) String() string {
	s := fmt.Sprintf("trace %s (%s) from %s to %s", t.File, t.Format, t.From, t.To)
	if t.Speed != 1 {
		s += fmt.Sprintf(" at speed %g", t.Speed)
	}
	return s
}
