package compare

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"time"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
)

// Trend follows the runs of a reports folder over time, oldest first: per
// run and target, the percentiles of all requests and, for a target that
// tells cold starts apart (a Lambda function), the share of requests that
// were cold starts. Targets are followed by name from run to run, however
// many a run has; a target that only some runs have shows in those.
type Trend struct {
	Dir      string // the reports folder
	Scenario string // only runs of this scenario; "" for all
	Runs     []TrendRun
	// Scenarios lists the scenarios of the runs shown, sorted.
	Scenarios []string
	// Targets lists the targets of the runs shown: the newest run's in
	// its order (runs.TargetOrder, the scenario's), then those of older
	// runs it lacks, newest run first, each in its run's order.
	Targets []string
}

// TrendRun is one run of a Trend.
type TrendRun struct {
	ID          string
	Dir         string
	Scenario    string
	Runtime     string
	Started     time.Time
	Interrupted bool
	// Link is the run's report page relative to TrendOptions.PageDir,
	// with forward slashes.
	Link    string
	Targets map[string]TrendTarget
	// Order lists the run's targets in its order (runs.TargetOrder).
	Order []string
}

// TrendTarget is what one target did in one run, from its summary.json:
// the latencies of its successful responses (class all), in µs, less host
// wait where the run measured it (Net).
type TrendTarget struct {
	Kind       string // scenario.Kind, as the run's summary says it
	Requests   int64
	OK         int64
	P50        int64
	P99        int64
	P999       int64
	ColdStarts int
	// ColdRate is cold starts per request, from 0 to 1; NaN for a target
	// without cold starts to count (a server) or without requests.
	ColdRate float64
	// Net says P50, P99 and P999 are less host wait (record.Stats.Net),
	// as the run measured it; RawP50, RawP99 and RawP999 are then the
	// latencies as measured.
	Net                     bool
	RawP50, RawP99, RawP999 int64
}

// TrendOptions choose the runs of a trend and where its page goes.
type TrendOptions struct {
	Scenario string // only runs of this scenario; "" for all
	// PageDir is the folder the trend page is written to, for the links
	// to the runs' reports (default: the reports folder).
	PageDir string
}

// NewTrend reads the summaries of the run folders under reports, oldest
// first. It is an error if there is none (of the scenario asked for).
func NewTrend(reports string, o TrendOptions) (*Trend, error) {
	dirs, err := runs.List(reports)
	if err != nil {
		return nil, fmt.Errorf("trend: %w", err)
	}
	if o.PageDir == "" {
		o.PageDir = reports
	}
	t := &Trend{Dir: reports, Scenario: o.Scenario}
	others := map[string]bool{}
	for _, dir := range dirs {
		s, err := runs.ReadSummary(dir)
		if err != nil {
			return nil, fmt.Errorf("trend: %w", err)
		}
		if o.Scenario != "" && s.Scenario != o.Scenario {
			others[s.Scenario] = true
			continue
		}
		r := trendRun(dir, s, o.PageDir)
		if r.Order, err = runs.TargetOrder(dir, s); err != nil {
			return nil, fmt.Errorf("trend: %s: %w", dir, err)
		}
		t.Runs = append(t.Runs, r)
	}
	if len(t.Runs) == 0 {
		if o.Scenario != "" {
			have := make([]string, 0, len(others))
			for s := range others {
				have = append(have, s)
			}
			slices.Sort(have)
			return nil, fmt.Errorf("trend: no runs of scenario %q in %s (scenarios there: %v)", o.Scenario, reports, have)
		}
		return nil, fmt.Errorf("trend: no run folders in %s: coldbench run writes them there", reports)
	}
	scen := map[string]bool{}
	for i := len(t.Runs) - 1; i >= 0; i-- {
		r := t.Runs[i]
		scen[r.Scenario] = true
		for _, name := range r.Order {
			if !slices.Contains(t.Targets, name) {
				t.Targets = append(t.Targets, name)
			}
		}
	}
	for s := range scen {
		t.Scenarios = append(t.Scenarios, s)
	}
	slices.Sort(t.Scenarios)
	return t, nil
}

// trendRun returns the trend entry of the run folder dir with summary s.
func trendRun(dir string, s *runs.Summary, pageDir string) TrendRun {
	r := TrendRun{
		ID: s.RunID, Dir: dir, Scenario: s.Scenario, Runtime: s.Runtime,
		Started: s.Started, Interrupted: s.Interrupted,
		Targets: make(map[string]TrendTarget, len(s.Targets)),
	}
	if r.ID == "" {
		r.ID = filepath.Base(dir)
	}
	r.Link = filepath.ToSlash(relative(pageDir, filepath.Join(dir, runs.ReportFile)))
	for name, ts := range s.Targets {
		all := ts.Classes[record.All]
		tt := TrendTarget{
			Kind: ts.Kind, Requests: all.Requests, OK: all.OK, P50: all.P50, P99: all.P99, P999: all.P999,
			ColdStarts: ts.ColdStarts, ColdRate: math.NaN(),
		}
		if n := all.Net; n != nil {
			tt.Net, tt.RawP50, tt.RawP99, tt.RawP999 = true, tt.P50, tt.P99, tt.P999
			tt.P50, tt.P99, tt.P999 = n.P50, n.P99, n.P999
		}
		_, split := ts.Classes[record.Cold]
		if (split || ts.ColdStarts > 0) && all.Requests > 0 {
			tt.ColdRate = float64(ts.ColdStarts) / float64(all.Requests)
		}
		r.Targets[name] = tt
	}
	return r
}

// relative returns the path of target from the folder from, or target
// itself if there is none.
func relative(from, target string) string {
	a, err1 := filepath.Abs(from)
	b, err2 := filepath.Abs(target)
	if err1 != nil || err2 != nil {
		return target
	}
	if rel, err := filepath.Rel(a, b); err == nil {
		return rel
	}
	return target
}
