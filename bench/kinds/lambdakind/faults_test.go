package lambdakind

import (
	"net/http"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/fault"
)

// TestFaultMarker checks that each fault hits its share of requests.
func TestFaultMarker(t *testing.T) {
	mark := faultMarker(Faults{Crash: 0.01, Panic: 0.02, Timeout: 0.05}, 3*time.Second)
	got := map[string]int{}
	const n = 10000
	for i := range uint64(n) {
		h := http.Header{}
		mark(i, h)
		got[h.Get(fault.Header)]++
	}
	want := map[string]int{"exit": 100, "panic": 200, "sleep=4s": 500, "": n - 800}
	for k, w := range want {
		if d := got[k] - w; d < -2 || d > 2 { // frac(n·φ) is within a hair of even
			t.Errorf("%q: %d of %d, want %d", k, got[k], n, w)
		}
	}
	if faultMarker(Faults{InitFailure: 0.5}, time.Second) != nil {
		t.Error("a marker without per-request faults")
	}
}
