package attack

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/scenario"
)

// TestSchedule checks the intended send times against the times the
// bounded pacer of each phase releases requests, on a perfect clock
// (simulate): the loop of vegeta.Attacker.Attack, which asks the pacer how
// long to wait, waits that long and releases the next request. Request 0
// is due at the phase's start, request k where the integral of the rate
// reaches k, which every inner pacer follows a hit behind: vegeta's
// constant and sine pacers, and RampPacer, where vegeta's linear pacer,
// which extrapolates its current rate, does not.
func TestSchedule(t *testing.T) {
	began := time.Unix(1000, 0)
	for _, p := range []scenario.Phase{
		{Name: "constant", Duration: 10 * time.Second, Shape: scenario.Constant, Rate: 200},
		{Name: "slow", Duration: 10 * time.Second, Shape: scenario.Constant, Rate: 0.5},
		{Name: "fractional", Duration: 9 * time.Second, Shape: scenario.Constant, Rate: 0.4},
		{Name: "ramp", Duration: 10 * time.Second, Shape: scenario.Ramp, From: 10, To: 300},
		{Name: "slow ramp", Duration: 2 * time.Second, Shape: scenario.Ramp, From: 1, To: 4.5},
		{Name: "ramp down", Duration: 10 * time.Second, Shape: scenario.Ramp, From: 300, To: 10},
		{Name: "sine", Duration: 10 * time.Second, Shape: scenario.Sine, Mean: 100, Amplitude: 80, Period: 4 * time.Second},
	} {
		pacer, err := Pacer(p)
		if err != nil {
			t.Fatal(err)
		}
		s := newSchedule(p, p.Duration, began)
		sent := simulate(t, p)
		if want := Expected(p); float64(len(sent)) != want {
			t.Errorf("%s: %d released, want %v", p.Name, len(sent), want)
		}
		var worst float64 // in intervals at the current rate
		for k, at := range sent {
			// Sent at the end of the phase, long after it was due.
			got := s.intended(&vegeta.Result{Seq: uint64(k), Timestamp: began.Add(p.Duration)}).Sub(began)
			if k == 0 && got != 0 {
				t.Errorf("%s: request 0 due %v into the phase, want at its start", p.Name, got)
			}
			worst = max(worst, (got-at).Abs().Seconds()*pacer.Rate(at))
		}
		// The pacers round their waits to the nanosecond and vegeta's
		// sine pacer solves for them numerically.
		if limit := 0.01; worst > limit {
			t.Errorf("%s: intended send times differ from the pacer's by up to %.3f intervals", p.Name, worst)
		}
	}
}

// TestScheduleNeverAfterSent checks that a request sent early, or by a
// rate: max phase, is due when it was sent at the latest.
func TestScheduleNeverAfterSent(t *testing.T) {
	began := time.Unix(1000, 0)
	r := &vegeta.Result{Seq: 10, Timestamp: began.Add(time.Millisecond)}
	for _, p := range []scenario.Phase{
		{Duration: time.Second, Shape: scenario.Constant, Rate: 100},
		{Duration: time.Second, Shape: scenario.Constant, Max: true, Workers: 4},
	} {
		if got := newSchedule(p, p.Duration, began).intended(r); !got.Equal(r.Timestamp) {
			t.Errorf("%+v: intended %v, sent %v", p, got.Sub(began), r.Timestamp.Sub(began))
		}
	}
}

// TestRunCorrectsCoordinatedOmission sends 100 requests/s through one worker
// to a handler that takes at least 20 ms: the generator can send only one
// request every 20 ms, so request k leaves at least k*20ms after the start
// but was due k*10ms after it. Its corrected latency carries that wait;
// its uncorrected latency does not.
func TestRunCorrectsCoordinatedOmission(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
	}))
	defer srv.Close()
	phases := []scenario.Phase{{Name: "slow", Duration: time.Second, Shape: scenario.Constant, Rate: 100, Workers: 1}}
	var n int
	err := Run(context.Background(), "t", srv.URL, phases, time.Now(), func(_ int, r *vegeta.Result, intended time.Time) {
		n++
		corrected := r.End().Sub(intended)
		if corrected < r.Latency {
			t.Errorf("request %d: corrected %v < uncorrected %v", r.Seq, corrected, r.Latency)
		}
		// Sent no earlier than 20ms*k after the first, which was due at
		// the start; due 10ms*k after it.
		if late, least := r.Timestamp.Sub(intended), time.Duration(r.Seq)*10*time.Millisecond; late < least {
			t.Errorf("request %d: sent %v after it was due, want at least %v", r.Seq, late, least)
		}
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 || n > 51 {
		t.Errorf("one worker at 20 ms a request sent %d in 1 s, want at most 50", n)
	}
}
