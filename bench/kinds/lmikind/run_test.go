package lmikind_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/harness"
	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/kinds/lmikind"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/testkit"
)

var kit *testkit.Kit

func TestMain(m *testing.M) {
	kit = testkit.Build()
	defer kit.Close()
	m.Run()
}

// lineWriter sends progress lines to the test log.
type lineWriter struct{ t *testing.T }

func (w lineWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// TestRun runs an lmi target through the harness, in each sandbox this
// machine has, on the real RIE in its managed-instances mode: under load
// its environments serve several requests at once (peak requests in
// flight above the environments serving), and a burst of eight times the
// steady rate is throttled: it needs 8 slots (160/s × 50 ms) where 2
// environments of 2 have 4 and the fleet may grow to 3 at most.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes and containers; skipped with -short")
	}
	for _, sandbox := range []string{"process", "container"} {
		t.Run(sandbox, func(t *testing.T) {
			if sandbox == "process" && os.Geteuid() != 0 {
				t.Skip("a managed-instances environment as a process needs root (a mount namespace)")
			}
			if sandbox == "container" {
				testkit.RequireDocker(t)
			}
			src := "targets:\n  mi:\n    kind: lmi\n    sandbox: " + sandbox + "\n    max_concurrency: 2\n    min_environments: 2\n    max_environments: 3\n    request_wait: 50ms\n" +
				"phases:\n  - {name: steady, duration: 2s, shape: constant, rate: 20}\n  - {name: burst, duration: 2s, shape: constant, rate: 160}\n"
			r, _ := runScenario(t, src)
			ts := r.Summary.Targets["mi"]
			get := func(k string) int64 { v, _ := ts.Counters.Get(k); return v }
			if get("peak_in_flight") <= get("peak_environments") || get("peak_environments") < 2 {
				t.Errorf("peak in flight %d, peak environments %d: want several requests per environment", get("peak_in_flight"), get("peak_environments"))
			}
			if get("slots_full") == 0 || ts.Classes[record.All].Codes["429"] == 0 {
				t.Errorf("throttled %d, 429s %d: want the burst throttled", get("slots_full"), ts.Classes[record.All].Codes["429"])
			}
			if m, ok := r.Summary.Costs["mi"].Priced(); !ok || m <= 0 {
				t.Errorf("price %v %v", m, ok)
			}
			page, err := os.ReadFile(filepath.Join(r.Dir, runs.ReportFile))
			if err != nil || !strings.Contains(string(page), "peak requests in flight") {
				t.Errorf("the report lacks the counters: %v", err)
			}
		})
	}
}

// TestUserBootstrap runs the user's own bootstrap (echofn, aws-lambda-go
// built as a user builds it) on Managed Instances: every answer is
// echofn's, and the report names its code.
func TestUserBootstrap(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes; skipped with -short")
	}
	if os.Geteuid() != 0 {
		t.Skip("a managed-instances environment as a process needs root (a mount namespace)")
	}
	boot := testkit.BuildEchofn(t)
	src := "targets:\n  mi:\n    kind: lmi\n    sandbox: process\n    min_environments: 1\n    bootstrap: " + boot + "\n" +
		"phases:\n  - {name: steady, duration: 2s, shape: constant, rate: 20}\n"
	r, sc := runScenario(t, src)
	ts := r.Summary.Targets["mi"]
	if all := ts.Classes[record.All]; all.Requests == 0 || all.Codes["200"] != all.Requests {
		t.Errorf("codes %v of %d requests: want every one answered by echofn", all.Codes, all.Requests)
	}
	if ts.Code == nil || ts.Code.Form != "bootstrap" || ts.Code.Path != boot {
		t.Errorf("code %+v, want the bootstrap %s", ts.Code, boot)
	}

	// A bootstrap that is not there is a mistake before the load.
	sc.Targets[0].Settings = withBootstrap(sc.Targets[0], filepath.Join(t.TempDir(), "missing"))
	_, err := harness.Run(context.Background(), harness.Config{Scenario: sc, ReportsDir: t.TempDir(), BinDir: kit.Dir(), RunID: "bad", Progress: lineWriter{t}})
	if err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing bootstrap: %v", err)
	}
}

func withBootstrap(t scenario.Target, path string) lmikind.Settings {
	s := t.Settings.(lmikind.Settings)
	s.Bootstrap = path
	return s
}

// runScenario runs the scenario src through the harness and returns its
// run folder, read back, and the scenario.
func runScenario(t *testing.T, src string) (*runs.Run, *scenario.Scenario) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "mi.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Load(path, all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	kit.Binaries(t)
	res, err := harness.Run(context.Background(), harness.Config{Scenario: sc, ReportsDir: t.TempDir(), BinDir: kit.Dir(), RunID: "mi", Progress: lineWriter{t}})
	if err != nil {
		t.Fatal(err)
	}
	testkit.AwaitNoProcesses(t, kit.Dir())
	r, err := runs.Load(res.Dir)
	if err != nil {
		t.Fatal(err)
	}
	return r, sc
}
