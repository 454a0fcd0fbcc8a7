package harness

import (
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/kinds/all"

	"github.com/coldbench/coldbench/bench/kinds/lambdakind"
	"github.com/coldbench/coldbench/bench/kinds/serverkind"
	"github.com/coldbench/coldbench/bench/scenario"
)

// TestSpeedNote checks the note of a trace replayed at speed 600: it says
// durations are run time and what compression distorts, and names the
// function's divided durations only when there is a function.
func TestSpeedNote(t *testing.T) {
	sc := &scenario.Scenario{
		Targets: []scenario.Target{lambdakind.Target("fn")},
		Phases:  []scenario.Phase{{Shape: scenario.Trace, Trace: &scenario.TraceData{Speed: 600}}},
	}
	reg, err := all.Kinds(all.Options{})
	if err != nil {
		t.Fatal(err)
	}
	groups, err := groupByKind(sc, reg)
	if err != nil {
		t.Fatal(err)
	}
	n := speedNote(sc, groups)
	for _, want := range []string{"speed 600", "trace time = run time × 600", "grow by 600", "shorter than 600 s of trace become sub-second", "keepalive, max_lifetime and scaling window are divided by 600"} {
		if !strings.Contains(n, want) {
			t.Errorf("note %q lacks %q", n, want)
		}
	}
	sc.Targets[0].Kind = serverkind.Name
	if groups, err = groupByKind(sc, reg); err != nil {
		t.Fatal(err)
	}
	if n := speedNote(sc, groups); strings.Contains(n, "keepalive") {
		t.Errorf("a scenario without a function: %q", n)
	}
	sc.Phases[0].Trace.Speed = 1
	if n := speedNote(sc, groups); n != "" {
		t.Errorf("at speed 1: %q, want no note", n)
	}
}

// TestTraceNote checks that a second trace phase is said to be replayed
// only, and that one trace phase needs no note.
func TestTraceNote(t *testing.T) {
	tr := &scenario.TraceData{File: "day.csv", Speed: 1}
	sc := &scenario.Scenario{Phases: []scenario.Phase{{Shape: scenario.Trace, Trace: tr}}}
	if n := traceNote(sc); n != "" {
		t.Errorf("one trace phase: %q, want no note", n)
	}
	sc.Phases = append(sc.Phases, scenario.Phase{Shape: scenario.Trace, Trace: &scenario.TraceData{File: "week.csv", Speed: 1}})
	if n := traceNote(sc); !strings.Contains(n, "2 trace phases") || !strings.Contains(n, "day.csv") {
		t.Errorf("two trace phases: %q", n)
	}
}
