package attack_test

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/attack"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/process"
	"github.com/coldbench/coldbench/targets/testkit"
)

// TestIdleGapReapsTheFleet drives the emulated Lambda function (the router
// over real RIE and bootstrap processes) through attack.Run: requests due
// at 0 and 1 s of a 1.6 s phase, an idle gap of 1.6 s, well over the
// 0.6 s keepalive (so that a request at 1 s that a busy machine answers
// late still leaves the environment idle past it), then a phase. No
// request is sent in the gap, and the first request after it is cold.
//
// With vegeta's loop alone the first phase also sent a request at 2 s, 0.4 s
// into the gap, which kept the environment alive past the next phase's
// first request: that request was warm. The count of requests per phase
// catches that now, whatever the gap's length.
func TestIdleGapReapsTheFleet(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real RIE processes")
	}
	t.Parallel()
	kit := testkit.Build()
	t.Cleanup(kit.Close)
	bins := kit.Binaries(t)
	out := &testkit.Buffer{}
	r, err := lambda.Run(context.Background(), process.New(bins.RIE, bins.Bootstrap, process.WithOutput(out)),
		lambda.Config{Keepalive: 600 * time.Millisecond})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := r.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
		if left := testkit.Processes(filepath.Dir(bins.RIE)); len(left) > 0 {
			t.Errorf("processes left after Close: %v", left)
		}
		if t.Failed() {
			t.Logf("environments' output:\n%s", out.String())
		}
	})
	if err != nil {
		t.Fatal(err)
	}

	phases := []scenario.Phase{
		{Name: "before", Duration: 1600 * time.Millisecond, Shape: scenario.Constant, Rate: 1},
		{Name: "gap", Duration: 1600 * time.Millisecond, Shape: scenario.Idle},
		// Due at 0, 200, 400, 600, 800 and 1000 ms into the phase.
		{Name: "after", Duration: 1200 * time.Millisecond, Shape: scenario.Constant, Rate: 5},
	}
	type sent struct {
		phase int
		cold  string
		code  uint16
	}
	var results []sent
	err = attack.Run(context.Background(), "lambda", r.URL(), phases, time.Now(), func(i int, res *vegeta.Result, _ time.Time) {
		results = append(results, sent{i, res.Headers.Get(lambda.HeaderCold), res.Code})
	}, attack.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var before, after []sent
	for _, s := range results {
		if s.code != http.StatusOK && s.code != http.StatusCreated {
			t.Errorf("phase %s: status %d", phases[s.phase].Name, s.code)
		}
		switch s.phase {
		case 0:
			before = append(before, s)
		case 2:
			after = append(after, s)
		default:
			t.Errorf("a request in phase %s", phases[s.phase].Name)
		}
	}
	if len(before) != 2 || len(after) != 6 {
		t.Fatalf("sent %d before the gap and %d after it, want 2 and 6: %+v", len(before), len(after), results)
	}
	if before[0].cold != "true" || after[0].cold != "true" {
		t.Errorf("first request before the gap cold=%s, first after it cold=%s; want both cold", before[0].cold, after[0].cold)
	}
	if s := r.Stats(); s.Reaped < 1 {
		t.Errorf("no environment reaped during the gap: %+v", s)
	}
}
