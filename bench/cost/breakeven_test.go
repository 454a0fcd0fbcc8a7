package cost

import (
	"math"
	"strings"
	"testing"
)

func TestBreakEvenSteps(t *testing.T) {
	// Lambda costs $1.10 a month per request/s. An instance costs $12.264
	// a month and carries 24 requests/s at the peak, twice the average:
	// n instances carry up to 12n requests/s on average.
	m := &model{Linear{PerRate: 1.1}, Stepped{Instance: 12.264, MinInstances: 1, PerInstance: 24, PeakRatio: 2}}
	be := m.breakEven(0.1, 1000, "t4g.small", Traffic{PeakRate: 20}, "Lambda", "the server")
	// One instance, up to 12 requests/s: Lambda reaches $12.264 at
	// 12.264 / 1.1 = 11.149 requests/s.
	if !be.Found || !approx(be.Rate.Value, 12.264/1.1) {
		t.Errorf("break-even %+v, want %g", be, 12.264/1.1)
	}
	// Just above 12 requests/s the second instance costs $24.528 and
	// Lambda $13.2: Lambda is cheaper again. A step of n instances,
	// (12(n-1), 12n], is cheaper for the server throughout when
	// 1.1 × 12(n-1) ≥ 12.264n, that is n ≥ 14.1: from step 15 on. On
	// step 14, (156, 168], the server is cheaper from
	// 14 × 12.264 / 1.1 = 156.087 requests/s.
	if !approx(be.Stays, 14*12.264/1.1) {
		t.Errorf("stays cheaper from %g, want %g", be.Stays, 14*12.264/1.1)
	}
	if !strings.Contains(be.Text, "Lambda is cheaper again just after each instance") {
		t.Errorf("text %q", be.Text)
	}

	// At $1.00 per request/s Lambda never catches up: each step adds
	// $12.264 for 12 requests/s.
	m.Linear.PerRate = 1.0
	be = m.breakEven(0.1, 1000, "t4g.small", Traffic{PeakRate: 20}, "Lambda", "the server")
	if be.Found || be.Stays != 0 || !strings.Contains(be.Text, "Lambda is cheaper across the range") {
		t.Errorf("no break-even: %+v", be)
	}

	// $20 a month of provisioned concurrency: the server's one instance
	// is cheaper from the bottom of the range.
	m.Linear.Fixed, m.Linear.PerRate = 20, 1.1
	be = m.breakEven(0.1, 1000, "t4g.small", Traffic{PeakRate: 20}, "Lambda", "the server")
	if be.Found || !strings.Contains(be.Text, "the server is cheaper from the bottom of the range") {
		t.Errorf("server cheaper throughout: %+v", be)
	}
}

func TestInstances(t *testing.T) {
	m := Stepped{MinInstances: 2, PerInstance: 100, PeakRatio: 3}
	for _, tc := range []struct {
		rate float64
		want int
	}{
		{0, 2}, {10, 2}, {66.6, 2}, {66.7, 3}, {100, 3}, {100.01, 4}, // ⌈3r / 100⌉, at least 2
	} {
		if got := m.Instances(tc.rate); got != tc.want {
			t.Errorf("instances(%g) = %d, want %d", tc.rate, got, tc.want)
		}
	}
}

func TestChartRange(t *testing.T) {
	for _, tc := range []struct{ avg, lo, hi float64 }{
		{10, 0.01, 10000}, {39.6, 0.1, 100000}, {0.5, 0.001, 1000}, {400, 1, 1e6},
	} {
		lo, hi := chartRange(tc.avg)
		if !approx(lo, tc.lo) || !approx(hi, tc.hi) {
			t.Errorf("chartRange(%g) = %g, %g; want %g, %g", tc.avg, lo, hi, tc.lo, tc.hi)
		}
	}
}

func approx(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(b), 1e-12) }

func TestBreakEvenServerFrontDoor(t *testing.T) {
	// Lambda $2 a month per request/s; the server's instances as in
	// TestBreakEvenSteps (12 requests/s on average each, $12.264) behind
	// an ALB: $16.425 a month and $0.2336 per request/s.
	m := &model{Linear{PerRate: 2}, Stepped{Instance: 12.264, MinInstances: 1, PerInstance: 24, PeakRatio: 2, Fixed: 16.425, PerRate: 0.2336}}
	be := m.breakEven(0.1, 1000, "t4g.small", Traffic{PeakRate: 20}, "Lambda", "the server")
	// Without the ALB: 12.264 / 2 = 6.132 requests/s, on the first step.
	// With it, on step n the server costs at most Lambda from
	// (12.264n + 16.425) / (2 - 0.2336): 33.11 on step 1, above its 12;
	// 40.953 / 1.7664 = 23.1844 on step 2, (12, 24].
	if !be.Found || !approx(be.Rate.Value, (2*12.264+16.425)/1.7664) {
		t.Errorf("break-even %+v, want %g", be, (2*12.264+16.425)/1.7664)
	}
	// Lambda $0.1 per request/s with $100 of provisioned concurrency
	// fixed: the server's front door grows faster than Lambda (d =
	// 0.1 - 0.2336 < 0), so the server is cheaper at low rates only. On
	// the top step, 84 instances at 1,000 requests/s, it costs 84 ×
	// 12.264 + 16.425 + 233.6 = $1,280 against Lambda's $200: not
	// cheaper at the top, so Stays is 0.
	m = &model{Linear{Fixed: 100, PerRate: 0.1}, Stepped{Instance: 12.264, MinInstances: 1, PerInstance: 24, PeakRatio: 2, Fixed: 16.425, PerRate: 0.2336}}
	be = m.breakEven(0.1, 1000, "t4g.small", Traffic{PeakRate: 20}, "Lambda", "the server")
	if be.Found || be.Stays != 0 || !strings.Contains(be.Text, "the server is cheaper from the bottom of the range") {
		t.Errorf("server cheaper at low rates only: %+v", be)
	}
}
