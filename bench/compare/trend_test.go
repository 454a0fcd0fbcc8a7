package compare

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
)

// writeSummary writes a run folder under reports holding only summary.json.
func writeSummary(t *testing.T, reports, id, scenario string, started time.Time, colds int) {
	t.Helper()
	dir := filepath.Join(reports, id)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := runs.Summary{
		RunID: id, Scenario: scenario, Started: started, Runtime: "process",
		Targets: map[string]record.TargetSummary{
			"server": {Classes: map[record.Class]record.Stats{record.All: {Requests: 1000, OK: 1000, Latency: record.Latency{P50: 900, P99: 2000, P999: 3000}}}},
			"lambda": {ColdStarts: colds, Classes: map[record.Class]record.Stats{
				record.All:  {Requests: 1000, OK: 990, Latency: record.Latency{P50: 1900, P99: 9000, P999: 150_000}},
				record.Cold: {Requests: int64(colds), OK: int64(colds)},
			}},
		},
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, runs.SummaryFile), b, 0o644); err != nil {
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
	if l := a.Targets["lambda"]; l.ColdRate != 0.02 || l.P99 != 9000 || l.P999 != 150_000 {
		t.Errorf("lambda %+v, want cold rate 0.02, p99 9000 µs", l)
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
