package scripts

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/kinds/lambdakind"

	"github.com/coldbench/coldbench/bench/scenario"
)

// TestSoakScenario checks that scripts/soak.sh writes a valid scenario of
// SOAK_MINUTES for lengths that are and are not whole cycles of
// scenarios/soak.yaml, keeping its function (faults included) and the
// cycle's shapes, without running anything.
func TestSoakScenario(t *testing.T) {
	cycle, err := scenario.Load(filepath.Join(root, "scenarios", "soak.yaml"), all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	faults := lambdakind.Settings(*cycle.Target("lambda")).Faults
	if !faults.Any() || faults.KillEvery == 0 || faults.Crash == 0 || faults.Timeout == 0 {
		t.Errorf("scenarios/soak.yaml injects %+v; want crashes, timeouts and kill_every at least", faults)
	}
	for _, minutes := range []int{1, 3, 7, 30} {
		cmd := exec.Command("bash", "soak.sh", "--print-scenario")
		cmd.Env = append(os.Environ(), fmt.Sprintf("SOAK_MINUTES=%d", minutes))
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("SOAK_MINUTES=%d soak.sh --print-scenario: %v", minutes, err)
		}
		path := filepath.Join(t.TempDir(), "soak.yaml")
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		sc, err := scenario.Load(path, all.Specs())
		if err != nil {
			t.Errorf("SOAK_MINUTES=%d: the scenario does not load: %v\n%s", minutes, err, out)
			continue
		}
		if got, want := sc.Duration(), time.Duration(minutes)*time.Minute; got != want {
			t.Errorf("SOAK_MINUTES=%d: the scenario lasts %v, want %v", minutes, got, want)
		}
		if fn := lambdakind.Settings(*sc.Target("lambda")); fn.Faults != faults || fn.Runtime != lambdakind.Container {
			t.Errorf("SOAK_MINUTES=%d: function %+v, want the cycle's faults %+v in containers", minutes, fn, faults)
		}
		for i, p := range sc.Phases {
			c := cycle.Phases[i%len(cycle.Phases)]
			if want := fmt.Sprintf("%s-%d", c.Name, i/len(cycle.Phases)+1); p.Name != want || p.Shape != c.Shape {
				t.Errorf("SOAK_MINUTES=%d: phase %d is %s %s, want %s %s", minutes, i+1, p.Name, p.Shape, want, c.Shape)
			}
		}
	}
	if out, err := exec.Command("bash", "soak.sh", "--no-such-flag").CombinedOutput(); err == nil || !strings.Contains(string(out), "usage") {
		t.Errorf("soak.sh --no-such-flag: %v, %q; want a usage message and a failure", err, out)
	}
}
