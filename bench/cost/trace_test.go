package cost

import (
	"math"
	"strings"
	"testing"
)

// TestWholeTraceMonth checks that a whole trace's traffic prices the month
// from the trace's span: a day of trace makes the month 730/24 = 30.42
// such days, a week 730/168 = 4.345 weeks.
func TestWholeTraceMonth(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		seconds, times float64
	}{{86400, 730.0 / 24}, {7 * 86400, 730.0 / 168}} {
		in := Input{
			Traffic: Traffic{Seconds: tc.seconds, Requests: 1e6, AverageRate: 1e6 / tc.seconds, PeakRate: 50, Trace: true},
			// 1,000,000 invocations × $0.20 per million = $0.20, and
			// 1e6 × 10 ms × 1 GB = 10,000 GB-s × $0.0000166667 = $0.166667:
			// $0.366667 over the trace.
			Lambda: &LambdaUsage{MemoryMB: 1024, Requests: 1e6, Invocations: 1e6, BilledMs: 1e7, BilledRows: 1e6, InitInBilled: true},
		}
		res, err := Compute(p, Config{}, in)
		if err != nil {
			t.Fatal(err)
		}
		want := (0.2 + 10000*0.0000166667) * tc.times
		if got := res.Lambda.Monthly.Value; math.Abs(got-want) > 1e-9 {
			t.Errorf("%g s of trace: $%g a month, want $%g (× %.4g)", tc.seconds, got, want, tc.times)
		}
		if !strings.Contains(res.Lambda.Monthly.Source, "s trace)") || !strings.Contains(strings.Join(res.Caveats, " "), "the whole trace") {
			t.Errorf("the month does not say it repeats the trace: %q, %q", res.Lambda.Monthly.Source, res.Caveats)
		}
	}
}
