package compare

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
)

// shape describes a synthetic run: how many one-second intervals, how
// many values in each, and a factor applied to every value.
type shape struct {
	seed      uint64
	intervals int
	perSecond int
	scale     float64
	colds     int     // cold starts in all, spread over the first intervals
	drift     float64 // spread of the intervals' own factor, log-normal
	hiccups   float64 // share of intervals slowed by up to 3 times
	// phased splits the intervals into four phases of unequal latency,
	// slowed 1, 4, 1 and 8 times, stamped in Phases as phases.hlog is.
	phased bool
}

// phaseSlowdown is the slowdown of each phase of a phased shape.
var phaseSlowdown = [4]float64{1, 4, 1, 8}

// synthRun returns a run whose intervals hold latencies drawn from the same
// distribution for every seed: log-normal around 2 ms (1 ms for the
// server) times a factor of each interval, log-normal of spread drift, and
// some intervals slowed by a hiccup, as a garbage collection or a busy
// machine would.
func synthRun(id string, sh shape) *runs.Run {
	rng := rand.New(rand.NewPCG(sh.seed, 7))
	began := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	iv := map[string][]*hdrhistogram.Histogram{}
	add := func(tag string, at int, values []int64) {
		if len(values) == 0 {
			return
		}
		h := record.NewHistogram()
		for _, v := range values {
			h.RecordValue(v)
		}
		h.SetTag(tag)
		h.SetStartTimeMs(began.Add(time.Duration(at) * time.Second).UnixMilli())
		h.SetEndTimeMs(began.Add(time.Duration(at+1) * time.Second).UnixMilli())
		iv[tag] = append(iv[tag], h)
	}
	value := func(hiccup float64) int64 {
		return int64(sh.scale * hiccup * 2000 * math.Exp(0.3*rng.NormFloat64()))
	}
	colds := 0
	phases := map[string][]*hdrhistogram.Histogram{}
	phase := func(i int) int { return i * len(phaseSlowdown) / sh.intervals }
	for i := range sh.intervals {
		hiccup := math.Exp(sh.drift * rng.NormFloat64())
		if sh.phased {
			hiccup *= phaseSlowdown[phase(i)]
			if i == 0 || phase(i) != phase(i-1) {
				h := record.NewHistogram()
				h.SetTag("server/all")
				h.SetStartTimeMs(began.Add(time.Duration(i) * time.Second).UnixMilli())
				phases["server/all"] = append(phases["server/all"], h)
			}
		}
		if rng.Float64() < sh.hiccups {
			hiccup *= 1 + 2*rng.Float64()
		}
		var server, warm, cold []int64
		for range sh.perSecond {
			server = append(server, value(hiccup)/2)
			warm = append(warm, value(hiccup))
		}
		for colds < sh.colds && len(cold) < max(1, sh.colds/sh.intervals+1) {
			cold = append(cold, int64(sh.scale*(50_000+float64(rng.IntN(20_000)))))
			colds++
		}
		add("server/all", i, server)
		add("lambda/warm", i, warm)
		add("lambda/cold", i, cold)
		add("lambda/all", i, append(append([]int64(nil), warm...), cold...))
		// Tags that are not request latencies are left out of a comparison.
		add("lambda/platform", i, cold)
	}
	return &runs.Run{
		Dir: "reports/" + id,
		Summary: &runs.Summary{
			RunID: id, Scenario: "synthetic", Started: began, Runtime: "process",
			Machine: "linux/amd64, 2 CPUs", WorkRate: 1000,
		},
		Intervals: iv,
		Phases:    phases,
		Targets:   []string{"server", "lambda"}, // in the order a run of them has them
	}
}

func compareRuns(t *testing.T, base, next *runs.Run, o Options) *Comparison {
	t.Helper()
	c, err := Compare(base, next, o)
	if err != nil {
		t.Fatalf("Compare: %v", err)
	}
	return c
}

func series(t *testing.T, c *Comparison, tag string) *Series {
	t.Helper()
	for _, s := range c.Series {
		if s.Tag == tag {
			return s
		}
	}
	t.Fatalf("no series %s in %v", tag, c.Series)
	return nil
}

// TestSameDistribution compares two runs of the same distribution: every
// change should be "~". (Each test is wrong 5% of the time by design;
// these seeds are one draw, TestCalibration checks the rate.)
func TestSameDistribution(t *testing.T) {
	for _, seeds := range [][2]uint64{{1, 2}} {
		base := synthRun("a", shape{seed: seeds[0], intervals: 30, perSecond: 300, scale: 1, colds: 40, drift: 0.05})
		next := synthRun("b", shape{seed: seeds[1], intervals: 30, perSecond: 300, scale: 1, colds: 40, drift: 0.05})
		c := compareRuns(t, base, next, Options{})
		for _, s := range c.Series {
			if !s.Tested && s.Tag != "lambda/cold" {
				t.Errorf("seeds %v: %s not tested: %v", seeds, s.Tag, s.Caveats)
			}
			for _, st := range s.Stats {
				if st.Significant {
					t.Errorf("seeds %v: %s %s: %s (CI %s), want ~ for runs of the same distribution",
						seeds, s.Tag, st.Name, st.Change(), st.Interval())
				}
			}
		}
		if c.Verdict.Failed {
			t.Errorf("seeds %v: gate failed: %s", seeds, c.Summary())
		}
	}
}

// TestCalibration checks that runs of the same distribution differ
// significantly about as often as the confidence level says, 5% of the
// time, with noise in every interval and with rare hiccups.
func TestCalibration(t *testing.T) {
	if testing.Short() {
		t.Skip("compares 120 pairs of runs")
	}
	for _, sh := range []shape{
		{intervals: 20, perSecond: 200, scale: 1, drift: 0.1},
		{intervals: 30, perSecond: 200, scale: 1, drift: 0.02, hiccups: 0.1},
		{intervals: 36, perSecond: 200, scale: 1, drift: 0.1, phased: true},
	} {
		const pairs = 60
		significant := map[string]int{}
		for i := range pairs {
			sh.seed = uint64(1000 + 2*i)
			base := synthRun("a", sh)
			sh.seed++
			next := synthRun("b", sh)
			for _, r := range []*runs.Run{base, next} {
				r.Intervals = map[string][]*hdrhistogram.Histogram{"server/all": r.Intervals["server/all"]}
				r.Phases = map[string][]*hdrhistogram.Histogram{"server/all": r.Phases["server/all"]}
			}
			for _, st := range compareRuns(t, base, next, Options{Resamples: 1000}).Series[0].Stats {
				if st.Significant {
					significant[st.Name]++
				}
			}
		}
		// At 5%, 9 or more of 60 happen once in a thousand.
		for name, n := range significant {
			if n >= 9 {
				t.Errorf("%+v: %s significant in %d of %d pairs of runs of the same distribution, want about 5%%", sh, name, n, pairs)
			}
		}
		t.Logf("%+v: significant in %v of %d pairs", sh, significant, pairs)
	}
}

func TestDoubled(t *testing.T) {
	// The same values, doubled.
	base := synthRun("a", shape{seed: 1, intervals: 30, perSecond: 400, scale: 1, colds: 40, drift: 0.05, hiccups: 0.05})
	next := synthRun("b", shape{seed: 1, intervals: 30, perSecond: 400, scale: 2, colds: 40, drift: 0.05, hiccups: 0.05})
	c := compareRuns(t, base, next, Options{})
	for _, tag := range []string{"server/all", "lambda/all", "lambda/warm"} {
		s := series(t, c, tag)
		for _, st := range s.Stats[:len(s.Stats)-1] {
			if !st.Worse() || st.Ratio < 1.99 || st.Ratio > 2.01 {
				t.Errorf("%s %s: %s (ratio %.2f, CI %s), want a significant doubling", tag, st.Name, st.Change(), st.Ratio, st.Interval())
			}
			if !(st.Low <= st.Ratio && st.Ratio <= st.High) {
				t.Errorf("%s %s: ratio %.3f outside its interval [%.3f, %.3f]", tag, st.Name, st.Ratio, st.Low, st.High)
			}
		}
	}
	if !c.Verdict.Failed || len(c.Verdict.Failures) < 3 {
		t.Fatalf("verdict %+v, want the gate failed by server/all, lambda/all and lambda/warm", c.Verdict)
	}
	if sum := c.Summary(); !strings.Contains(sum, "Gate failed (p99 at most 10% worse): server/all p99 +") {
		t.Errorf("summary %q", sum)
	}

	// Faster is significant too, and passes the gate.
	c = compareRuns(t, next, base, Options{})
	if st := series(t, c, "server/all").Stats[0]; !st.Better() {
		t.Errorf("halved p50: %s, want a significant improvement", st.Change())
	}
	if c.Verdict.Failed {
		t.Errorf("gate failed on an improvement: %s", c.Summary())
	}

	// A bound above the regression passes.
	c = compareRuns(t, base, next, Options{Gate: Gate{Percentile: 99, MaxRegression: 1.5}})
	if c.Verdict.Failed {
		t.Errorf("gate with a 150%% bound failed: %s", c.Summary())
	}
}

func TestFewSamples(t *testing.T) {
	base := synthRun("a", shape{seed: 1, intervals: 3, perSecond: 300, scale: 1, colds: 3})
	next := synthRun("b", shape{seed: 2, intervals: 3, perSecond: 300, scale: 2, colds: 3})
	c := compareRuns(t, base, next, Options{})
	for _, s := range c.Series {
		if s.Tested || len(s.Caveats) == 0 || !strings.Contains(s.Caveats[0], "too few samples") {
			t.Errorf("%s: tested %v, caveats %q; want too few samples", s.Tag, s.Tested, s.Caveats)
		}
		for _, st := range s.Stats {
			if st.Significant || st.Change() == "~" {
				t.Errorf("%s %s: %q, want an untested change", s.Tag, st.Name, st.Change())
			}
		}
	}
	if c.Verdict.Failed || len(c.Verdict.Checked) != 0 || len(c.Verdict.Unchecked) != 4 {
		t.Errorf("verdict %+v, want nothing checked", c.Verdict)
	}
	if sum := c.Summary(); !strings.Contains(sum, "Gate not applied") {
		t.Errorf("summary %q", sum)
	}

	// 30 × 50 = 1,500 values: p99.9 is the top 2, p99 the top 15.
	base = synthRun("a", shape{seed: 1, intervals: 30, perSecond: 50, scale: 1})
	next = synthRun("b", shape{seed: 2, intervals: 30, perSecond: 50, scale: 1})
	s := series(t, compareRuns(t, base, next, Options{}), "server/all")
	for _, st := range s.Stats {
		want := ""
		switch st.Name {
		case "p99.9":
			want = "the top 2 values of 1500"
		case "max":
			continue
		}
		if st.Caveat != want || st.Tested != (want == "") {
			t.Errorf("%s caveat %q, tested %v; want %q", st.Name, st.Caveat, st.Tested, want)
		}
	}
}

// TestPointEstimates checks that the figures compared are those of the
// runs' merged histograms, the ones summary.json and the report show.
func TestPointEstimates(t *testing.T) {
	base := synthRun("a", shape{seed: 1, intervals: 20, perSecond: 200, scale: 1, colds: 30})
	next := synthRun("b", shape{seed: 2, intervals: 20, perSecond: 200, scale: 1.3, colds: 30})
	c := compareRuns(t, base, next, Options{Percentiles: []float64{10, 50, 99.99}})
	for _, s := range c.Series {
		for _, st := range s.Stats {
			for _, r := range []struct {
				run *runs.Run
				got int64
			}{{base, st.Base}, {next, st.New}} {
				h := r.run.Total(s.Tag)
				want := h.ValueAtQuantile(st.Percentile)
				if st.Name == "max" {
					want = h.Max()
				}
				if r.got != want {
					t.Errorf("%s %s = %d, want %d as HdrHistogram computes it", s.Tag, st.Name, r.got, want)
				}
			}
		}
	}
	// The gate's percentile is compared even when not asked for.
	if got := len(c.Percentiles); got != 4 {
		t.Errorf("percentiles %v, want 10, 50, 99, 99.99", c.Percentiles)
	}
}

func TestDeterministic(t *testing.T) {
	base := synthRun("a", shape{seed: 1, intervals: 20, perSecond: 100, scale: 1, colds: 30})
	next := synthRun("b", shape{seed: 2, intervals: 20, perSecond: 100, scale: 1.05, colds: 30})
	var out [2]bytes.Buffer
	for i := range out {
		if err := WriteText(&out[i], compareRuns(t, base, next, Options{}), Text); err != nil {
			t.Fatal(err)
		}
	}
	if out[0].String() != out[1].String() {
		t.Errorf("two comparisons of the same runs differ:\n%s\n%s", out[0].String(), out[1].String())
	}
}

func TestTags(t *testing.T) {
	h := func() []*hdrhistogram.Histogram { return []*hdrhistogram.Histogram{record.NewHistogram()} }
	base := &runs.Run{Intervals: map[string][]*hdrhistogram.Histogram{
		"lambda/warm": h(), "lambda/all": h(), "server/all": h(), "lambda/cold": h(),
		"lambda/queue": h(), "lambda/init": h(), "lambda/provisioned": h(),
		"server/all/corrected": h(), "server/all/other": h(), "other/all": h(), "odd": h(),
	}}
	next := &runs.Run{Intervals: map[string][]*hdrhistogram.Histogram{
		"lambda/all": h(), "server/all": h(), "lambda/cold": h(), "server/all/corrected": h(),
	}}
	base.Summary, next.Summary = &runs.Summary{}, &runs.Summary{}
	got := strings.Join(tags(base, next, targets(base, next)), " ")
	// By target (the runs' order: by name, for runs not read from a
	// folder), view and class; other is in the base run only.
	want := "lambda/all lambda/cold lambda/warm server/all server/all/corrected"
	if got != want {
		t.Errorf("tags = %q, want %q", got, want)
	}
}

func TestMissingClass(t *testing.T) {
	base := synthRun("a", shape{seed: 1, intervals: 20, perSecond: 100, scale: 1, colds: 30})
	next := synthRun("b", shape{seed: 2, intervals: 20, perSecond: 100, scale: 1})
	s := series(t, compareRuns(t, base, next, Options{}), "lambda/cold")
	if s.Tested || len(s.Caveats) != 1 || s.Caveats[0] != "no lambda/cold values in the new run" {
		t.Errorf("caveats %q", s.Caveats)
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, compareRuns(t, base, next, Options{}), Markdown); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "| lambda/cold | 30 → 0 | p50 |") {
		t.Errorf("markdown:\n%s", buf.String())
	}
}

func TestOptions(t *testing.T) {
	base := synthRun("a", shape{seed: 1, intervals: 5, perSecond: 10, scale: 1})
	for _, o := range []Options{
		{Percentiles: []float64{100}},
		{Percentiles: []float64{0}},
		{Resamples: 10},
		{Confidence: 1.5},
		{Gate: Gate{Percentile: 99, MaxRegression: -1}},
	} {
		if _, err := Compare(base, base, o); err == nil {
			t.Errorf("Compare with %+v: no error", o)
		}
	}
	if _, err := Compare(base, &runs.Run{}, Options{}); err == nil {
		t.Error("Compare with a run without summary: no error")
	}
	c := compareRuns(t, base, base, Options{Gate: Gate{Off: true}})
	if c.Summary() != "No gate." || len(c.Verdict.Checked) != 0 {
		t.Errorf("gate off: %q %+v", c.Summary(), c.Verdict)
	}
}

func TestNotes(t *testing.T) {
	base := synthRun("a", shape{seed: 1, intervals: 5, perSecond: 10, scale: 1})
	next := synthRun("b", shape{seed: 1, intervals: 5, perSecond: 10, scale: 1})
	next.Summary.Scenario, next.Summary.Runtime, next.Summary.WorkRate, next.Summary.Interrupted = "other", "container", 800, true
	c := compareRuns(t, base, next, Options{})
	got := strings.Join(c.Notes, "\n")
	for _, want := range []string{"different scenarios (synthetic, other)", "ran differently (process, container)", "speed differs by -20.0%", "The new run (b) was interrupted"} {
		if !strings.Contains(got, want) {
			t.Errorf("notes lack %q:\n%s", want, got)
		}
	}
}

func TestFormatting(t *testing.T) {
	for f, want := range map[float64]string{0.25: "+25.0%", -0.031: "-3.1%", 1.4: "+140%", -0.0001: "+0.0%", math.Inf(1): "+inf%"} {
		if got := Percent(f); got != want {
			t.Errorf("Percent(%v) = %q, want %q", f, got, want)
		}
	}
	for p, want := range map[float64]string{50: "p50", 99.9: "p99.9", 100: "max"} {
		if got := PercentileName(p); got != want {
			t.Errorf("PercentileName(%v) = %q, want %q", p, got, want)
		}
	}
	for us, want := range map[int64]string{0: "0", 12: "0.012", 1999: "2.00", 84_200: "84.2", 1_234_567: "1235"} {
		if got := Millis(us); got != want {
			t.Errorf("Millis(%d) = %q, want %q", us, got, want)
		}
	}
}

func TestInterval(t *testing.T) {
	rs := make([]float64, 1000)
	for i := range rs {
		rs[i] = float64(i)
	}
	if lo, hi := interval(rs, 0.95, 0); lo != 25 || hi != 974 {
		t.Errorf("interval = %v, %v, want 25, 974", lo, hi)
	}
	// Expanded for 10 blocks: Φ(−√(10/9)·2.262) = 0.0086.
	if lo, hi := interval(rs, 0.95, 10); lo != 8 || hi != 991 {
		t.Errorf("interval of 10 blocks = %v, %v, want 8, 991", lo, hi)
	}
	if lo, hi := interval(nil, 0.95, 10); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("interval of nothing = %v, %v", lo, hi)
	}
}

func TestTQuantile(t *testing.T) {
	// From tables of Student's t distribution.
	for _, tc := range []struct {
		p    float64
		df   int
		want float64
	}{{0.975, 4, 2.776}, {0.975, 9, 2.262}, {0.975, 29, 2.045}, {0.975, 99, 1.984}, {0.995, 4, 4.604}, {0.995, 10, 3.169}} {
		if got := tQuantile(tc.p, tc.df); math.Abs(got-tc.want) > 0.003*tc.want {
			t.Errorf("tQuantile(%v, %d) = %.4f, want %.3f", tc.p, tc.df, got, tc.want)
		}
	}
}

func TestLongRunBlocks(t *testing.T) {
	base := synthRun("a", shape{seed: 1, intervals: 450, perSecond: 20, scale: 1})
	next := synthRun("b", shape{seed: 2, intervals: 150, perSecond: 20, scale: 1})
	b := newBlocks(base.Intervals["server/all"], next.Intervals["server/all"], nil, nil)
	if len(b.base) != 150 || len(b.next) != 150 {
		t.Errorf("%d and %d blocks, want 450 intervals in 150 blocks of 3, and 150 of 1", len(b.base), len(b.next))
	}
	var total int64
	for _, blk := range b.base {
		total += blk.total
	}
	if total != 450*20 {
		t.Errorf("blocks hold %d values, want %d", total, 450*20)
	}
}

func BenchmarkCompare(b *testing.B) {
	base := synthRun("a", shape{seed: 1, intervals: 120, perSecond: 500, scale: 1, colds: 50})
	next := synthRun("b", shape{seed: 2, intervals: 120, perSecond: 500, scale: 1.1, colds: 50})
	for b.Loop() {
		if _, err := Compare(base, next, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestByValue: 40 values in 3 one-second intervals are too few blocks for
// the block bootstrap but enough values to resample one by one: the series
// is tested, says so, finds no change between two runs of one distribution
// and finds a doubling.
func TestByValue(t *testing.T) {
	base := synthRun("a", shape{seed: 1, intervals: 3, perSecond: 40, scale: 1})
	same := synthRun("b", shape{seed: 2, intervals: 3, perSecond: 40, scale: 1})
	doubled := synthRun("c", shape{seed: 3, intervals: 3, perSecond: 40, scale: 2})
	s := series(t, compareRuns(t, base, same, Options{}), "server/all")
	if !s.ByValue || !s.Tested || len(s.Caveats) != 0 {
		t.Fatalf("by value %v, tested %v, caveats %q; want a test by value", s.ByValue, s.Tested, s.Caveats)
	}
	if p50 := s.Stats[0]; p50.Name != "p50" || !p50.Tested || p50.Significant {
		t.Errorf("same distribution: %+v, want a tested p50 and no change", p50)
	}
	s = series(t, compareRuns(t, base, doubled, Options{}), "server/all")
	if p50 := s.Stats[0]; !p50.Significant || p50.Low < 1.5 {
		t.Errorf("doubled: %+v, want a significant increase", p50)
	}
	c := compareRuns(t, base, same, Options{})
	if txt := textCaveats(c); !strings.Contains(strings.Join(txt, "\n"), "server/all: "+ByValueNote) {
		t.Errorf("caveats %q do not say the series was resampled by value", txt)
	}
}

// TestStrata: on runs whose phases differ in latency (as a scenario's do),
// resampling within each phase keeps each resample's mix of phases, the
// schedule's, so the p99's interval is narrower than when phases are
// mixed at random; TestCalibration checks that it stays right.
func TestStrata(t *testing.T) {
	base := synthRun("a", shape{seed: 5, intervals: 36, perSecond: 200, scale: 1, drift: 0.1, phased: true})
	next := synthRun("b", shape{seed: 6, intervals: 36, perSecond: 200, scale: 1, drift: 0.1, phased: true})
	width := func() float64 {
		st := series(t, compareRuns(t, base, next, Options{}), "server/all").Stats
		p99 := st[slices.IndexFunc(st, func(s Stat) bool { return s.Name == "p99" })]
		return p99.High - p99.Low
	}
	stratified := width()
	base.Phases, next.Phases = nil, nil
	mixed := width()
	if !(stratified < mixed) {
		t.Errorf("p99 interval %.3f wide within phases, %.3f with phases mixed; want narrower within", stratified, mixed)
	}
	t.Logf("p99 interval width: %.3f within phases, %.3f mixed", stratified, mixed)
	if got := strata([]block{{phase: 0}, {phase: 0}, {phase: 1}, {phase: 1}, {phase: 1}, {phase: 1}, {phase: 1}, {phase: 2}}); len(got) != 1 {
		t.Errorf("strata of phases of 2, 5 and 1 blocks: %v, want one (each phase under %d pooled)", got, MinStratum)
	}
	got := strata([]block{{phase: 0}, {phase: 0}, {phase: 0}, {phase: 0}, {phase: 0}, {phase: 1}, {phase: 1}, {phase: 1}, {phase: 1}, {phase: 1}, {phase: 2}})
	if len(got) != 2 || len(got[0]) != 5 || len(got[1]) != 6 {
		t.Errorf("strata of phases of 5, 5 and 1 blocks: %v, want 5 and 6", got)
	}
}

// burstRun returns a run of cold starts only, as the default scenario
// makes them: a burst of twelve over the first three seconds of each of two
// phases, the second's slower (more INITs at once on a small machine),
// each value log-normal around its phase's median.
func burstRun(id string, seed uint64) *runs.Run {
	rng := rand.New(rand.NewPCG(seed, 11))
	began := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	r := synthRun(id, shape{seed: seed, intervals: 1, perSecond: 1, scale: 1})
	r.Intervals = map[string][]*hdrhistogram.Histogram{}
	r.Phases = map[string][]*hdrhistogram.Histogram{}
	for _, ph := range []struct {
		start  int     // seconds into the run
		median float64 // µs
	}{{0, 300_000}, {30, 500_000}} {
		stamp := record.NewHistogram()
		stamp.SetTag("lambda/cold")
		stamp.SetStartTimeMs(began.Add(time.Duration(ph.start) * time.Second).UnixMilli())
		r.Phases["lambda/cold"] = append(r.Phases["lambda/cold"], stamp)
		for s := range 3 { // the burst spills over three seconds: six in all
			h := record.NewHistogram()
			h.SetTag("lambda/cold")
			h.SetStartTimeMs(began.Add(time.Duration(ph.start+s) * time.Second).UnixMilli())
			for range 6 - 2*s { // 6, 4 and 2
				h.RecordValue(int64(ph.median * math.Exp(0.25*rng.NormFloat64())))
			}
			r.Intervals["lambda/cold"] = append(r.Intervals["lambda/cold"], h)
		}
	}
	return r
}

// TestByValueStrata: a class of cold starts in bursts, in more than five
// seconds, is resampled value by value within each phase: tested, its
// interval narrower than with the phases mixed at random, and runs of one
// distribution differ significantly about 5% of the time.
func TestByValueStrata(t *testing.T) {
	base, next := burstRun("a", 1), burstRun("b", 2)
	s := series(t, compareRuns(t, base, next, Options{}), "lambda/cold")
	if !s.ByValue || !s.Tested {
		t.Fatalf("by value %v, tested %v, caveats %q; want a test by value", s.ByValue, s.Tested, s.Caveats)
	}
	stratified := s.Stats[0].High - s.Stats[0].Low
	base.Phases, next.Phases = nil, nil
	mixed := series(t, compareRuns(t, base, next, Options{}), "lambda/cold").Stats[0]
	if !(stratified < mixed.High-mixed.Low) {
		t.Errorf("p50 interval %.3f wide within phases, %.3f with phases mixed; want narrower within", stratified, mixed.High-mixed.Low)
	}
	t.Logf("p50 interval width: %.3f within phases, %.3f mixed", stratified, mixed.High-mixed.Low)

	if testing.Short() {
		return
	}
	const pairs = 60
	significant := 0
	for i := range pairs {
		base, next := burstRun("a", uint64(100+2*i)), burstRun("b", uint64(101+2*i))
		if series(t, compareRuns(t, base, next, Options{Resamples: 1000}), "lambda/cold").Stats[0].Significant {
			significant++
		}
	}
	// At 5%, 9 or more of 60 happen once in a thousand.
	if significant >= 9 {
		t.Errorf("p50 significant in %d of %d pairs of runs of the same distribution, want about 5%%", significant, pairs)
	}
	t.Logf("p50 significant in %d of %d pairs", significant, pairs)
}

// TestGateJudgesNet: where a class has a net view (less host wait), the
// gate judges it, not the raw or corrected views.
func TestGateJudgesNet(t *testing.T) {
	worse := Stat{Name: "p99", Percentile: 99, Base: 100, New: 150, Ratio: 1.5, Low: 1.3, High: 1.7, Tested: true, Significant: true}
	same := Stat{Name: "p99", Percentile: 99, Base: 100, New: 101, Ratio: 1.01, Low: 0.9, High: 1.1, Tested: true}
	series := []*Series{
		{Tag: "fn/warm", Target: "fn", Class: "warm", Tested: true, Stats: []Stat{worse}},
		{Tag: "fn/warm/corrected", Target: "fn", Class: "warm", View: "corrected", Tested: true, Stats: []Stat{worse}},
		{Tag: "fn/warm/net", Target: "fn", Class: "warm", View: "net", Tested: true, Stats: []Stat{same}},
		{Tag: "api/all", Target: "api", Class: "all", Tested: true, Stats: []Stat{same}},
	}
	v := DefaultGate().judge(series)
	if v.Failed || !slices.Equal(v.Checked, []string{"fn/warm/net", "api/all"}) || len(v.Unchecked) != 2 {
		t.Errorf("verdict %+v: want fn/warm judged on its net view only, and passed", v)
	}
	series[2].Stats = []Stat{worse}
	if v := DefaultGate().judge(series); !v.Failed || len(v.Failures) != 1 || v.Failures[0].Tag != "fn/warm/net" {
		t.Errorf("verdict %+v: want a failure of fn/warm/net", v)
	}
}
