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

// TestSchedule checks the intended send times against the times vegeta's own
// pacers release requests, on a perfect clock: the loop of
// vegeta.Attacker.Attack, which asks the pacer how long to wait, waits that
// long and releases the next request. Every pacer follows the integral of
// the rate: vegeta's constant and sine pacers, and RampPacer, where
// vegeta's linear pacer, which extrapolates its current rate, does not.
func TestSchedule(t *testing.T) {
	began := time.Unix(1000, 0)
	for _, p := range []scenario.Phase{
		{Name: "constant", Duration: 10 * time.Second, Shape: scenario.Constant, Rate: 200},
		{Name: "slow", Duration: 10 * time.Second, Shape: scenario.Constant, Rate: 0.5},
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
		var elapsed time.Duration
		var worst float64 // in intervals at the current rate
		for k := uint64(0); ; k++ {
			wait, stop := pacer.Pace(elapsed, k)
			if stop {
				break
			}
			elapsed += max(wait, 0)
			if elapsed > p.Duration {
				break
			}
			// Sent at the end of the phase, long after it was due.
			got := s.intended(&vegeta.Result{Seq: k, Timestamp: began.Add(p.Duration)}).Sub(began)
			worst = max(worst, (got-elapsed).Abs().Seconds()*pacer.Rate(elapsed))
		}
		// The pacers round their waits to the nanosecond and vegeta's
		// sine pacer solves for them numerically.
		if limit := 0.01; worst > limit {
			t.Errorf("%s: intended send times differ from vegeta's by up to %.3f intervals", p.Name, worst)
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
// but was due (k+1)*10ms after it. Its corrected latency carries that wait;
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
		// Sent no earlier than 20ms*k after the first, which was due at 10 ms.
		if late, least := r.Timestamp.Sub(intended), time.Duration(r.Seq)*10*time.Millisecond-10*time.Millisecond; late < least {
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
