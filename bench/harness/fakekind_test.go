package harness_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/compare"
	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/harness"
	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/merge"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
)

// fleet is a kind that exists in this test only: instances that serve
// many requests at once, priced per instance-hour, of which the first
// request of each is cold. It is registered in a Registry of the test,
// nowhere else, so that TestFakeKind proves no shared package needs to
// know a kind to parse, run, record, summarise, price, rank, report,
// compare and merge its targets.
type fleet struct{}

// fleetSettings are a fleet target's settings (its keys instances and
// hourly).
type fleetSettings struct {
	Instances int
	Hourly    float64
}

const fleetCold = "X-Fleet-Cold"

var (
	_ kinds.Kind         = fleet{}
	_ scenario.Formatter = fleet{}
	_ kinds.Usage        = fleetUsage{}
)

func (fleet) Kind() scenario.Kind { return "fleet" }
func (fleet) Keys() []string      { return []string{"instances", "hourly"} }

func (fleet) Parse(p *scenario.Parser, f map[string]scenario.Field, t *scenario.Target) {
	c := fleetSettings{Instances: 1, Hourly: 0.1}
	if e := f["instances"].Value; e != nil {
		if n, ok := p.Integer(e, p.Sec+".instances"); ok && n < 1 {
			p.Errorf(e, "%s.instances must be at least 1, not %d", p.Sec, n)
		} else if ok {
			c.Instances = n
		}
	}
	if e := f["hourly"].Value; e != nil {
		c.Hourly, _ = p.Number(e, p.Sec+".hourly")
	}
	t.Settings = c
	t.Classes, t.ColdHeader = []string{"all", "cold", "warm"}, fleetCold
}

func (fleet) Format(t scenario.Target) map[string]any {
	c := t.Settings.(fleetSettings)
	return map[string]any{"instances": c.Instances, "hourly": c.Hourly}
}

// Start serves the target on loopback: each instance's first request is
// cold.
func (fleet) Start(ctx context.Context, t scenario.Target, env kinds.Env) (kinds.Running, error) {
	c := t.Settings.(fleetSettings)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &fleetRun{settings: c, l: l}
	r.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := r.served.Add(1)
		w.Header().Set(fleetCold, fmt.Sprint(n <= int64(c.Instances)))
		fmt.Fprintln(w, "ok")
	})}
	go r.srv.Serve(l)
	return r, nil
}

type fleetRun struct {
	settings fleetSettings
	l        net.Listener
	srv      *http.Server
	served   atomic.Int64
}

func (r *fleetRun) URL() string            { return "http://" + r.l.Addr().String() }
func (r *fleetRun) Timeout() time.Duration { return 5 * time.Second }

func (r *fleetRun) Stop(ctx context.Context, rec *record.Target) (kinds.Report, error) {
	err := r.srv.Shutdown(ctx)
	return kinds.Report{
		Counters: record.Counters{
			{Key: "instances", Label: "instances", Value: int64(r.settings.Instances), Merge: record.MergeMax, Report: true},
			{Key: "served", Label: "requests served", Value: r.served.Load(), Merge: record.MergeSum},
		},
		Usage: fleetUsage{r.settings},
		Code:  &record.Code{Form: "fleet", Path: "test"},
	}, err
}

// fleetUsage prices a fleet by the hour, whatever its traffic.
type fleetUsage struct{ c fleetSettings }

func (u fleetUsage) Price(p cost.Prices, c cost.Config, in cost.Input) (*cost.Result, error) {
	monthly := float64(u.c.Instances) * u.c.Hourly * 730
	src := "the scenario's hourly price × 730 hours"
	return &cost.Result{PriceVersion: p.Version, Region: p.Region, Config: c, Input: in, Model: &cost.View{
		Monthly:    cost.Figure{Value: monthly, Unit: "USD/month", Source: src},
		PerMillion: cost.Figure{Value: monthly / (float64(in.Traffic.Requests) * in.Traffic.Repeats()) * 1e6, Unit: "USD", Source: src},
		Parts:      []cost.Figure{{Name: "instances", Value: monthly, Unit: "USD/month", Source: src}},
		As:         fmt.Sprintf("%d fleet instances", u.c.Instances), Short: "fleet", Brief: "on a fleet", AlwaysOn: true,
	}}, nil
}

func (u fleetUsage) Scaled(int64) (kinds.Usage, string) {
	return u, "a fleet costs the same at any traffic"
}

// TestFakeKind runs a scenario of a kind only this test knows through
// every step: parse, run, summary, report, verdict, compare and merge.
func TestFakeKind(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the harness; skipped with -short")
	}
	reg, err := all.Kinds(all.Options{})
	if err != nil {
		t.Fatal(err)
	}
	reg = append(reg, fleet{})
	dir := t.TempDir()
	path := filepath.Join(dir, "fleet.yaml")
	src := "targets:\n  pool:\n    kind: fleet\n    instances: 3\n    hourly: 0.05\n" +
		"objectives: [pool/warm p99 < 1s]\n" +
		"phases:\n  - {name: steady, duration: 3s, shape: constant, rate: 40}\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}

	// Parse: the kind's keys are read, and misspelt ones are reported
	// with the kind's own list, at their line.
	bad := strings.Replace(src, "instances: 3", "instance: 3", 1)
	if _, err := scenario.Parse(path, []byte(bad), reg.Specs()); err == nil || !strings.Contains(err.Error(), `fleet.yaml:4: unknown key "instance" in targets.pool (did you mean "instances"?)`) {
		t.Errorf("misspelt key: %v", err)
	}
	if _, err := scenario.Parse(path, []byte(src), all.Specs()); err == nil || !strings.Contains(err.Error(), `unknown kind "fleet"`) {
		t.Errorf("without the kind registered: %v, want unknown kind", err)
	}
	sc, err := scenario.Load(path, reg.Specs())
	if err != nil {
		t.Fatal(err)
	}
	if c := sc.Targets[0].Settings.(fleetSettings); c.Instances != 3 || c.Hourly != 0.05 {
		t.Fatalf("settings %+v", c)
	}

	// Run twice at once, as two load generators would, for compare and
	// merge.
	kit.Binaries(t)
	reports := filepath.Join(dir, "reports")
	folders := make([]string, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			res, err := harness.Run(context.Background(), harness.Config{
				Scenario: sc, ReportsDir: reports, BinDir: kit.Dir(), RunID: fmt.Sprint("fleet-", i), Progress: testWriter{t}, Kinds: reg,
			})
			if res != nil {
				folders[i] = res.Dir
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	r0, err := runs.Load(folders[0])
	if err != nil {
		t.Fatal(err)
	}
	sum := r0.Summary

	// Summary: classes by the kind's header, counters, price.
	ts := sum.Targets["pool"]
	if ts.Kind != "fleet" || ts.Classes[record.Cold].Requests != 3 || ts.Classes[record.Warm].Requests == 0 {
		t.Errorf("summary of pool: kind %q, classes %+v; want fleet, 3 cold and some warm", ts.Kind, ts.Classes)
	}
	if v, ok := ts.Counters.Get("instances"); !ok || v != 3 {
		t.Errorf("counter instances = %d, %v; want 3", v, ok)
	}
	if m, ok := sum.Costs["pool"].Priced(); !ok || math.Abs(m-3*0.05*730) > 1e-9 {
		t.Errorf("monthly %v, %v; want %v", m, ok, 3*0.05*730)
	}

	// Verdict: ranked, and the objective judged on its warm class.
	if v := sum.Verdict; v == nil || len(v.Ranking) != 1 || v.Ranking[0].Target != "pool" || v.Best != "pool" {
		t.Errorf("verdict %+v: want pool ranked and best", sum.Verdict)
	}
	if len(sum.Objectives) != 1 || sum.Objectives[0].Class != "warm" {
		t.Errorf("objectives %+v", sum.Objectives)
	}

	// Report: the target, its counter and its price.
	page, err := os.ReadFile(filepath.Join(folders[0], runs.ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"pool (fleet", "instances", "3 fleet instances", "$110"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report lacks %q", want)
		}
	}

	// Compare: the two runs' classes of pool are compared.
	r1, err := runs.Load(folders[1])
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := compare.Compare(r0, r1, compare.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var compared []string
	for _, s := range cmp.Series {
		compared = append(compared, s.Tag)
	}
	if !strings.Contains(strings.Join(compared, " "), "pool/warm") {
		t.Errorf("compared %v, want pool/warm among them", compared)
	}

	// Merge: counters by their own rules, the scenario read with the kind.
	m, err := merge.Merge([]*runs.Run{r0, r1}, merge.Options{Kinds: reg.Specs()})
	if err != nil {
		t.Fatal(err)
	}
	mt := m.Summary.Targets["pool"]
	if v, _ := mt.Counters.Get("instances"); v != 3 {
		t.Errorf("merged instances = %d, want 3 (max)", v)
	}
	s0, _ := ts.Counters.Get("served")
	s1, _ := r1.Summary.Targets["pool"].Counters.Get("served")
	if v, _ := mt.Counters.Get("served"); v != s0+s1 {
		t.Errorf("merged served = %d, want the sum", v)
	}
	if m.Scenario == nil || m.Scenario.Targets[0].Settings == nil {
		t.Errorf("merged scenario %+v: want the file read with the fleet kind", m.Scenario)
	}
	if err := m.Write(context.Background(), filepath.Join(dir, "merged")); err != nil {
		t.Fatal(err)
	}
}
