package lambda_test

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/process"
	"github.com/coldbench/coldbench/targets/order"
	"github.com/coldbench/coldbench/targets/testkit"
)

// burstSize is the environments TestFleetBurst100 holds live at once.
const burstSize = 100

// TestFleetBurst100 sends 100 requests at once, each holding its
// environment for 3s, so that 100 RIE processes and their bootstraps live
// at once; then 100 more, which must all be warm.
func TestFleetBurst100(t *testing.T) {
	t0 := time.Now()
	r, _ := startRouter(t, lambda.Config{Concurrency: burstSize, Keepalive: time.Hour,
		Function: lambda.Spec{Timeout: time.Minute}}, order.Work{})

	c := count(postAllFault(r.URL(), burstSize, "sleep=3s"))
	if c.cold != burstSize || c.warm != 0 || len(c.throttled) != 0 || len(c.other) != 0 {
		t.Fatalf("first burst: %d cold, %d warm, throttled %v, other %v; want %d cold", c.cold, c.warm, c.throttled, first3(c.other), burstSize)
	}
	if s := r.Stats(); s.Started != burstSize || s.PeakLive != burstSize || s.Errors != 0 || s.StartFailed != 0 || s.Crashed != 0 {
		t.Fatalf("after the first burst: %+v", s)
	}
	t.Logf("first burst over after %v", time.Since(t0).Round(time.Millisecond))

	c = count(postAllFault(r.URL(), burstSize, "sleep=3s"))
	if c.warm != burstSize || len(c.other) != 0 {
		t.Errorf("second burst: %d cold, %d warm, throttled %v, other %v; want %d warm", c.cold, c.warm, c.throttled, first3(c.other), burstSize)
	}
	if s := r.Stats(); s.Started != burstSize || s.PeakLive != burstSize || s.Errors != 0 || s.Invocations != 2*burstSize {
		t.Errorf("after the second burst: %+v", s)
	}
	closeAndAwait(t, r)
	t.Logf("%d environments, two bursts, closed in %v", burstSize, time.Since(t0).Round(time.Millisecond))
}

func first3(rs []result) []result { return rs[:min(3, len(rs))] }

// BenchmarkFleetBurst100 measures a burst of 100 simultaneous requests on a
// fresh router over RIE processes, until the last has answered. Requests
// that arrive after another finished may be warm: cold/op says how many
// were not.
func BenchmarkFleetBurst100(b *testing.B) {
	bins := kit.Binaries(b)
	p := process.New(bins.RIE, bins.Bootstrap)
	cold := 0
	for b.Loop() {
		b.StopTimer()
		r, err := lambda.Run(context.Background(), p, lambda.Config{Concurrency: burstSize, Keepalive: time.Hour})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		results := postAll(r.URL(), burstSize)
		b.StopTimer()
		for _, res := range results {
			if res.err != nil || res.status != http.StatusCreated {
				b.Fatalf("burst: %v", res)
			}
			if res.cold() == "true" {
				cold++
			}
		}
		if err := r.Close(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(cold)/float64(b.N), "cold/op")
	if left := testkit.Processes(filepath.Dir(bins.RIE)); len(left) > 0 {
		b.Errorf("processes left: %v", left)
	}
}
