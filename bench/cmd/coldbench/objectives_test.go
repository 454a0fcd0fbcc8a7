package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/runs"
)

// TestBrokenObjectiveExits3 runs a scenario with an objective no target can
// meet and checks that coldbench exits 3, names the broken objective on the
// terminal, and still writes a complete run folder that records the
// outcome of every objective.
func TestBrokenObjectiveExits3(t *testing.T) {
	c := buildCLI(t)
	cmd, lines := c.start(t, "-id", "gate", "testdata/objectives.yaml")
	var out strings.Builder
	for lines.Scan() {
		t.Log(lines.Text())
		out.WriteString(lines.Text() + "\n")
	}
	awaitExit(t, cmd, lines, 3)
	for _, want := range []string{"objectives: 1 of 2 met, 1 broken", "BROKEN server p50 < 1us", "objectives broken: server p50 < 1us"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	dir := filepath.Join(c.reports, "gate")
	b, err := os.ReadFile(filepath.Join(dir, runs.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	var sum runs.Summary
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Objectives) != 2 || sum.Objectives[0].Met || !sum.Objectives[1].Met {
		t.Errorf("summary objectives = %+v", sum.Objectives)
	}
	if _, err := os.Stat(filepath.Join(dir, runs.ReportFile)); err != nil {
		t.Error("no report:", err)
	}
}
