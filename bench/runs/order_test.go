package runs_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/bench/kinds/lambdakind"
	"github.com/coldbench/coldbench/bench/kinds/serverkind"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
)

// TestTargetOrder writes a run folder whose targets are not in name order
// and checks that TargetOrder and Load give the run's order, phases.hlog's,
// then the targets only summary.json has, sorted.
func TestTargetOrder(t *testing.T) {
	dir := t.TempDir()
	began := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	phases := []scenario.Phase{{Name: "steady", Duration: time.Second, Shape: scenario.Constant, Rate: 10}}
	s := &runs.Summary{RunID: "order", Started: began, Targets: map[string]record.TargetSummary{}}
	var recorded []*record.Target
	for _, tg := range []scenario.Target{
		lambdakind.Target("small-fn"), serverkind.Target("api-small"),
		lambdakind.Target("big-fn"), serverkind.Target("api-big"),
	} {
		rt, err := record.New(tg, phases, began, nil).Close()
		must(t, err)
		recorded = append(recorded, rt)
		s.Targets[tg.Name] = record.SummarizeTarget(rt)
	}
	s.Targets["zz-old"], s.Targets["aa-old"] = record.TargetSummary{}, record.TargetSummary{}
	must(t, runs.WritePhasesFile(dir, began, recorded))
	must(t, runs.WriteSummary(dir, s))
	must(t, os.WriteFile(filepath.Join(dir, runs.HistogramsFile), nil, 0o644))

	want := []string{"small-fn", "api-small", "big-fn", "api-big", "aa-old", "zz-old"}
	got, err := runs.TargetOrder(dir, s)
	must(t, err)
	if !slices.Equal(got, want) {
		t.Errorf("TargetOrder = %v, want %v", got, want)
	}
	r, err := runs.Load(dir)
	must(t, err)
	if !slices.Equal(r.Targets, want) || !slices.Equal(r.TargetNames(), want) {
		t.Errorf("Load: Targets %v, TargetNames %v; want %v", r.Targets, r.TargetNames(), want)
	}

	// Without phases.hlog: the summary's targets, sorted.
	must(t, os.Remove(filepath.Join(dir, runs.PhasesFile)))
	if got, _ := runs.TargetOrder(dir, s); !slices.Equal(got, []string{"aa-old", "api-big", "api-small", "big-fn", "small-fn", "zz-old"}) {
		t.Errorf("without %s: %v, want sorted by name", runs.PhasesFile, got)
	}

	// A Run made by hand: the targets its tags name, after Targets.
	hand := &runs.Run{Targets: []string{"b"}, Intervals: map[string][]*hdrhistogram.Histogram{"c/all": nil, "a/all/corrected": nil, "b/all": nil, "odd": nil}}
	if got := hand.TargetNames(); !slices.Equal(got, []string{"b", "a", "c"}) {
		t.Errorf("TargetNames = %v, want b a c", got)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
