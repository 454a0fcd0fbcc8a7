package harness_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/harness"
	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/kinds/serverkind"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
)

// expressScenario is the Express example's scenario in the repository.
const expressScenario = "../../targets/examples/express/express.yaml"

// requireExpress ends t unless Node and Debian's node-express are here: it
// skips, except under CI=true, where .ci/run installs them and t fails.
func requireExpress(t *testing.T) {
	t.Helper()
	_, errNode := exec.LookPath("node")
	_, errExpress := os.Stat("/usr/share/nodejs/express/package.json")
	if err := errors.Join(errNode, errExpress); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the Express example needs node and node-express (apt-get install -y nodejs node-express), and CI=true requires them: %v", err)
		}
		t.Skipf("skipped: no node or node-express (%v); apt-get install -y nodejs node-express, with CI=true this fails instead", err)
	}
}

// TestRunExpress runs the Express example of serverless-vs-traditional.md
// as a command server target, node app.js, through the whole harness on a
// short schedule: every request answered "Order created!", its CPU time
// measured for the cost model, the report naming its code, its output in
// its folder and no process of it left.
func TestRunExpress(t *testing.T) {
	if testing.Short() {
		t.Skip("starts node; skipped with -short")
	}
	requireExpress(t)
	sc, err := scenario.Load(expressScenario, all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	sc.Phases = []scenario.Phase{{Name: "steady", Duration: 2 * time.Second, Shape: scenario.Constant, Rate: 50}}
	kit.Binaries(t)
	res, err := harness.Run(context.Background(), harness.Config{
		Scenario: sc, ReportsDir: t.TempDir(), BinDir: kit.Dir(), RunID: "express", Progress: testWriter{t},
	})
	if err != nil {
		t.Fatal(err)
	}
	var sum runs.Summary
	readJSON(t, filepath.Join(res.Dir, runs.SummaryFile), &sum)
	ts, ok := sum.Targets["express"]
	if !ok {
		t.Fatalf("no express in the summary: %v", sum.Targets)
	}
	if all := ts.Classes[record.All]; all.Requests == 0 || all.Errors != 0 || all.OK != all.Requests {
		t.Errorf("express: %+v, want every request answered", all)
	}
	for _, r := range decodeResults(t, filepath.Join(res.Dir, runs.ResultsFile)) {
		if r.Code != 200 || string(r.Body) != "Order created!" {
			t.Fatalf("a response %d %q, want 200 Order created!", r.Code, r.Body)
		}
	}
	if c := sum.Costs["express"]; c == nil || c.Input.Server == nil || c.Input.Server.CPUSeconds <= 0 {
		t.Errorf("express's CPU time not measured: cost %+v, notes %v", c, sum.Notes)
	}
	page, err := os.ReadFile(res.Report)
	if err != nil {
		t.Fatal(err)
	}
	if c := ts.Code; c == nil || c.Form != "command" || !strings.HasSuffix(c.Path, "app.js") || len(c.SHA256) != 64 || !strings.Contains(string(page), "sha256 "+c.SHA256[:12]) {
		t.Errorf("code %+v, want the app's script and its hash in the summary and the report", ts.Code)
	}
	if !strings.Contains(string(page), "whole machine") {
		t.Error("the report does not say the server had the whole machine")
	}
	if _, err := os.Stat(filepath.Join(runs.TargetDir(res.Dir, "express"), serverkind.StderrFile)); err != nil {
		t.Errorf("no stderr log: %v", err)
	}
	awaitNoNode(t)
}

// awaitNoNode fails t if a node process started by this test (in the
// express example's folder) is left.
func awaitNoNode(t *testing.T) {
	t.Helper()
	dir, _ := filepath.Abs(filepath.Dir(expressScenario))
	cwds, _ := filepath.Glob("/proc/[0-9]*/cwd")
	for _, c := range cwds {
		if target, err := os.Readlink(c); err == nil && target == dir {
			t.Errorf("a process is left in %s: %s", dir, c)
		}
	}
}

// TestRunOwnServerBadInput checks that a server that cannot be run is bad
// input (exit 2) found before the run folder is made, naming the target
// and its command, and that nothing it started is left.
func TestRunOwnServerBadInput(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes; skipped with -short")
	}
	kit.Binaries(t)
	marker := "coldbench-bad-input-" + strings.ReplaceAll(t.Name(), "/", "-")
	for _, tt := range []struct {
		name, entry string
		want        []string
	}{
		{"missing", "command: [no-such-server-xyz, --serve]", []string{"api: no-such-server-xyz --serve", "not found in PATH"}},
		{"exits at once", "command: [sh, -c, 'echo no port >&2; exit 4']", []string{"api: sh -c", "exited (exit status 4)", "no port"}},
		{"never ready", "command: [sleep, '61']\n    start_timeout: 300ms", []string{"api: sleep 61", "not ready after start_timeout 300ms"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := "targets:\n  api:\n    kind: server\n    " + tt.entry + "\n    env: {MARK: " + marker + "}\n" +
				"phases:\n  - {duration: 1s, shape: constant, rate: 1}\n"
			sc, err := scenario.Parse(filepath.Join(t.TempDir(), "bad.yaml"), []byte(src), all.Specs())
			if err != nil {
				t.Fatal(err)
			}
			reports := t.TempDir()
			_, err = harness.Run(context.Background(), harness.Config{Scenario: sc, ReportsDir: reports, BinDir: kit.Dir(), RunID: "bad"})
			var input *kinds.InputError
			if !errors.As(err, &input) || input.Target != "api" {
				t.Fatalf("error %v (%T), want a kinds.InputError of api", err, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if left, _ := os.ReadDir(reports); len(left) != 0 {
				t.Errorf("reports folder holds %v, want no run folder", left)
			}
			if pids := marked(marker); len(pids) > 0 {
				t.Errorf("processes left: %v", pids)
			}
		})
	}
}

// marked lists the live processes whose environment holds MARK=marker.
func marked(marker string) []string {
	var pids []string
	envs, _ := filepath.Glob("/proc/[0-9]*/environ")
	for _, e := range envs {
		b, err := os.ReadFile(e)
		if err != nil || !strings.Contains(string(b), "MARK="+marker+"\x00") {
			continue
		}
		pid := strings.Split(e, "/")[2]
		if stat, err := os.ReadFile("/proc/" + pid + "/stat"); err == nil && !strings.Contains(string(stat), ") Z ") {
			pids = append(pids, pid)
		}
	}
	return pids
}
