package lambda_test

import (
	"iter"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
)

// fixed is a Service whose invocations take warm or cold, whatever the draw.
type fixed struct{ warm, cold time.Duration }

func (f fixed) Duration(cold bool, _ *rand.Rand) time.Duration {
	if cold {
		return f.cold
	}
	return f.warm
}

// at yields the instants ds.
func at(ds ...time.Duration) iter.Seq[time.Duration] {
	return func(yield func(time.Duration) bool) {
		for _, d := range ds {
			if !yield(d) {
				return
			}
		}
	}
}

// every yields n instants step apart from 0.
func every(step time.Duration, n int) iter.Seq[time.Duration] {
	return func(yield func(time.Duration) bool) {
		for i := range n {
			if !yield(time.Duration(i) * step) {
				return
			}
		}
	}
}

const s, ms = time.Second, time.Millisecond

// TestSimulateCounts checks the simulation's figures against cases worked
// out by hand from the router's rules.
func TestSimulateCounts(t *testing.T) {
	for _, tc := range []struct {
		name     string
		sim      lambda.Simulation
		arrivals iter.Seq[time.Duration]
		svc      fixed
		want     lambda.SimCounts
	}{{
		// One request a second for 10 s, 100 ms each, keepalive 10 min:
		// one cold start, then the same environment, live from 0 to the
		// end, 10 s.
		name: "steady", sim: lambda.Simulation{Span: 10 * s},
		arrivals: every(s, 10), svc: fixed{100 * ms, 100 * ms},
		want: lambda.SimCounts{Requests: 10, Invocations: 10, ColdStarts: 1, PeakConcurrency: 1, PeakLive: 1,
			EnvironmentSeconds: 10, WarmSeconds: 0.9, ColdSeconds: 0.1},
	}, {
		// Keepalive 2 s: the reaper ticks every 200 ms (a tenth). The
		// environment is idle from 0.1 s and reaped at the first tick
		// more than 2 s later, 2.2 s (2.0 s is 1.9 s idle). The request
		// at 5 s is cold again, and its environment lives to the end at
		// 6 s: 2.2 + 1 = 3.2 environment-seconds.
		name: "gap", sim: lambda.Simulation{Span: 6 * s, Config: lambda.Config{Keepalive: 2 * s}},
		arrivals: at(0, 5*s), svc: fixed{100 * ms, 100 * ms},
		want: lambda.SimCounts{Requests: 2, Invocations: 2, ColdStarts: 2, PeakConcurrency: 1, PeakLive: 1,
			EnvironmentSeconds: 3.2, ColdSeconds: 0.2},
	}, {
		// Concurrency 2 and three requests within 1 s, each taking 1 s:
		// the third finds both environments busy and is throttled. The
		// fourth, at 1.5 s, reuses the first, free since 1 s.
		name: "throttle", sim: lambda.Simulation{Span: 3 * s, Config: lambda.Config{Concurrency: 2}},
		arrivals: at(0, 100*ms, 200*ms, 1500*ms), svc: fixed{s, s},
		want: lambda.SimCounts{Requests: 4, Invocations: 3, ColdStarts: 2, Throttled: 1, PeakConcurrency: 2, PeakLive: 2,
			EnvironmentSeconds: 3 + 2.9, WarmSeconds: 1, ColdSeconds: 2},
	}, {
		// One provisioned environment takes the first request warm; the
		// second, while it is busy, starts an on-demand one at 0.5 s.
		// Live: the provisioned one 0-4 s, the other 0.5-4 s.
		name: "provisioned", sim: lambda.Simulation{Span: 4 * s, Config: lambda.Config{Provisioned: 1}},
		arrivals: at(0, 500*ms, 3*s), svc: fixed{s, 2 * s},
		want: lambda.SimCounts{Requests: 3, Invocations: 3, ColdStarts: 1, Provisioned: 2, PeakConcurrency: 2, PeakLive: 2,
			EnvironmentSeconds: 4 + 3.5, WarmSeconds: 2, ColdSeconds: 2},
	}, {
		// Scaling rate 1 per 10 s: the second request, concurrent with
		// the first, needs a second environment within the window.
		name: "scaling", sim: lambda.Simulation{Span: 2 * s, Config: lambda.Config{ScaleRate: 1, ScaleWindow: 10 * s}},
		arrivals: at(0, 100*ms), svc: fixed{s, s},
		want: lambda.SimCounts{Requests: 2, Invocations: 1, ColdStarts: 1, ScaleThrottled: 1, PeakConcurrency: 1, PeakLive: 1,
			EnvironmentSeconds: 2, ColdSeconds: 1},
	}, {
		// Maximum lifetime 1 s: the reaper ticks every 100 ms (a tenth).
		// The request at 0.5 s reuses the environment (0.5 s old); the
		// tick at 1 s recycles it, idle and 1 s old, so the request at
		// 2 s is cold. Live 0-1 s and 2-3 s.
		name: "lifetime", sim: lambda.Simulation{Span: 3 * s, Config: lambda.Config{MaxLifetime: s}},
		arrivals: at(0, 500*ms, 2*s), svc: fixed{100 * ms, 100 * ms},
		want: lambda.SimCounts{Requests: 3, Invocations: 3, ColdStarts: 2, PeakConcurrency: 1, PeakLive: 1,
			EnvironmentSeconds: 2, WarmSeconds: 0.1, ColdSeconds: 0.2},
	}, {
		// Maximum lifetime 1 s and invocations of 1.5 s: the first
		// environment is past its lifetime when it is released at
		// 1.5 s, and recycled then; the request at 2 s is cold.
		name: "recycled on release", sim: lambda.Simulation{Span: 3 * s, Config: lambda.Config{MaxLifetime: s}},
		arrivals: at(0, 2*s), svc: fixed{1500 * ms, 1500 * ms},
		want: lambda.SimCounts{Requests: 2, Invocations: 2, ColdStarts: 2, PeakConcurrency: 1, PeakLive: 1,
			EnvironmentSeconds: 1.5 + 1, ColdSeconds: 3},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got := lambda.Simulate(tc.sim, tc.arrivals, tc.svc).Total
			const eps = 1e-9
			near := func(a, b float64) bool { return a-b < eps && b-a < eps }
			if !near(got.EnvironmentSeconds, tc.want.EnvironmentSeconds) || !near(got.WarmSeconds, tc.want.WarmSeconds) || !near(got.ColdSeconds, tc.want.ColdSeconds) {
				t.Errorf("seconds: got %+v\nwant %+v", got, tc.want)
			}
			got.EnvironmentSeconds, got.WarmSeconds, got.ColdSeconds = tc.want.EnvironmentSeconds, tc.want.WarmSeconds, tc.want.ColdSeconds
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// sequence is a Service whose invocations take ds in turn.
type sequence struct {
	ds []time.Duration
	i  *int
}

func (q sequence) Duration(bool, *rand.Rand) time.Duration {
	d := q.ds[min(*q.i, len(q.ds)-1)]
	*q.i++
	return d
}

// TestSimulateReapAfterSkip checks that the reaper, skipped ahead while
// nothing was idle, still reaps an environment that goes idle before the
// tick it skipped to: keepalive 1 s (a tick every 100 ms), an invocation
// at 0 lasting 5 s, one at 150 ms lasting 100 ms. The second environment
// is idle from 250 ms and reaped at 1.3 s, as the router does, so the
// request at 3 s is cold: 3 cold starts. Live: 0-6 s (the end), 0.15-1.3 s,
// and 3-4.2 s (idle from 3.1 s, reaped at the first tick more than 1 s
// later): 6 + 1.15 + 1.2 = 8.35 environment-seconds.
func TestSimulateReapAfterSkip(t *testing.T) {
	i := 0
	svc := sequence{ds: []time.Duration{5 * s, 100 * ms, 100 * ms}, i: &i}
	res := lambda.Simulate(lambda.Simulation{Span: 6 * s, Config: lambda.Config{Keepalive: s}}, at(0, 150*ms, 3*s), svc)
	if got := res.Total; got.ColdStarts != 3 || got.EnvironmentSeconds < 8.35-1e-9 || got.EnvironmentSeconds > 8.35+1e-9 {
		t.Errorf("%d cold starts, %g environment-seconds; want 3 and 8.35", got.ColdStarts, got.EnvironmentSeconds)
	}
}

// TestSimulateBuckets checks that requests, cold starts and
// environment-seconds land in the hour they happen in.
func TestSimulateBuckets(t *testing.T) {
	// Requests at 0:30 and 2:30 with a 10-minute keepalive: two cold
	// starts, each environment reaped at the first tick (every second)
	// more than 10 min after it went idle at +100 ms: 10 min 1 s later.
	res := lambda.Simulate(lambda.Simulation{Span: 3 * time.Hour, Bucket: time.Hour},
		at(30*time.Minute, 150*time.Minute), fixed{100 * ms, 100 * ms})
	if len(res.Buckets) != 3 {
		t.Fatalf("%d buckets, want 3", len(res.Buckets))
	}
	for i, want := range []int64{1, 0, 1} {
		if b := res.Buckets[i]; b.ColdStarts != want || b.Requests != want {
			t.Errorf("hour %d: %d requests, %d cold starts; want %d", i, b.Requests, b.ColdStarts, want)
		}
	}
	if got, want := res.Buckets[1].EnvironmentSeconds, 0.0; got != want {
		t.Errorf("hour 1: %g environment-seconds, want %g", got, want)
	}
	if got, want := res.Total.EnvironmentSeconds, 2*(10*60+1.0); got-want > 1e-6 || want-got > 1e-6 {
		t.Errorf("%g environment-seconds, want %g", got, want)
	}
	if res.Stats.Reaped != 2 {
		t.Errorf("%d reaped, want 2", res.Stats.Reaped)
	}
}

// perSecond yields the requests of a day at rate per second, spaced evenly,
// as a trace of per-second counts does, n of them in all.
func perSecond(rate, n int) iter.Seq[time.Duration] {
	return func(yield func(time.Duration) bool) {
		for i := range n {
			sec, j := i/rate, i%rate
			if !yield(time.Duration(sec)*s + s*time.Duration(j)/time.Duration(rate)) {
				return
			}
		}
	}
}

// BenchmarkSimulate simulates a trace of n requests over a day's span
// (116 requests/s for 10 M) and reports the requests simulated per second
// and the heap in use at the end: B/op and the heap stay flat from 1 M to
// 10 M requests. "fleet" invocations take 2 s warm and 3 s cold, so about
// 230 environments are busy at once and the reaper has a fleet to scan;
// the others 20 ms and 300 ms.
func BenchmarkSimulate(b *testing.B) {
	for _, bc := range []struct {
		name string
		n    int
		svc  fixed
	}{
		{"1M", 1_000_000, fixed{20 * ms, 300 * ms}},
		{"10M", 10_000_000, fixed{20 * ms, 300 * ms}},
		{"10M-fleet", 10_000_000, fixed{2 * s, 3 * s}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			rate := max(bc.n/86400, 1)
			span := time.Duration(bc.n/rate+1) * s
			b.ReportAllocs()
			var res lambda.SimResult
			for b.Loop() {
				res = lambda.Simulate(lambda.Simulation{Span: span, Config: lambda.Config{Keepalive: 10 * time.Minute}},
					perSecond(rate, bc.n), bc.svc)
			}
			if res.Total.Requests != int64(bc.n) {
				b.Fatalf("%d requests simulated, want %d", res.Total.Requests, bc.n)
			}
			b.ReportMetric(float64(bc.n)*float64(b.N)/b.Elapsed().Seconds(), "requests/s")
			b.ReportMetric(float64(res.Total.PeakConcurrency), "peak-busy")
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			b.ReportMetric(float64(m.HeapInuse)/(1<<20), "heap-MiB")
		})
	}
}
