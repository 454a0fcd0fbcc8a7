package harness_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/harness"
	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/kinds/lambdakind"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/testkit"
)

// TestRunFourTargets runs two functions and two servers, named, through
// the real server and RIE processes, and checks that every output of the
// run folder carries all four under their names: summary.json (with each
// kind), bench.txt, the hlog tags <target>/<class>, the attack names of
// results.bin, each function's own folder, and the report.
func TestRunFourTargets(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes; skipped with -short")
	}
	sc, err := scenario.Load("testdata/four.yaml", all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	bin := kit.Dir()
	kit.Binaries(t)
	res, err := harness.Run(context.Background(), harness.Config{
		Scenario: sc, ReportsDir: t.TempDir(), BinDir: bin, RunID: "four", Progress: testWriter{t},
		Kinds: sandboxed(t, lambdakind.Process),
	})
	if err != nil {
		t.Fatal(err)
	}
	testkit.AwaitNoProcesses(t, bin)
	names := sc.Names()
	kinds := map[string]string{"small-fn": "lambda", "big-fn": "lambda", "api-small": "server", "api-big": "server"}

	var sum runs.Summary
	readJSON(t, filepath.Join(res.Dir, runs.SummaryFile), &sum)
	if len(sum.Targets) != 4 {
		t.Fatalf("summary has %d targets, want 4: %v", len(sum.Targets), sum.Targets)
	}
	tags := readLog(t, filepath.Join(res.Dir, runs.HistogramsFile))
	bench, err := os.ReadFile(filepath.Join(res.Dir, runs.BenchFile))
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(res.Report)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		ts, ok := sum.Targets[name]
		if !ok || ts.Kind != kinds[name] {
			t.Errorf("summary: %s is %+v, want kind %s", name, ts.Kind, kinds[name])
			continue
		}
		all := ts.Classes[record.All]
		if all.Requests == 0 || all.Errors != 0 {
			t.Errorf("%s: %+v, want requests without errors", name, all)
		}
		if tags[name+"/all"] != all.OK {
			t.Errorf("hlog %s/all: %d values, want %d", name, tags[name+"/all"], all.OK)
		}
		if ts.Code == nil || len(ts.Code.SHA256) != 64 || !strings.Contains(string(page), "sha256 "+ts.Code.SHA256[:12]) {
			t.Errorf("%s: code %+v, want its hash in the summary and the report", name, ts.Code)
		}
		if !strings.Contains(string(page), name) {
			t.Errorf("report: no %s", name)
		}
		if !strings.Contains(strings.ToLower(string(bench)), strings.ToLower(name)) {
			t.Errorf("bench.txt: no line of %s", name)
		}
		if sum.Costs[name] == nil {
			t.Errorf("costs: %s not priced (notes %v)", name, sum.Notes)
		}
		if kinds[name] != "lambda" {
			if _, err := os.Stat(runs.TargetDir(res.Dir, name)); err == nil {
				t.Errorf("%s: a server has no files of its own, but its folder exists", name)
			}
			continue
		}
		cold, warm := ts.Classes[record.Cold], ts.Classes[record.Warm]
		if cold.Requests == 0 || tags[name+"/cold"] != cold.OK || tags[name+"/warm"] != warm.OK {
			t.Errorf("%s: cold %d (hlog %d), warm %d (hlog %d)", name, cold.OK, tags[name+"/cold"], warm.OK, tags[name+"/warm"])
		}
		if ts.Counters == nil || ts.Runtime != "process" {
			t.Errorf("%s: platform %v, runtime %q; want counters, process", name, ts.Counters, ts.Runtime)
		}
		if rows := countLines(t, filepath.Join(runs.TargetDir(res.Dir, name), runs.InvocationsFile)) - 1; rows != cold.Requests+warm.Requests {
			t.Errorf("%s/%s: %d rows, want %d", name, runs.InvocationsFile, rows, cold.Requests+warm.Requests)
		}
	}
	if got := attackNames(t, filepath.Join(res.Dir, runs.ResultsFile)); !slices.Equal(got, names) {
		t.Errorf("results.bin attacks %v, want %v", got, names)
	}
	if big, small := sum.Costs["api-big"], sum.Costs["api-small"]; big != nil && small != nil && big.Server.Instance == small.Server.Instance {
		t.Errorf("both servers priced on %s; api-big asks for c7g.large", big.Server.Instance)
	}
	if c := sum.Costs["big-fn"]; c != nil && c.Config.Architecture != "arm64" {
		t.Errorf("big-fn priced as %s, want its own arm64", c.Config.Architecture)
	}
	checkInterop(t, res.Dir, &sum)
}

// attackNames returns the targets named by the attacks of the results in
// the results file at path, in the order they first appear.
func attackNames(t *testing.T, path string) []string {
	t.Helper()
	var names []string
	for _, r := range decodeResults(t, path) {
		target, _, _ := strings.Cut(r.Attack, "/") // <target>/<phase>
		if !slices.Contains(names, target) {
			names = append(names, target)
		}
	}
	return names
}
