package verdict_test

import (
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/kinds/all"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/bench/verdict"
)

// run returns a server whose 1,000 responses took 1..1000 µs, and a function
// whose 990 warm responses took 2 ms, 10 cold ones 300 ms, and 10 more
// requests were throttled; the function's corrected latencies add 1 ms to
// every warm one.
func run() []*record.Target {
	srv := series()
	for v := int64(1); v <= 1000; v++ {
		srv.Histogram.RecordValue(v)
		srv.Corrected.RecordValue(v)
	}
	srv.Counts = record.Counts{Requests: 1000}
	warm, cold, all := series(), series(), series()
	warm.Histogram.RecordValues(2000, 990)
	warm.Corrected.RecordValues(3000, 990)
	warm.Counts = record.Counts{Requests: 990}
	cold.Histogram.RecordValues(300_000, 10)
	cold.Corrected.RecordValues(300_000, 10)
	cold.Counts = record.Counts{Requests: 10}
	for _, s := range []*record.Series{warm, cold} {
		all.Histogram.Merge(s.Histogram)
		all.Corrected.Merge(s.Corrected)
	}
	all.Counts = record.Counts{Requests: 1010, Errors: 10}
	return []*record.Target{
		{Name: "server", Classes: map[record.Class]*record.Series{record.All: srv}},
		{Name: "lambda", Classes: map[record.Class]*record.Series{record.All: all, record.Warm: warm, record.Cold: cold, record.Provisioned: series()}},
	}
}

func series() *record.Series {
	return &record.Series{Histogram: record.NewHistogram(), Corrected: record.NewHistogram()}
}

func TestCheck(t *testing.T) {
	sc, err := scenario.Parse("x.yaml", []byte(`objectives:
  - server p99 < 1ms
  - server p99.9 < 1ms
  - lambda/warm p50 < 2500us
  - lambda p99.9 < 250ms
  - lambda error_rate < 1%
  - lambda error_rate < 1.5%
  - lambda/provisioned p99 < 1s
phases: [{duration: 1s, shape: idle}]
`), all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	got := verdict.Check(sc.Objectives, run())
	want := []string{
		"server p99 < 1ms: 0.99 ms, met",         // the 990th of 1..1000 µs
		"server p99.9 < 1ms: 0.999 ms, met",      // the 999th
		"lambda/warm p50 < 2500us: 3 ms, broken", // corrected: 2 ms measured + 1 ms late
		"lambda p99.9 < 250ms: 300 ms, broken",   // 10 of 1000 are cold (300,031 µs: the bucket's top)
		"lambda error_rate < 1%: 0.99%, met",     // 10 of 1010
		"lambda error_rate < 1.5%: 0.99%, met",
		"lambda/provisioned p99 < 1s: no provisioned responses to judge",
	}
	for i, o := range got {
		if o.String() != want[i] {
			t.Errorf("outcome %d = %q, want %q", i, o, want[i])
		}
	}
	if b := verdict.Broken(got); len(b) != 2 || b[0].Objective != "lambda/warm p50 < 2500us" {
		t.Errorf("broken = %v", b)
	}
	if !got[2].Corrected {
		t.Error("lambda/warm p50 not judged on the corrected histogram")
	}
}

// four returns four targets: the servers srv-a (run's server, 1..1000 µs)
// and srv-b (1..2000 µs, 20 requests of 1000 throttled), and the functions
// fn (run's function) and fn-big (like fn with 2 cold starts instead of
// 10); with their prices: srv-a $12 a month, srv-b $6, fn $3, fn-big
// unpriced.
func four() ([]*record.Target, map[string]*cost.Result) {
	r := run()
	srvA, fn := r[0], r[1]
	srvA.Name, srvA.Kind, fn.Name, fn.Kind = "srv-a", "server", "fn", "lambda"
	srvB := series()
	for v := int64(1); v <= 2000; v += 2 {
		srvB.Histogram.RecordValue(v)
		srvB.Corrected.RecordValue(v)
	}
	srvB.Counts = record.Counts{Requests: 1000, Errors: 20, Codes: map[int]int64{200: 980, 429: 20}}
	warm, cold, all := series(), series(), series()
	warm.Histogram.RecordValues(2000, 998)
	warm.Counts = record.Counts{Requests: 998}
	cold.Histogram.RecordValues(300_000, 2)
	cold.Counts = record.Counts{Requests: 2}
	all.Histogram.Merge(warm.Histogram)
	all.Histogram.Merge(cold.Histogram)
	all.Counts = record.Counts{Requests: 1000}
	targets := []*record.Target{
		srvA, fn,
		{Name: "srv-b", Kind: "server", Classes: map[record.Class]*record.Series{record.All: srvB}},
		{Name: "fn-big", Kind: "lambda", Classes: map[record.Class]*record.Series{record.All: all, record.Warm: warm, record.Cold: cold}},
	}
	costs := map[string]*cost.Result{
		"srv-a":  {Server: &cost.ServerCost{Monthly: cost.Figure{Value: 12}}},
		"srv-b":  {Server: &cost.ServerCost{Monthly: cost.Figure{Value: 6}}},
		"fn":     {Lambda: &cost.LambdaCost{Monthly: cost.Figure{Value: 3}}},
		"fn-big": {Lambda: &cost.LambdaCost{Unpriced: "no price"}},
	}
	return targets, costs
}

func objectives(t *testing.T, lines ...string) []scenario.Objective {
	t.Helper()
	src := "targets:\n"
	for _, n := range []string{"srv-a", "srv-b"} {
		src += "  " + n + ": {kind: server}\n"
	}
	for _, n := range []string{"fn", "fn-big"} {
		src += "  " + n + ": {kind: lambda}\n"
	}
	src += "objectives:\n"
	for _, l := range lines {
		src += "  - " + l + "\n"
	}
	sc, err := scenario.Parse("x.yaml", []byte(src+"phases: [{duration: 1s, shape: idle}]\n"), all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	return sc.Objectives
}

func names(ss []verdict.Standing) string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Target)
	}
	return strings.Join(out, " ")
}

func TestJudge(t *testing.T) {
	targets, costs := four()
	// fn breaks its objective (p99.9 is cold, 300 ms), srv-b its own
	// (p99 1.98 ms); srv-a and fn-big meet theirs, fn-big having none.
	obj := objectives(t, "fn p99.9 < 250ms", "srv-b p99 < 1ms", "srv-a p99 < 1ms")
	v := verdict.Judge(targets, verdict.Check(obj, targets), costs)
	// Meeting every objective: srv-a ($12), then fn-big, unpriced; then
	// fn ($3) and srv-b ($6), each meeting none, by cost.
	if got := names(v.Ranking); got != "srv-a fn-big fn srv-b" {
		t.Errorf("ranking %q", got)
	}
	if v.Best != "srv-a" || v.Reference != "srv-a" {
		t.Errorf("best %q, reference %q; want srv-a, srv-a", v.Best, v.Reference)
	}
	byName := map[string]verdict.Standing{}
	for _, s := range v.Ranking {
		byName[s.Target] = s
	}
	if s := byName["srv-b"]; s.Throttled != 20 || s.ThrottleRate() != 0.02 || s.ErrorRate() != 0.02 || !s.Priced || s.Monthly != 6 || s.HasCold || s.P99 != 1979 {
		t.Errorf("srv-b %+v", s)
	}
	if s := byName["fn"]; !s.HasCold || s.ColdStarts != 10 || s.Relayed != 1000 || s.ColdShare() != 0.01 ||
		!s.Corrected || s.P50 != 3001 || s.P999 < 299_000 || s.Judged != 1 || s.Broken != 1 {
		t.Errorf("fn %+v", s)
	}
	if s := byName["fn-big"]; s.Priced || s.Corrected || s.Judged != 0 || !s.MeetsAll() || s.ColdShare() != 0.002 {
		t.Errorf("fn-big %+v", s)
	}
	// A tax for each function, against srv-a, in run order.
	if len(v.Taxes) != 2 || v.Taxes[0].Target != "fn" || v.Taxes[1].Target != "fn-big" || v.Taxes[1].Reference != "srv-a" {
		t.Fatalf("taxes %+v", v.Taxes)
	}
	if tax := v.Taxes[0]; tax.ColdStarts != 10 || tax.Requests != 1000 || tax.ColdRate() != 0.01 ||
		tax.P99 != 2000 || tax.P999 < 299_000 || tax.RefP99 != 990 || tax.RefP999 != 999 {
		t.Errorf("fn's tax %+v", tax)
	}
}

func TestJudgeNoneMeetsAll(t *testing.T) {
	targets, costs := four()
	// srv-a breaks one of two, srv-b one of one; fn meets one of two,
	// fn-big breaks its only one.
	obj := objectives(t, "srv-a p99 < 0.5ms", "srv-a error_rate < 1%", "srv-b p99 < 1ms",
		"fn p99.9 < 250ms", "fn p50 < 1s", "fn-big p99.9 < 250ms")
	v := verdict.Judge(targets, verdict.Check(obj, targets), costs)
	if v.Best != "" {
		t.Errorf("best %q, want none", v.Best)
	}
	// One met each for fn and srv-a, by cost; then none met: srv-b
	// priced, fn-big not.
	if got := names(v.Ranking); got != "fn srv-a srv-b fn-big" {
		t.Errorf("ranking %q", got)
	}
	// No server-like target meets all: the lowest p99 of them.
	if v.Reference != "srv-a" {
		t.Errorf("reference %q", v.Reference)
	}
}

func TestReference(t *testing.T) {
	targets, costs := four()
	// srv-a breaks its objective, srv-b meets its own: srv-b is the
	// reference, though slower.
	obj := objectives(t, "srv-a p99 < 0.5ms", "srv-b p99 < 5ms")
	if v := verdict.Judge(targets, verdict.Check(obj, targets), costs); v.Reference != "srv-b" || v.Best != "fn" {
		t.Errorf("reference %q, best %q; want srv-b, fn", v.Reference, v.Best)
	}
	// Without prices, a target without a cold class is server-like.
	v := verdict.Judge(targets, nil, nil)
	if v.Reference != "srv-a" || len(v.Taxes) != 2 || v.Best != "srv-a" {
		t.Errorf("unpriced: reference %q, best %q, %d taxes", v.Reference, v.Best, len(v.Taxes))
	}
	// Functions only: no reference, no tax.
	if v := verdict.Judge([]*record.Target{targets[1], targets[3]}, nil, costs); v.Reference != "" || v.Taxes != nil {
		t.Errorf("functions only: reference %q, taxes %v", v.Reference, v.Taxes)
	}
	if verdict.TaxOf(targets[1], &record.Target{Name: "empty"}) != nil {
		t.Error("a tax against a target without responses")
	}
}
