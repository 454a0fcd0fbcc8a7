package scenario

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestScaled(t *testing.T) {
	s := &Scenario{Name: "x", Phases: []Phase{
		{Name: "c", Duration: time.Second, Shape: Constant, Rate: 30, Workers: 8},
		{Name: "r", Duration: time.Second, Shape: Ramp, From: 10, To: 40},
		{Name: "s", Duration: time.Second, Shape: Sine, Mean: 20, Amplitude: 10, Period: time.Second},
		{Name: "m", Duration: time.Second, Shape: Constant, Max: true, Workers: 4},
		{Name: "i", Duration: time.Second, Shape: Idle},
	}}
	got, err := s.Scaled(0.5)
	if err != nil {
		t.Fatal(err)
	}
	want := []Phase{
		{Name: "c", Duration: time.Second, Shape: Constant, Rate: 15, Workers: 8},
		{Name: "r", Duration: time.Second, Shape: Ramp, From: 5, To: 20},
		{Name: "s", Duration: time.Second, Shape: Sine, Mean: 10, Amplitude: 5, Period: time.Second},
		{Name: "m", Duration: time.Second, Shape: Constant, Max: true, Workers: 4},
		{Name: "i", Duration: time.Second, Shape: Idle},
	}
	for i := range want {
		if !reflect.DeepEqual(got.Phases[i], want[i]) {
			t.Errorf("phase %d: %+v, want %+v", i, got.Phases[i], want[i])
		}
	}
	if s.Phases[0].Rate != 30 || s.Phases[1].To != 40 {
		t.Errorf("Scaled modified its receiver: %+v", s.Phases)
	}
	if got.Duration() != s.Duration() || got.Name != s.Name {
		t.Errorf("Scaled changed more than the rates: %v %q", got.Duration(), got.Name)
	}
	for _, f := range []float64{0, -1, 1.5} {
		if _, err := s.Scaled(f); err == nil || !strings.Contains(err.Error(), "at most 1") {
			t.Errorf("Scaled(%g): %v, want an error", f, err)
		}
	}
}
