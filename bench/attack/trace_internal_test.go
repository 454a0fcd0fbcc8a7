package attack

import (
	"context"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/scenario"
)

// TestTracePacerLateSendsAll checks that a trace phase whose generator is
// past the phase's end still releases every request of its window (late)
// and stops after the last, where other shapes stop at the end.
func TestTracePacerLateSendsAll(t *testing.T) {
	p := scenario.Phase{Shape: scenario.Trace, Duration: time.Second,
		Trace: &scenario.TraceData{Interval: time.Second, Counts: []int{3}, To: time.Second, Speed: 1}}
	start := time.Now().Add(-2 * time.Second) // the phase ended a second ago
	pp := boundedPacer(context.Background(), NewTracePacer(p.Trace), p, start, start.Add(p.Duration), nil)
	for hits := range uint64(3) {
		if wait, stop := pp.Pace(0, hits); stop || wait != 0 {
			t.Errorf("request %d: wait %s stop %v; want it sent at once", hits, wait, stop)
		}
	}
	if _, stop := pp.Pace(0, 3); !stop {
		t.Error("no stop after the window's 3 requests")
	}
	if got := integral(p, p.Duration); got != 3 {
		t.Errorf("integral at the end = %g, want 3", got)
	}
	if got := integral(p, p.Duration/2); got != 1.5 {
		t.Errorf("integral half way = %g, want 1.5", got)
	}
}
