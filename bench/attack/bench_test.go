package attack_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/attack"
	"github.com/coldbench/coldbench/bench/scenario"
)

// BenchmarkLag runs a 1 s attack at 200 requests/s (the rates of the
// default scenario) per iteration against a trivial loopback server, with
// and without making up for sleep overshoot, and reports the generator's
// lag (Result.Timestamp minus the due time the Sink receives): median, p90
// and p99, and the CPU time of the whole process per request, which
// includes the spin. Compare with
//
//	go test ./bench/attack -run '^$' -bench Lag -count 6 | go tool benchstat -col /sleep -
func BenchmarkLag(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
	}))
	b.Cleanup(srv.Close)
	phases := []scenario.Phase{{Name: "steady", Duration: time.Second, Shape: scenario.Constant, Rate: 200}}
	for _, bc := range []struct {
		name string
		opts attack.Options
	}{
		{"sleep=compensated", attack.Options{}},
		{"sleep=plain", attack.Options{Uncompensated: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			lag := hdrhistogram.New(1, int64(10*time.Second), 3)
			var requests int64
			cpu0 := cpuTime()
			for range b.N {
				err := attack.Run(context.Background(), "b", srv.URL, phases, time.Now(), func(_ int, r *vegeta.Result, intended time.Time) {
					requests++
					lag.RecordValue(max(int64(r.Timestamp.Sub(intended)), 0))
				}, bc.opts)
				if err != nil {
					b.Fatal(err)
				}
			}
			cpu := cpuTime() - cpu0
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(float64(lag.ValueAtQuantile(50)), "lag-p50-ns")
			b.ReportMetric(float64(lag.ValueAtQuantile(90)), "lag-p90-ns")
			b.ReportMetric(float64(lag.ValueAtQuantile(99)), "lag-p99-ns")
			b.ReportMetric(float64(cpu)/float64(max(requests, 1)), "cpu-ns/req")
		})
	}
}

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
