package order_test

import (
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/order"
)

func TestWorkEnvRoundTrip(t *testing.T) {
	w := order.Work{Init: 50 * time.Millisecond, Request: 1500 * time.Microsecond, Wait: 20 * time.Millisecond, Rate: 123456.5}
	env := map[string]string{}
	for k, v := range w.EnvMap() {
		env[k] = v
	}
	if len(env) != 4 || len(w.Env()) != 4 {
		t.Fatalf("Env() = %q", w.Env())
	}
	got, err := order.WorkFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if got != w {
		t.Errorf("round trip: got %+v, want %+v", got, w)
	}
}

func TestWorkFromEnvEmpty(t *testing.T) {
	w, err := order.WorkFromEnv(func(string) string { return "" })
	if err != nil || w != (order.Work{}) {
		t.Fatalf("got %+v, %v", w, err)
	}
	if len(w.Env()) != 0 {
		t.Errorf("Env() of zero Work = %q", w.Env())
	}
	if w.Calibrated() != w {
		t.Errorf("zero Work calibrated itself")
	}
}

func TestWorkFromEnvErrors(t *testing.T) {
	for _, env := range []map[string]string{
		{order.EnvInitWork: "50"},
		{order.EnvRequestWork: "-1ms"},
		{order.EnvWorkRate: "fast"},
		{order.EnvWorkRate: "0"},
		{order.EnvWorkRate: "-3"},
	} {
		if _, err := order.WorkFromEnv(func(k string) string { return env[k] }); err == nil {
			t.Errorf("%v: no error", env)
		}
	}
}

func TestIterations(t *testing.T) {
	w := order.Work{Rate: 2000}
	if got := w.Iterations(3 * time.Millisecond); got != 6000 {
		t.Errorf("Iterations(3ms) = %d, want 6000", got)
	}
	if got := (order.Work{}).Iterations(time.Second); got != 0 {
		t.Errorf("uncalibrated Iterations = %d, want 0", got)
	}
}

func TestSpin(t *testing.T) {
	if order.Spin(1000) != order.Spin(1000) {
		t.Error("Spin is not deterministic")
	}
	if order.Spin(1000) == order.Spin(1001) {
		t.Error("Spin(1000) == Spin(1001)")
	}
}

func TestCalibrate(t *testing.T) {
	rate := order.Calibrate()
	if rate <= 0 {
		t.Fatalf("Calibrate() = %v", rate)
	}
	w := order.Work{Request: time.Millisecond}.Calibrated()
	if w.Rate <= 0 {
		t.Fatalf("Calibrated().Rate = %v", w.Rate)
	}
	t.Logf("%.0f iterations/ms", rate)
}

func BenchmarkSpin(b *testing.B) {
	for b.Loop() {
		order.Spin(1000)
	}
}

// TestServeWaits checks that an order request waits Wait without using the
// CPU, and that other routes do not.
func TestServeWaits(t *testing.T) {
	w := order.Work{Wait: 30 * time.Millisecond}
	start := time.Now()
	if status, _, _ := w.Serve(order.Request{Method: "POST", Path: order.Path, Body: []byte(`{}`)}); status != 201 {
		t.Fatalf("status %d", status)
	}
	if d := time.Since(start); d < w.Wait {
		t.Errorf("served in %v, before the %v wait", d, w.Wait)
	}
}
