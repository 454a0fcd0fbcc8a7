package attack_test

import (
	"context"
	"net/http"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/kinds/all"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/attack"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/process"
	"github.com/coldbench/coldbench/targets/testkit"
)

// startFunction starts the emulated Lambda function over real RIE and
// bootstrap processes and returns its URL.
func startFunction(t *testing.T) string {
	t.Helper()
	kit := testkit.Build()
	t.Cleanup(kit.Close)
	bins := kit.Binaries(t)
	out := &testkit.Buffer{}
	r, err := lambda.Run(context.Background(), process.New(bins.RIE, bins.Bootstrap, process.WithOutput(out)), lambda.Config{})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := r.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
		if t.Failed() {
			t.Logf("environments' output:\n%s", out.String())
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return r.URL()
}

// replay runs the scenario file's phases at url and returns, for each
// request answered, when it was due from the schedule's start.
func replay(t *testing.T, url string, sc *scenario.Scenario) []time.Duration {
	t.Helper()
	began := time.Now()
	var due []time.Duration
	err := attack.Run(context.Background(), "lambda", url, sc.Phases, began, func(_ int, r *vegeta.Result, intended time.Time) {
		if r.Code != http.StatusCreated && r.Code != http.StatusOK {
			t.Errorf("status %d: %s", r.Code, r.Error)
		}
		if intended.After(r.Timestamp) {
			t.Errorf("request %d sent at %s, before it was due at %s", r.Seq, r.Timestamp.Sub(began), intended.Sub(began))
		}
		due = append(due, intended.Sub(began))
	}, attack.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(due)
	return due
}

// bucket counts the offsets in each interval of length iv, n of them.
func bucket(offsets []time.Duration, iv time.Duration, n int) []int {
	counts := make([]int, n)
	for _, o := range offsets {
		if i := int(o / iv); i < n {
			counts[i]++
		} else {
			counts = append(counts, 1) // past the end: shows as an extra count
		}
	}
	return counts
}

// TestReplayAzure replays minutes 10 to 13 of the busy row of a hand-made
// Azure day (3, 0, 8 and 2 requests) at speed 120 against the emulated
// function: every half second of run must send exactly its minute's
// requests, each due where even spacing puts it.
func TestReplayAzure(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real RIE processes")
	}
	t.Parallel()
	sc, err := scenario.Load(filepath.Join("testdata", "trace.yaml"), all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	if got := attack.Expected(sc.Phases[0]); got != 13 {
		t.Errorf("Expected = %g, want 13", got)
	}
	due := replay(t, startFunction(t), sc)
	if got, want := bucket(due, 500*time.Millisecond, 4), []int{3, 0, 8, 2}; !slices.Equal(got, want) {
		t.Errorf("requests per half second %v, want %v", got, want)
	}
	want := attack.TraceOffsets(sc.Phases[0].Trace)
	if !slices.Equal(due, want) {
		t.Errorf("due at %v, want %v", due, want)
	}
	if want[3] != time.Second || want[4] != time.Second+62500*time.Microsecond {
		t.Errorf("minute 12 (from 1 s) starts %v, want 1s, 1.0625s (8 in 0.5 s)", want[3:5])
	}
}

// TestReplayTimestamps replays a timestamp file at speed 1: each request
// is due at its instant from the first.
func TestReplayTimestamps(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real RIE processes")
	}
	t.Parallel()
	sc, err := scenario.Load(filepath.Join("testdata", "stamps.yaml"), all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	ms := time.Millisecond
	want := []time.Duration{0, 200 * ms, 900 * ms, 1100 * ms, 2050 * ms, 2500 * ms, 2750 * ms}
	due := replay(t, startFunction(t), sc)
	if !slices.Equal(due, want) {
		t.Errorf("due at %v, want %v", due, want)
	}
	if got := bucket(due, time.Second, 3); !slices.Equal(got, []int{3, 1, 3}) {
		t.Errorf("requests per second %v, want [3 1 3]", got)
	}
}

// TestPoissonSeeded checks that poisson spacing keeps each interval's
// count, draws the same times for the same seed and others for another.
func TestPoissonSeeded(t *testing.T) {
	tr := &scenario.TraceData{Interval: time.Minute, Counts: []int{4, 0, 9, 1}, Spacing: scenario.Poisson, Seed: 1,
		To: 4 * time.Minute, Speed: 60}
	a := attack.TraceOffsets(tr)
	if got := bucket(a, time.Second, 4); !slices.Equal(got, tr.Counts) {
		t.Errorf("per interval %v, want %v", got, tr.Counts)
	}
	if !slices.IsSorted(a) {
		t.Errorf("not sorted: %v", a)
	}
	if b := attack.TraceOffsets(tr); !slices.Equal(a, b) {
		t.Errorf("seed 1 twice: %v and %v", a, b)
	}
	tr2 := *tr
	tr2.Seed = 2
	if c := attack.TraceOffsets(&tr2); slices.Equal(a, c) {
		t.Errorf("seeds 1 and 2 drew the same times %v", a)
	}
	// The same trace interval gets the same times in another window.
	tr3 := *tr
	tr3.From, tr3.Counts = 2*time.Minute, tr.Counts[2:]
	if c := attack.TraceOffsets(&tr3); !slices.Equal(c, subtract(a[4:], 2*time.Second)) {
		t.Errorf("window from 2m: %v, want %v", c, subtract(a[4:], 2*time.Second))
	}
}

func subtract(ds []time.Duration, d time.Duration) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, x := range ds {
		out[i] = x - d
	}
	return out
}
