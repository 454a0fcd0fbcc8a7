package compare

import (
	"bytes"
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// synthTarget is one target of a run made by targetsRun.
type synthTarget struct {
	name  string
	kind  scenario.Kind
	scale float64 // of its latencies
}

// targetsRun returns a run of the targets ts, in that order, over 20
// one-second intervals: 200 latencies a second of each target, log-normal
// around 1 ms times its scale, and for a Lambda function's warm class,
// with 2 cold starts a second in the first 10 seconds. Its summary says
// each target's kind, as a run folder's does.
func targetsRun(id string, seed uint64, ts ...synthTarget) *runs.Run {
	rng := rand.New(rand.NewPCG(seed, 7))
	began := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	r := &runs.Run{
		Dir:       "reports/" + id,
		Summary:   &runs.Summary{RunID: id, Scenario: "targets", Started: began, Runtime: "process", Machine: "test", WorkRate: 1000, Targets: map[string]record.TargetSummary{}},
		Intervals: map[string][]*hdrhistogram.Histogram{},
	}
	for _, t := range ts {
		r.Targets = append(r.Targets, t.name)
		r.Summary.Targets[t.name] = record.TargetSummary{Kind: string(t.kind), Runtime: map[bool]string{true: "process"}[t.kind == lambdaKind]}
		for i := range 20 {
			hs := map[record.Class]*hdrhistogram.Histogram{}
			for _, c := range map[bool][]record.Class{true: record.Known(), false: {record.All}}[t.kind == lambdaKind] {
				hs[c] = record.NewHistogram()
			}
			for range 200 {
				v := int64(t.scale * 1000 * math.Exp(0.3*rng.NormFloat64()))
				hs[record.All].RecordValue(v)
				if t.kind == lambdaKind {
					hs[record.Warm].RecordValue(v)
				}
			}
			if t.kind == lambdaKind && i < 10 {
				for range 2 {
					v := int64(t.scale * float64(50_000+rng.IntN(20_000)))
					hs[record.All].RecordValue(v)
					hs[record.Cold].RecordValue(v)
				}
			}
			for c, h := range hs {
				if h.TotalCount() == 0 {
					continue
				}
				tag := t.name + "/" + string(c)
				h.SetTag(tag)
				h.SetStartTimeMs(began.Add(time.Duration(i) * time.Second).UnixMilli())
				h.SetEndTimeMs(began.Add(time.Duration(i+1) * time.Second).UnixMilli())
				r.Intervals[tag] = append(r.Intervals[tag], h)
			}
		}
	}
	return r
}

// TestCompareTargets compares two runs of two Lambda functions and two
// servers, in another order in each run, one of them twice as slow in the
// new run, and a target that each run has alone: series are matched by
// name and class, in the base run's order, and the targets only one run
// has are named and not compared.
func TestCompareTargets(t *testing.T) {
	base := targetsRun("base", 1,
		synthTarget{"api-small", serverKind, 1}, synthTarget{"small-fn", lambdaKind, 2},
		synthTarget{"big-fn", lambdaKind, 1.5}, synthTarget{"api-big", serverKind, 0.5},
		synthTarget{"old-api", serverKind, 1})
	next := targetsRun("new", 2,
		synthTarget{"new-fn", lambdaKind, 1}, synthTarget{"big-fn", lambdaKind, 3},
		synthTarget{"small-fn", lambdaKind, 2}, synthTarget{"api-big", serverKind, 0.5},
		synthTarget{"api-small", serverKind, 1})
	c := compareRuns(t, base, next, Options{})

	var tags []string
	for _, s := range c.Series {
		tags = append(tags, s.Tag)
	}
	want := []string{
		"api-small/all",
		"small-fn/all", "small-fn/cold", "small-fn/warm",
		"big-fn/all", "big-fn/cold", "big-fn/warm",
		"api-big/all",
	}
	if !slices.Equal(tags, want) {
		t.Errorf("series %v, want %v", tags, want)
	}
	var names []string
	for _, tg := range c.Targets {
		names = append(names, tg.Name)
		if tg.Compared() != (tg.Name != "old-api" && tg.Name != "new-fn") {
			t.Errorf("%+v: compared %v", tg, tg.Compared())
		}
	}
	if got := strings.Join(names, " "); got != "api-small small-fn big-fn api-big old-api new-fn" {
		t.Errorf("targets %q, want the base run's order, then the new run's others", got)
	}
	if k := c.Targets[slices.IndexFunc(c.Targets, func(t Target) bool { return t.Name == "new-fn" })]; k.Kind != "lambda" || k.Base || !k.New {
		t.Errorf("new-fn: %+v, want a lambda of the new run only", k)
	}
	notes := strings.Join(c.Notes, "\n")
	for _, want := range []string{"Target old-api is in the base run only", "Target new-fn is in the new run only"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if strings.Contains(notes, "ran differently") {
		t.Errorf("notes say the environments ran differently:\n%s", notes)
	}
	for _, s := range c.Series {
		p50 := s.Stats[0]
		if slow := strings.HasPrefix(s.Tag, "big-fn/"); slow != p50.Worse() {
			t.Errorf("%s p50: %s (CI %s), want worse %v", s.Tag, p50.Change(), p50.Interval(), slow)
		}
	}
	for _, f := range c.Verdict.Failures {
		if !strings.HasPrefix(f.Tag, "big-fn/") {
			t.Errorf("gate failed by %s, only big-fn got slower", f.Tag)
		}
	}
	if !c.Verdict.Failed {
		t.Errorf("gate passed: %s", c.Summary())
	}

	var b bytes.Buffer
	if err := WriteText(&b, c, Text); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "targets.golden.txt")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wantText, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), wantText) {
		t.Errorf("WriteText differs from %s (go test -update rewrites it):\n%s", golden, b.String())
	}
}

// TestCompareKinds: a target of one name but another kind in each run is
// compared class by class where both have values, and the notes say so;
// targets whose environments ran elsewhere are named.
func TestCompareKinds(t *testing.T) {
	base := targetsRun("base", 1, synthTarget{"edge", serverKind, 1}, synthTarget{"fn", lambdaKind, 1})
	next := targetsRun("new", 2, synthTarget{"edge", lambdaKind, 1}, synthTarget{"fn", lambdaKind, 1})
	ts := next.Summary.Targets["fn"]
	ts.Runtime = "container"
	next.Summary.Targets["fn"] = ts
	c := compareRuns(t, base, next, Options{})
	notes := strings.Join(c.Notes, "\n")
	for _, want := range []string{"Target edge is a server in the base run and a lambda in the new run.", "The environments of fn ran differently (process, container)"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if strings.Contains(notes, "Lambda environments ran differently") {
		t.Errorf("notes compare the runs' runtimes though the targets say theirs:\n%s", notes)
	}
	if s := series(t, c, "edge/warm"); s.Tested || s.Caveats[0] != "no edge/warm values in the base run" {
		t.Errorf("edge/warm: %+v", s.Caveats)
	}
}
