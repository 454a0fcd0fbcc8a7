package compare

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
)

// writeSummary writes a run folder under reports holding only summary.json
// and phases.hlog, of a server and a Lambda function with colds cold
// starts, in that order.
func writeSummary(t *testing.T, reports, id, scenario string, started time.Time, colds int) {
	t.Helper()
	writeTargets(t, reports, id, scenario, started,
		trendTarget{"server", "server", 900, 0}, trendTarget{"lambda", "lambda", 1900, colds})
}

// trendTarget is a target of a run folder written by writeTargets.
type trendTarget struct {
	name, kind string
	p50        int64 // µs
	colds      int
}

// writeTargets writes a run folder under reports holding only summary.json
// and phases.hlog, of the targets ts, in that order: 1000 requests each,
// p99 10 times p50, and for a Lambda function colds cold starts.
func writeTargets(t *testing.T, reports, id, scen string, started time.Time, ts ...trendTarget) {
	t.Helper()
	dir := filepath.Join(reports, id)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := runs.Summary{RunID: id, Scenario: scen, Started: started, Runtime: "process", Targets: map[string]record.TargetSummary{}}
	var recorded []*record.Target
	for _, tg := range ts {
		ok := int64(1000)
		if tg.colds > 0 {
			ok = 990
		}
		st := record.TargetSummary{Kind: tg.kind, ColdStarts: tg.colds, Classes: map[record.Class]record.Stats{
			record.All: {Requests: 1000, OK: ok, Latency: record.Latency{P50: tg.p50, P99: 10 * tg.p50, P999: 100 * tg.p50}},
		}}
		if tg.kind == string(lambdaKind) {
			st.Classes[record.Cold] = record.Stats{Requests: int64(tg.colds), OK: int64(tg.colds)}
		}
		s.Targets[tg.name] = st
		rt, err := record.New(scenario.Target{Name: tg.name, Kind: scenario.Kind(tg.kind)}, []scenario.Phase{{Name: "steady", Duration: time.Second}}, started, nil).Close()
		if err != nil {
			t.Fatal(err)
		}
		recorded = append(recorded, rt)
	}
	if err := runs.WriteSummary(dir, &s); err != nil {
		t.Fatal(err)
	}
	if err := runs.WritePhasesFile(dir, started, recorded); err != nil {
		t.Fatal(err)
	}
}

func TestNewTrend(t *testing.T) {
	reports := t.TempDir()
	day := time.Date(2026, 3, 14, 2, 0, 0, 0, time.UTC)
	// Written out of order: the trend is in the order the runs started.
	writeSummary(t, reports, "c", "default", day.Add(48*time.Hour), 5)
	writeSummary(t, reports, "a", "default", day, 20)
	writeSummary(t, reports, "b", "burst", day.Add(24*time.Hour), 50)
	if err := os.Mkdir(filepath.Join(reports, "not-a-run"), 0o755); err != nil {
		t.Fatal(err)
	}

	tr, err := NewTrend(reports, TrendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range tr.Runs {
		ids = append(ids, r.ID)
	}
	if got := strings.Join(ids, " "); got != "a b c" {
		t.Errorf("runs %q, want a b c", got)
	}
	if got := strings.Join(tr.Scenarios, " "); got != "burst default" {
		t.Errorf("scenarios %q", got)
	}
	if got := strings.Join(tr.Targets, " "); got != "server lambda" {
		t.Errorf("targets %q", got)
	}
	a := tr.Runs[0]
	if a.Link != "a/index.html" {
		t.Errorf("link %q, want a/index.html", a.Link)
	}
	if l := a.Targets["lambda"]; l.ColdRate != 0.02 || l.P99 != 19_000 || l.P999 != 190_000 {
		t.Errorf("lambda %+v, want cold rate 0.02, p99 19000 µs", l)
	}
	if s := a.Targets["server"]; !math.IsNaN(s.ColdRate) || s.P50 != 900 {
		t.Errorf("server %+v, want no cold rate", s)
	}

	tr, err = NewTrend(reports, TrendOptions{Scenario: "default", PageDir: filepath.Join(reports, "pages")})
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Runs) != 2 || tr.Runs[1].ID != "c" || tr.Runs[1].Link != "../c/index.html" {
		t.Errorf("runs of default %+v, want a and c, linked from pages/", tr.Runs)
	}

	if _, err := NewTrend(reports, TrendOptions{Scenario: "nope"}); err == nil || !strings.Contains(err.Error(), "scenarios there: [burst default]") {
		t.Errorf("unknown scenario: %v", err)
	}
	if _, err := NewTrend(t.TempDir(), TrendOptions{}); err == nil || !strings.Contains(err.Error(), "no run folders") {
		t.Errorf("empty reports: %v", err)
	}
	if _, err := NewTrend(filepath.Join(reports, "missing"), TrendOptions{}); err == nil {
		t.Error("missing reports folder: no error")
	}
}

// TestTrendTargets follows four targets, two Lambda functions and two
// servers, over three runs that do not all have the same: each is followed
// by name, shows where it exists, and the targets come in the newest run's
// order, then those only older runs have.
func TestTrendTargets(t *testing.T) {
	reports := t.TempDir()
	day := time.Date(2026, 3, 14, 2, 0, 0, 0, time.UTC)
	small, big := trendTarget{"small-fn", "lambda", 2000, 30}, trendTarget{"big-fn", "lambda", 1500, 10}
	apiSmall, apiBig := trendTarget{"api-small", "server", 1000, 0}, trendTarget{"api-big", "server", 500, 0}
	writeTargets(t, reports, "1", "fleet", day, small, big, apiSmall, apiBig)
	writeTargets(t, reports, "2", "fleet", day.Add(24*time.Hour), small, apiSmall, apiBig, trendTarget{"edge-fn", "lambda", 3000, 100})
	big.p50 = 1600
	writeTargets(t, reports, "3", "fleet", day.Add(48*time.Hour), apiBig, big, small, apiSmall)

	tr, err := NewTrend(reports, TrendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tr.Targets, " "); got != "api-big big-fn small-fn api-small edge-fn" {
		t.Errorf("targets %q, want the newest run's order, then edge-fn of run 2", got)
	}
	for i, want := range [][]string{
		{"small-fn", "big-fn", "api-small", "api-big"},
		{"small-fn", "api-small", "api-big", "edge-fn"},
		{"api-big", "big-fn", "small-fn", "api-small"},
	} {
		r := tr.Runs[i]
		if !slices.Equal(r.Order, want) || len(r.Targets) != len(want) {
			t.Errorf("run %s: order %v, %d targets; want %v", r.ID, r.Order, len(r.Targets), want)
		}
	}
	var bigP50 []int64
	for _, r := range tr.Runs {
		if b, ok := r.Targets["big-fn"]; ok {
			bigP50 = append(bigP50, b.P50)
		}
		if _, ok := r.Targets["edge-fn"]; ok != (r.ID == "2") {
			t.Errorf("run %s has edge-fn: %v", r.ID, ok)
		}
		for name, tt := range r.Targets {
			if lambda := tt.Kind == "lambda"; lambda == math.IsNaN(tt.ColdRate) {
				t.Errorf("run %s, %s (%s): cold rate %v", r.ID, name, tt.Kind, tt.ColdRate)
			}
		}
	}
	if !slices.Equal(bigP50, []int64{1500, 1600}) {
		t.Errorf("big-fn p50 over the runs %v, want 1500 then 1600 (not in run 2)", bigP50)
	}
	if c := tr.Runs[1].Targets["edge-fn"].ColdRate; c != 0.1 {
		t.Errorf("edge-fn cold rate %v, want 0.1", c)
	}
}
