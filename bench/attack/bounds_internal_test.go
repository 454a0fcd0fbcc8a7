package attack

import (
	"context"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/scenario"
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
		elapsed := time.Since(began)
		w, _ := inner.Pace(elapsed, hits)
		release := began.Add(elapsed + w)
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
	// Due at 10, 20, ..., 290 ms; the one due at 300 ms is not before the end.
	if hits > 29 {
		t.Errorf("%d requests released, want at most 29", hits)
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
