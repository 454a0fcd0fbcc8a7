package attack

import (
	"slices"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/scenario"
)

func TestScheduleArrivals(t *testing.T) {
	phases := []scenario.Phase{
		{Name: "a", Duration: 2 * time.Second, Shape: scenario.Constant, Rate: 2},
		{Name: "gap", Duration: 10 * time.Second, Shape: scenario.Idle},
		{Name: "b", Duration: 2 * time.Second, Shape: scenario.Ramp, From: 0, To: 4},
	}
	got := slices.Collect(ScheduleArrivals(phases))
	// a: 4 requests every 0.5 s; b: integral 1 at 1 s, 2 at 1.414 s, 3 at 1.732 s.
	s := time.Second
	want := []time.Duration{0, s / 2, s, 3 * s / 2, 12 * s, 13 * s, 13*s + 414214*time.Microsecond, 13*s + 732051*time.Microsecond}
	if len(got) != len(want) {
		t.Fatalf("arrivals %v, want %v", got, want)
	}
	for i := range got {
		if d := got[i] - want[i]; d < -time.Microsecond || d > time.Microsecond {
			t.Errorf("arrival %d at %v, want %v", i, got[i], want[i])
		}
	}
	// As many as the phases expect.
	var n int
	for _, p := range phases {
		n += int(Expected(p))
	}
	if n != len(got) {
		t.Errorf("%d arrivals for %d expected", len(got), n)
	}
}
