// Package compare compares two runs of coldbench percentile by percentile
// and follows the runs of a reports folder over time.
//
// Compare tells, for each target and class, whether the new run's p50, p90,
// p99 and p99.9 differ from the base run's, with a confidence interval for
// each difference, the way benchstat does for benchmarks: a difference
// whose interval includes no change is shown as "~". A Gate turns the
// comparison into a verdict for CI: it fails when a chosen percentile got
// significantly worse by more than a bound.
//
// The test is a block bootstrap over the one-second interval histograms of
// each run's histograms.hlog. Latencies within a second are not independent
// (a garbage collection, a cold start or another process on the machine
// slows many requests at once), so the resampling unit is the second, not
// the request: each resample draws as many intervals as the run has, with
// replacement, merges them and takes the percentile. The confidence
// interval of the ratio new/base comes from the ratios of independent
// resamples of the two runs (the percentile interval, widened for the
// number of intervals as Hesterberg's expanded percentile interval does, so
// that short runs are not overconfident). A percentile among the top
// MinTail values of a run, and the maximum, are shown but not tested: the
// bootstrap cannot tell how far a sample's extremes may lie.
//
// Intervals are drawn within the phase of the schedule they fall in (a
// phase of fewer than MinStratum seconds with values is pooled with its
// neighbour), so that a resample keeps the run's mix of phases, which the
// scenario fixes, rather than holding more or fewer burst seconds than the
// run did. A class of MinValues to MaxBlocks values (cold starts, which
// come in bursts a second or two long) has too few seconds for that and is
// resampled value by value, each phase's values from that phase
// (Series.ByValue).
//
// Series are matched by target name and class: the base run's small-fn/warm
// is compared with the new run's small-fn/warm, whatever the targets are
// called, how many there are and in which order they ran. A target that
// only one of the runs has is not compared; the comparison says so
// (Comparison.Targets, Notes). Series come target by target in the base
// run's order of its targets (runs.TargetOrder: the scenario's), then the
// new run's targets the base lacks, in its order; within a target, its
// classes in its kind's order (record.ClassesOf), then the same for the
// corrected view.
//
// The test sees the noise inside each run. A shift that lasts a whole run
// (the machine busy with something else the whole time) looks like a real
// difference: compare runs made on the same quiet machine. The result keeps
// the runs' measured machine speeds and other caveats next to the figures.
package compare

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
)

// Defaults of Options.
const (
	DefaultResamples  = 2000
	DefaultConfidence = 0.95
	DefaultSeed       = 1
)

// Thresholds below which a class or a percentile has too little data to
// test or to gate.
const (
	// MinIntervals is the fewest one-second intervals with values a class
	// needs in each run to be tested: the bootstrap resamples intervals.
	MinIntervals = 5
	// MinValues is the fewest values a class needs in each run to be
	// tested.
	MinValues = 20
	// MinTail is the fewest values above a percentile, in each run, for the
	// percentile to be more than the top few values; fewer and it is shown
	// with a caveat and not gated (p99.9 needs 10,000 values).
	MinTail = 10
)

// Options set up a comparison. The zero value asks for the defaults.
type Options struct {
	// Percentiles to compare, from 0 to 100 (default 50, 90, 99, 99.9).
	// The maximum is always shown, without a test.
	Percentiles []float64
	Resamples   int     // bootstrap resamples (default 2000)
	Confidence  float64 // of the intervals, from 0 to 1 (default 0.95)
	Seed        uint64  // of the resampling (default 1): same runs, same result
	// Gate is the gate to apply; the zero Gate is DefaultGate.
	Gate Gate
}

// Gate fails a comparison when, in a class with enough data, a percentile
// got significantly worse by more than a bound.
type Gate struct {
	Percentile    float64 // e.g. 99
	MaxRegression float64 // the bound, a fraction: 0.10 is 10% worse
	Off           bool    // no gate
}

// DefaultGate is p99 at most 10% worse.
func DefaultGate() Gate { return Gate{Percentile: 99, MaxRegression: 0.10} }

// String describes g: "p99 at most 10% worse".
func (g Gate) String() string {
	if g.Off {
		return "no gate"
	}
	return fmt.Sprintf("%s at most %s%% worse", PercentileName(g.Percentile), strconv.FormatFloat(100*g.MaxRegression, 'f', -1, 64))
}

// Comparison is the result of Compare.
type Comparison struct {
	Base, New   Run
	Percentiles []float64 // compared, ascending
	Resamples   int
	Confidence  float64
	Series      []*Series // by target, view and class
	// Targets lists the targets of either run, in the order of Series,
	// each saying which runs have it: only those both have are compared.
	Targets []Target
	Gate    Gate
	Verdict Verdict
	// Notes are caveats about the two runs as a whole: different
	// scenarios, machines or speeds, an interrupted run, targets that
	// only one run has.
	Notes []string
}

// Run identifies one of the runs compared.
type Run struct {
	Dir         string
	ID          string
	Scenario    string
	Runtime     string
	Machine     string
	Started     time.Time
	Interrupted bool
	// Link is the run's report page relative to wherever the comparison
	// is shown; the caller sets it, empty for none.
	Link string
}

// Series compares one class of one target: tag "<target>/<class>",
// "<target>/<class>/corrected" for the latencies measured from the time
// each request was meant to be sent, or "<target>/<class>/net" for the
// latencies less host wait (record.Series.Net). Where both runs have a
// class's net view, the gate judges it and not the others: the time a
// target waited for this machine's CPU is the noise between two runs that
// the gate must not mistake for a change.
type Series struct {
	Tag    string
	Target string
	Class  record.Class
	View   string // "", "corrected" or "net"
	Base   Sample
	New    Sample
	// Stats has one Stat per percentile compared, ascending, then the
	// maximum; their values are 0 if either run has no values.
	Stats []Stat
	// Tested reports whether the class had enough data in both runs for
	// the bootstrap; Caveats say why not, among other things.
	Tested  bool
	Caveats []string
	// ByValue says the series was resampled value by value, each phase's
	// values from that phase, rather than by one-second intervals: it has
	// from MinValues to MaxBlocks values in each run (cold starts), too
	// few for a block bootstrap, whose blocks would be the few seconds in
	// which a scenario's bursts of cold starts fall. Its intervals treat
	// the values of a phase as independent, which values measured at the
	// same moment on one machine are not quite.
	ByValue bool
}

// Sample is what a run recorded for a series.
type Sample struct {
	Intervals int   // one-second intervals with values
	Count     int64 // values (successful responses)
	// Hist is the run's histogram of the series, nil if the run has none.
	Hist *hdrhistogram.Histogram
}

// Stat compares one percentile of a series.
type Stat struct {
	Name       string  // "p50", "p99.9", "max"
	Percentile float64 // 100 for the maximum
	Base, New  int64   // µs
	// Ratio is New/Base (1 if both are 0, +Inf if only Base is).
	Ratio float64
	// Low and High bound the confidence interval of Ratio; NaN when not
	// tested.
	Low, High float64
	// Tested reports whether a confidence interval was computed: not for
	// the maximum, a percentile among the top few values (Caveat), or a
	// series with too few samples.
	Tested bool
	// Significant reports whether the interval excludes 1, no change.
	Significant bool
	// Caveat says why the figure is fragile and not tested: it is the
	// top few values of the run with fewer.
	Caveat string
}

// Delta returns the relative change from base to new: 0.25 is 25% slower.
func (s Stat) Delta() float64 { return s.Ratio - 1 }

// Change formats the change as benchstat does: "~" when it is not
// significant, "+25.0%" or "-3.1%" when it is or when it was not tested
// (the maximum, a class with too few samples; Interval is empty then).
func (s Stat) Change() string {
	if s.Tested && !s.Significant {
		return "~"
	}
	return Percent(s.Delta())
}

// Interval formats the confidence interval of the change: "-2.1% … +3.0%",
// or "" when not tested.
func (s Stat) Interval() string {
	if !s.Tested {
		return ""
	}
	return Percent(s.Low-1) + " … " + Percent(s.High-1)
}

// Worse reports whether s is a significant slow-down.
func (s Stat) Worse() bool { return s.Tested && s.Significant && s.Ratio > 1 }

// Better reports whether s is a significant speed-up.
func (s Stat) Better() bool { return s.Tested && s.Significant && s.Ratio < 1 }

// Percent formats a relative change f: +25.0%, -3.1%, +140%, +inf%.
func Percent(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "+inf%"
	case math.IsNaN(f):
		return "?"
	case math.Abs(f) >= 1:
		return fmt.Sprintf("%+.0f%%", 100*f)
	}
	s := fmt.Sprintf("%+.1f%%", 100*f)
	if s == "-0.0%" {
		s = "+0.0%"
	}
	return s
}

// PercentileName names the percentile p: p50, p99.9; p100 is "max".
func PercentileName(p float64) string {
	if p >= 100 {
		return "max"
	}
	return "p" + strconv.FormatFloat(p, 'f', -1, 64)
}

// Verdict is the outcome of the gate.
type Verdict struct {
	Failed bool
	// Failures are the gated series whose percentile got worse beyond
	// the bound, significantly.
	Failures []Failure
	// Checked lists the tags gated; Unchecked the others, each with why.
	Checked   []string
	Unchecked []string
}

// Failure is one series that failed the gate.
type Failure struct {
	Tag  string
	Stat Stat
}

// String describes f: "lambda/warm p99 +98% (95% CI +90% … +105%)".
func (f Failure) String() string {
	return fmt.Sprintf("%s %s %s (CI %s)", f.Tag, f.Stat.Name, Percent(f.Stat.Delta()), f.Stat.Interval())
}

// Summary says in a sentence how the comparison went against its gate.
func (c *Comparison) Summary() string {
	v, g := c.Verdict, c.Gate
	switch {
	case g.Off:
		return "No gate."
	case v.Failed:
		fs := make([]string, len(v.Failures))
		for i, f := range v.Failures {
			fs[i] = f.String()
		}
		return fmt.Sprintf("Gate failed (%s): %s.", g, strings.Join(fs, "; "))
	case len(v.Checked) == 0:
		return fmt.Sprintf("Gate not applied (%s): no class has enough data in both runs.", g)
	}
	return fmt.Sprintf("Gate passed (%s): %s.", g, strings.Join(v.Checked, ", "))
}

// Compare compares the run next with the run base.
func Compare(base, next *runs.Run, opts Options) (*Comparison, error) {
	if base == nil || next == nil || base.Summary == nil || next.Summary == nil {
		return nil, fmt.Errorf("compare: a run without its summary; read run folders with runs.Load")
	}
	opts, err := withDefaults(opts)
	if err != nil {
		return nil, err
	}
	c := &Comparison{
		Base: identity(base), New: identity(next),
		Percentiles: opts.Percentiles, Resamples: opts.Resamples, Confidence: opts.Confidence,
		Gate: opts.Gate, Targets: targets(base, next),
	}
	c.Notes = notes(base, next, c.Targets)
	for _, tag := range tags(base, next, c.Targets) {
		c.Series = append(c.Series, newSeries(tag, base, next))
	}
	var wg sync.WaitGroup
	for _, s := range c.Series {
		wg.Go(func() {
			bi, ni := base.Intervals[s.Tag], next.Intervals[s.Tag]
			s.compare(bi, ni, phaseOf(bi, base.Phases[s.Tag]), phaseOf(ni, next.Phases[s.Tag]), opts)
		})
	}
	wg.Wait()
	c.Verdict = opts.Gate.judge(c.Series)
	return c, nil
}

// withDefaults fills in the defaults of opts and checks it.
func withDefaults(o Options) (Options, error) {
	if len(o.Percentiles) == 0 {
		o.Percentiles = []float64{50, 90, 99, 99.9}
	}
	if o.Resamples == 0 {
		o.Resamples = DefaultResamples
	}
	if o.Confidence == 0 {
		o.Confidence = DefaultConfidence
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Gate == (Gate{}) {
		o.Gate = DefaultGate()
	}
	ps := slices.Clone(o.Percentiles)
	if !o.Gate.Off {
		ps = append(ps, o.Gate.Percentile)
	}
	slices.Sort(ps)
	o.Percentiles = slices.Compact(ps)
	for _, p := range o.Percentiles {
		if !(p > 0 && p < 100) {
			return o, fmt.Errorf("compare: percentile %v is out of range: use one above 0 and below 100 (the maximum is always shown)", p)
		}
	}
	switch {
	case o.Resamples < 100:
		return o, fmt.Errorf("compare: %d resamples are too few for a confidence interval: use at least 100 (default %d)", o.Resamples, DefaultResamples)
	case !(o.Confidence > 0 && o.Confidence < 1):
		return o, fmt.Errorf("compare: confidence %v is out of range: use one above 0 and below 1, such as 0.95", o.Confidence)
	case !o.Gate.Off && !(o.Gate.MaxRegression >= 0):
		return o, fmt.Errorf("compare: gate bound %v is negative: use 0 or more, such as 0.10 for 10%%", o.Gate.MaxRegression)
	}
	return o, nil
}

// identity returns what identifies r.
func identity(r *runs.Run) Run {
	s := r.Summary
	return Run{
		Dir: r.Dir, ID: s.RunID, Scenario: s.Scenario, Runtime: s.Runtime, Machine: s.Machine,
		Started: s.Started, Interrupted: s.Interrupted,
	}
}

// notes returns the caveats about comparing next with base as a whole,
// whose targets are ts.
func notes(base, next *runs.Run, ts []Target) []string {
	b, n := base.Summary, next.Summary
	var out []string
	if b.Scenario != n.Scenario {
		out = append(out, fmt.Sprintf("The runs are of different scenarios (%s, %s): differences may come from the traffic, not from the code.", b.Scenario, n.Scenario))
	}
	out = append(out, targetNotes(b, n, ts)...)
	if b.Machine != n.Machine {
		out = append(out, fmt.Sprintf("The runs are from different machines (%s; %s).", orNone(b.Machine), orNone(n.Machine)))
	}
	if b.WorkRate > 0 && n.WorkRate > 0 {
		if r := n.WorkRate / b.WorkRate; r < 0.95 || r > 1.05 {
			out = append(out, fmt.Sprintf("The machine's measured speed differs by %s (%.0f and %.0f work iterations per ms): part of any difference is the machine.", Percent(r-1), b.WorkRate, n.WorkRate))
		}
	}
	for _, r := range []struct {
		name string
		s    *runs.Summary
	}{{"base", b}, {"new", n}} {
		if r.s.Interrupted {
			out = append(out, fmt.Sprintf("The %s run (%s) was interrupted: it has only part of its schedule.", r.name, r.s.RunID))
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// newSeries returns the series tag of the two runs, not yet compared.
func newSeries(tag string, base, next *runs.Run) *Series {
	parts := strings.Split(tag, "/")
	s := &Series{Tag: tag, Target: parts[0], Class: record.Class(parts[1])}
	if len(parts) == 3 {
		s.View = parts[2]
	}
	sample := func(r *runs.Run) Sample {
		ivs := r.Intervals[tag]
		if len(ivs) == 0 {
			return Sample{}
		}
		h := r.Total(tag)
		n := 0
		for _, iv := range ivs {
			if iv.TotalCount() > 0 {
				n++
			}
		}
		return Sample{Intervals: n, Count: h.TotalCount(), Hist: h}
	}
	s.Base, s.New = sample(base), sample(next)
	return s
}

// compare fills in the statistics of s from the interval histograms of the
// two runs.
func (s *Series) compare(base, next []*hdrhistogram.Histogram, basePhase, nextPhase []int, o Options) {
	if s.byValue() {
		base, basePhase = eachValue(base, basePhase)
		next, nextPhase = eachValue(next, nextPhase)
		s.ByValue = true
	}
	b := newBlocks(base, next, basePhase, nextPhase)
	ps := o.Percentiles
	bq := b.quantiles(b.baseCounts, ps, nil)
	nq := b.quantiles(b.nextCounts, ps, nil)
	s.Stats = make([]Stat, 0, len(ps)+1)
	for i, p := range ps {
		s.Stats = append(s.Stats, Stat{Name: PercentileName(p), Percentile: p, Base: bq[i], New: nq[i]})
	}
	s.Stats = append(s.Stats, Stat{Name: "max", Percentile: 100, Base: b.max(b.baseCounts), New: b.max(b.nextCounts)})
	for i := range s.Stats {
		st := &s.Stats[i]
		st.Ratio, st.Low, st.High = ratio(st.New, st.Base), math.NaN(), math.NaN()
	}

	if !s.ByValue {
		s.Caveats = s.sampleCaveats()
	}
	if len(s.Caveats) > 0 {
		return
	}
	s.Tested = true
	// Percentiles among the top few values are not tested: the bootstrap
	// cannot tell how far the extremes of a sample may lie.
	n := min(s.Base.Count, s.New.Count)
	var tested []float64
	for i, p := range ps {
		if k := tail(p, n); k < MinTail {
			s.Stats[i].Caveat = fmt.Sprintf("the top %s of %d", values(k), n)
			continue
		}
		tested = append(tested, p)
	}
	if len(tested) == 0 {
		return
	}
	rs := b.ratios(tested, o.Resamples, o.Seed, s.Tag)
	for i := range tested {
		st := &s.Stats[i]
		st.Tested = true
		st.Low, st.High = interval(rs[i], o.Confidence, min(len(b.base), len(b.next)))
		st.Significant = st.Low > 1 || st.High < 1
	}
}

// tail returns how many of n values lie at or above percentile p, at least 1.
func tail(p float64, n int64) int64 {
	return max(1, int64(math.Ceil(float64(n)*(1-p/100)-1e-9)))
}

func values(k int64) string {
	if k == 1 {
		return "value"
	}
	return strconv.FormatInt(k, 10) + " values"
}

// byValue reports whether s is to be resampled value by value: both runs
// have from MinValues to MaxBlocks values. However many seconds such a
// class's values fall in, a block bootstrap of them resamples a handful of
// bursts (the default scenario's cold starts fall in four to six seconds,
// ten at a time), each burst's values alike and unlike the other bursts';
// with so few blocks the interval is widened most (see interval), and the
// pooling of phases into strata of MinStratum blocks lets a resample draw
// the burst of one phase twice and that of another not at all, a mix the
// scenario fixes. (A rule by the number of seconds would switch methods,
// and the interval's width two- to threefold, for one second more.)
func (s *Series) byValue() bool {
	ok := func(x Sample) bool { return x.Count >= MinValues && x.Count <= MaxBlocks }
	return ok(s.Base) && ok(s.New)
}

// eachValue returns one histogram per value of the intervals ivs, the
// blocks of a bootstrap by value, and the phase of each (that of its
// interval, from phase), so that the values are resampled within their
// phase; nil phases if phase is nil.
func eachValue(ivs []*hdrhistogram.Histogram, phase []int) ([]*hdrhistogram.Histogram, []int) {
	var out []*hdrhistogram.Histogram
	var phases []int
	for i, h := range ivs {
		for _, bar := range h.Distribution() {
			for range bar.Count {
				one := hdrhistogram.New(h.LowestTrackableValue(), h.HighestTrackableValue(), int(h.SignificantFigures()))
				one.RecordValue(bar.To)
				out = append(out, one)
				if phase != nil {
					phases = append(phases, phase[i])
				}
			}
		}
	}
	return out, phases
}

// sampleCaveats says why s cannot be tested, if it cannot.
func (s *Series) sampleCaveats() []string {
	var out []string
	for _, r := range []struct {
		name string
		s    Sample
	}{{"base", s.Base}, {"new", s.New}} {
		switch {
		case r.s.Count == 0:
			out = append(out, fmt.Sprintf("no %s values in the %s run", s.Tag, r.name))
		case r.s.Count < MinValues:
			out = append(out, fmt.Sprintf("too few samples: %d values in the %s run, %d needed", r.s.Count, r.name, MinValues))
		case r.s.Intervals < MinIntervals:
			out = append(out, fmt.Sprintf("too few samples: values in %d one-second intervals of the %s run, %d needed", r.s.Intervals, r.name, MinIntervals))
		}
	}
	return out
}

// judge applies g to the series.
func (g Gate) judge(series []*Series) Verdict {
	var v Verdict
	if g.Off {
		return v
	}
	net := map[string]bool{} // "<target>/<class>" gated by its net view
	for _, s := range series {
		if s.View == "net" && s.Tested {
			net[s.Target+"/"+string(s.Class)] = true
		}
	}
	for _, s := range series {
		i := slices.IndexFunc(s.Stats, func(st Stat) bool { return st.Percentile == g.Percentile })
		switch {
		case i < 0:
			continue
		case s.View != "net" && net[s.Target+"/"+string(s.Class)]:
			v.Unchecked = append(v.Unchecked, s.Tag+": gated less host wait, as "+s.Target+"/"+string(s.Class)+"/net")
			continue
		case !s.Tested:
			v.Unchecked = append(v.Unchecked, s.Tag+": "+strings.Join(s.Caveats, "; "))
			continue
		case s.Stats[i].Caveat != "":
			v.Unchecked = append(v.Unchecked, s.Tag+": "+s.Stats[i].Caveat)
			continue
		}
		v.Checked = append(v.Checked, s.Tag)
		if st := s.Stats[i]; st.Worse() && st.Delta() > g.MaxRegression {
			v.Failed = true
			v.Failures = append(v.Failures, Failure{Tag: s.Tag, Stat: st})
		}
	}
	return v
}
