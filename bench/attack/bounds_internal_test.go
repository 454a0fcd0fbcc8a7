package attack

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/scenario"
	"gopkg.in/yaml.v3"
)

// TestPunctualNeverEarly drives a phasePacer as vegeta's loop does, with an
// overshoot estimate at its largest, and checks that it never returns
// before the release time of the inner pacer, and that it stops before the
// end. It asserts an order of events, not a duration.
func TestPunctualNeverEarly(t *testing.T) {
	p := scenario.Phase{Duration: 300 * time.Millisecond, Shape: scenario.Constant, Rate: 100}
	inner, _ := Pacer(p)
	began := time.Now()
	end := began.Add(p.Duration)
	late := &overshoot{est: float64(maxLead)}
	pp := boundedPacer(context.Background(), inner, p, began, end, late)
	var hits uint64
	for {
		// Request 0 is released at the phase's start, request k ≥ 1
		// when vegeta's pacer releases its hit k-1.
		release := began
		elapsed := time.Since(began)
		if hits > 0 {
			w, _ := inner.Pace(elapsed, hits-1)
			release = began.Add(elapsed + w)
		}
		wait, stop := pp.Pace(elapsed, hits)
		if stop {
			break
		}
		if now := time.Now(); now.Before(release) || wait != 0 {
			t.Fatalf("request %d released %v before vegeta's pacer would (wait %v)", hits, release.Sub(now), wait)
		}
		if !time.Now().Before(end) {
			t.Fatalf("request %d released at or after the end", hits)
		}
		hits++
	}
	// Due at 0, 10, ..., 290 ms; the one due at 300 ms is not before the end.
	if hits > 30 {
		t.Errorf("%d requests released, want at most 30", hits)
	}
}

// simulate drives phase p's bounded pacer as vegeta's loop does, on a
// perfect simulated clock: it asks for the release of request k, moves the
// clock there and sends it, until the pacer stops. It returns the release
// times, from the phase's start.
func simulate(t *testing.T, p scenario.Phase) []time.Duration {
	t.Helper()
	inner, err := Pacer(p)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Unix(1000, 0)
	end := start.Add(p.Duration)
	pp := boundedPacer(context.Background(), inner, p, start, end, nil)
	now := start
	var sent []time.Duration
	for k := uint64(0); ; k++ {
		at, stop := pp.release(now, k)
		if stop {
			return sent
		}
		if at.Before(now) || !at.Before(end) {
			t.Fatalf("%s: request %d released at %v, now %v, end %v", p.Name, k, at.Sub(start), now.Sub(start), p.Duration)
		}
		now = at
		sent = append(sent, at.Sub(start))
		if k > 1e6 {
			t.Fatalf("%s: more than a million requests", p.Name)
		}
	}
}

// TestDefaultScenarioCounts checks, on a simulated clock, that each phase
// of the default scenario sends rate × duration: its first request at its
// start, the last one interval before its end, none at the end. The old
// bound, with request k due when the integral reached k+1, sent one fewer
// each (599, 1,249, 1,199, 799).
func TestDefaultScenarioCounts(t *testing.T) {
	sc := phasesOf(t, filepath.Join("..", "..", "scenarios", "default.yaml"))
	want := map[string]int{"warm-up": 600, "ramp": 1250, "burst": 1200, "wave": 800}
	for _, p := range sc.Phases {
		if p.Shape == scenario.Idle {
			continue
		}
		w, ok := want[p.Name]
		if !ok {
			t.Errorf("phase %q: no count to check", p.Name)
			continue
		}
		delete(want, p.Name)
		sent := simulate(t, p)
		if len(sent) != w {
			t.Errorf("%s: sent %d, want %d", p.Name, len(sent), w)
		}
		if got := Expected(p); got != float64(w) {
			t.Errorf("%s: Expected = %v, want %d", p.Name, got, w)
		}
		if len(sent) > 0 && sent[0] != 0 {
			t.Errorf("%s: first request at %v, want at the phase's start", p.Name, sent[0])
		}
	}
	for name := range want {
		t.Errorf("phase %q not in the default scenario", name)
	}
}

// TestPhaseCounts checks, on a simulated clock, the requests of phases
// whose rate × duration is not whole (rounded up: every request due before
// the end), and of phases whose integral float error puts just off a
// whole number: 0.28 × 25 is 7.000000000000001, which rounded up would be
// an 8th request, due at the end and released by vegeta's pacer (its
// interval truncated to the nanosecond) 3 ns before it.
func TestPhaseCounts(t *testing.T) {
	for _, tc := range []struct {
		p    scenario.Phase
		want []time.Duration // nil: only count
		n    int
	}{
		{p: scenario.Phase{Name: "0.4/s for 9s", Duration: 9 * time.Second, Shape: scenario.Constant, Rate: 0.4},
			want: []time.Duration{0, 2500 * time.Millisecond, 5 * time.Second, 7500 * time.Millisecond}, n: 4},
		{p: scenario.Phase{Name: "50/s for 1s", Duration: time.Second, Shape: scenario.Constant, Rate: 50}, n: 50},
		{p: scenario.Phase{Name: "2/s for 2s", Duration: 2 * time.Second, Shape: scenario.Constant, Rate: 2},
			want: []time.Duration{0, 500 * time.Millisecond, time.Second, 1500 * time.Millisecond}, n: 4},
		{p: scenario.Phase{Name: "0.28/s for 25s", Duration: 25 * time.Second, Shape: scenario.Constant, Rate: 0.28}, n: 7},
		// The integral is t + 0.875t², 5.5 at the end: due at 0, then
		// where it reaches 1 to 5, the 6th at 1.886 s.
		{p: scenario.Phase{Name: "ramp 1 to 4.5/s over 2s", Duration: 2 * time.Second, Shape: scenario.Ramp, From: 1, To: 4.5}, n: 6},
		// 2t + (1.5/π)(1 - cos πt), 6.95 at the end.
		{p: scenario.Phase{Name: "sine 2±1.5/s over 3s", Duration: 3 * time.Second, Shape: scenario.Sine, Mean: 2, Amplitude: 1.5, Period: 2 * time.Second}, n: 7},
		// Whole periods: 55.000000000000007 and 56.999999999999993.
		{p: scenario.Phase{Name: "sine 1.1/s over 50s", Duration: 50 * time.Second, Shape: scenario.Sine, Mean: 1.1, Amplitude: 0.55, Period: 50 * time.Second}, n: 55},
		{p: scenario.Phase{Name: "sine 1.14/s over 50s", Duration: 50 * time.Second, Shape: scenario.Sine, Mean: 1.14, Amplitude: 0.57, Period: 25 * time.Second}, n: 57},
	} {
		sent := simulate(t, tc.p)
		if len(sent) != tc.n {
			t.Errorf("%s: sent %d at %v, want %d", tc.p.Name, len(sent), sent, tc.n)
		}
		if got := Expected(tc.p); got != float64(tc.n) {
			t.Errorf("%s: Expected = %v, want %d", tc.p.Name, got, tc.n)
		}
		if tc.want != nil && !slices.Equal(sent, tc.want) {
			t.Errorf("%s: sent at %v, want %v", tc.p.Name, sent, tc.want)
		}
	}
}

// TestDueBeforeSnaps checks that an integral within float error of a whole
// number counts as that number, either side of it, and that one a request's
// fraction above it rounds up.
func TestDueBeforeSnaps(t *testing.T) {
	for _, tc := range []struct {
		rate float64
		want float64
	}{
		{800 + 1e-10, 800},
		{800 - 1e-10, 800},
		{800, 800},
		{800.001, 801},
		{799.5, 800},
		{0.4 * 9, 4},
	} {
		p := scenario.Phase{Duration: time.Second, Shape: scenario.Constant, Rate: tc.rate}
		if got := dueBefore(p, time.Second); got != tc.want {
			t.Errorf("dueBefore with an integral of %.12g = %v, want %v", tc.rate, got, tc.want)
		}
	}
}

// TestOvershootEstimate checks the running percentile: it settles between
// the overshoots it sees, near their 75th percentile, never below 0 or
// above maxLead, and leads only waits long enough to sleep most of.
func TestOvershootEstimate(t *testing.T) {
	var o overshoot
	for i := range 2000 {
		o.observe(time.Duration(200+i*37%100) * time.Microsecond) // 200-299 µs, shuffled
	}
	if e := o.estimate(); e < 240*time.Microsecond || e > 310*time.Microsecond {
		t.Errorf("estimate %v, want near the 75th percentile of 200-299 µs", e)
	}
	if l := o.lead(time.Millisecond); l != 0 {
		t.Errorf("lead of a 1 ms wait = %v, want 0: too short to sleep most of", l)
	}
	if l := o.lead(20 * time.Millisecond); l != o.estimate() {
		t.Errorf("lead of a 20 ms wait = %v, want the estimate %v", l, o.estimate())
	}
	for range 1000 {
		o.observe(time.Second)
	}
	if e := o.estimate(); e != maxLead {
		t.Errorf("estimate after long overshoots %v, want the cap %v", e, maxLead)
	}
	for range 1000 {
		o.observe(0)
	}
	if e := o.estimate(); e != 0 {
		t.Errorf("estimate after no overshoot %v, want 0", e)
	}
	var none *overshoot
	none.observe(time.Millisecond)
	if l := none.lead(time.Second); l != 0 {
		t.Errorf("nil estimate leads by %v", l)
	}
}

// phasesOf returns the scenario file at path with its phases only: the
// kinds of its targets are bench/kinds's, which this package's own tests
// cannot import.
func phasesOf(t *testing.T, path string) *scenario.Scenario {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]yaml.Node
	if err := yaml.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	only, err := yaml.Marshal(map[string]yaml.Node{"phases": top["phases"]})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Parse(path, only, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}
