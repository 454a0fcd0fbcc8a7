package report

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/compare"
)

// syntheticTrend returns seven nightly runs of one scenario: the server
// steady at p99 2.0 ms, Lambda's p99 growing by 10% a night, a cold-start
// rate that halves on the fifth night, and the fourth run interrupted.
func syntheticTrend() *compare.Trend {
	t := &compare.Trend{
		Dir: "reports", Scenario: "default", Scenarios: []string{"default"},
		Targets: []string{"server", "lambda"},
	}
	night := time.Date(2026, 3, 8, 2, 0, 0, 0, time.UTC)
	for i := range 7 {
		id := night.Format("20060102-150405") + "-default"
		grow := math.Pow(1.1, float64(i))
		colds := 40
		if i >= 4 {
			colds = 20
		}
		t.Runs = append(t.Runs, compare.TrendRun{
			ID: id, Dir: "reports/" + id, Scenario: "default", Runtime: "process",
			Started: night, Interrupted: i == 3, Link: id + "/index.html",
			Targets: map[string]compare.TrendTarget{
				"server": {Requests: 6000, OK: 6000, P50: 1000 + int64(i*10), P99: 2000, P999: 3500, ColdRate: math.NaN()},
				"lambda": {
					Requests: 6000, OK: 5990, P50: 2500, P99: int64(5000 * grow), P999: 180_000,
					ColdStarts: colds, ColdRate: float64(colds) / 6000,
				},
			},
		})
		night = night.Add(24 * time.Hour)
	}
	return t
}

func renderTrend(t *testing.T, tr *compare.Trend) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteTrend(&buf, tr); err != nil {
		t.Fatalf("WriteTrend: %v", err)
	}
	return buf.String()
}

func TestWriteTrend(t *testing.T) {
	out := renderTrend(t, syntheticTrend())
	for _, want := range []string{
		"<h1>coldbench trend: default</h1>", "7 runs in reports", "from 2026-03-08 02:00:00 UTC", "to 2026-03-14 02:00:00 UTC",
		"Latency, run after run", "Cold starts",
		// Newest first, linked relatively; the server has no cold-start
		// columns, Lambda has.
		`<tr><td class="l">2026-03-14 02:00:00 UTC</td><td class="l"><a href="20260314-020000-default/index.html">20260314-020000-default</a></td><td class="l">default</td><td class="l">process</td><td class="first">1.06</td><td>2.00</td><td>3.50</td><td class="first">2.50</td><td>8.86</td><td>180</td><td>20</td><td>0.33%</td></tr>`,
		`20260311-020000-default</a> <span class="flag">interrupted</span>`,
		`<th class="group" colspan="3">server</th><th class="group" colspan="5">lambda</th>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if i, j := strings.Index(out, "20260314-020000-default/index"), strings.Index(out, "20260308-020000-default/index"); i < 0 || j < i {
		t.Error("runs are not newest first")
	}
	if n := strings.Count(out, "<svg"); n != 2 {
		t.Errorf("page has %d charts, want 2", n)
	}
	selfContained(t, out)
}

func TestTrendEdgeCases(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(tr *compare.Trend)
		want   []string
		charts int
	}{
		{"one run", func(tr *compare.Trend) { tr.Runs = tr.Runs[:1] }, []string{"1 run in reports"}, 2},
		{"server only", func(tr *compare.Trend) {
			tr.Targets = tr.Targets[:1]
			for _, r := range tr.Runs {
				delete(r.Targets, "lambda")
			}
		}, []string{`<th class="group" colspan="3">server</th></tr>`}, 1},
		{"no successful responses", func(tr *compare.Trend) {
			for _, r := range tr.Runs {
				for name, tt := range r.Targets {
					tt.OK = 0
					r.Targets[name] = tt
				}
			}
		}, []string{"No run has successful responses to plot."}, 1},
		{"many runs", func(tr *compare.Trend) {
			for i := range 40 {
				r := tr.Runs[i%7]
				r.ID = fmt.Sprintf("run-%02d", i)
				r.Started = time.Time{}
				tr.Runs = append(tr.Runs, r)
			}
		}, []string{"47 runs in reports", "run-39"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := syntheticTrend()
			tc.change(tr)
			out := renderTrend(t, tr)
			for _, want := range tc.want {
				if !strings.Contains(out, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			if n := strings.Count(out, "<svg"); n != tc.charts {
				t.Errorf("page has %d charts, want %d", n, tc.charts)
			}
			selfContained(t, out)
		})
	}
}

func TestRunLabels(t *testing.T) {
	tr := syntheticTrend()
	rs := tr.Runs[:2]
	if got := runLabels(rs, "01-02 15:04"); got[0] != "03-08 02:00" || got[1] != "03-09 02:00" {
		t.Errorf("nightly labels %q", got)
	}
	rs[1].Started = rs[0].Started.Add(30 * time.Second)
	if got := runLabels(rs, "01-02 15:04"); got[0] != "03-08 02:00:00" || got[1] != "03-08 02:00:30" {
		t.Errorf("labels of runs a minute apart %q, want seconds", got)
	}
	rs[0].Started = time.Time{}
	if got := runLabels(rs, "01-02 15:04"); got[0] != rs[0].ID {
		t.Errorf("label of a run without start time %q, want its id", got[0])
	}
}

func TestTrendGolden(t *testing.T) {
	goldenPage(t, "trend.golden.html", renderTrend(t, syntheticTrend()))
}
