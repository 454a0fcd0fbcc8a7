package lambda

import (
	"testing"
	"time"
)

func TestScaleWindowSlides(t *testing.T) {
	w := scaleWindow{rate: 2, window: 10 * time.Second}
	t0 := time.Unix(1000, 0)
	for i, c := range []struct {
		at   time.Duration
		want bool
	}{
		{0, true}, {time.Second, true}, {2 * time.Second, false}, // two in the window
		{10 * time.Second, true}, // the first left the window
		{10500 * time.Millisecond, false},
		{11 * time.Second, true}, // the second left
		{19 * time.Second, false},
		{20 * time.Second, true},
	} {
		if got := w.allow(t0.Add(c.at)); got != c.want {
			t.Errorf("%d: allow at %v = %v, want %v", i, c.at, got, c.want)
		}
	}
	unlimited := scaleWindow{}
	for range 100 {
		if !unlimited.allow(t0) {
			t.Fatal("zero rate throttled")
		}
	}
}
