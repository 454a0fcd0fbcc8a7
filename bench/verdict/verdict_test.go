package verdict_test

import (
	"testing"

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
`))
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

func TestColdStartTax(t *testing.T) {
	tax := verdict.ColdStartTax(run())
	if tax == nil {
		t.Fatal("no tax for a run with both targets")
	}
	if tax.ColdStarts != 10 || tax.Requests != 1000 || tax.ColdRate() != 0.01 {
		t.Errorf("cold starts %d of %d (%g)", tax.ColdStarts, tax.Requests, tax.ColdRate())
	}
	// p99 of lambda: the 990th of 1000 values is the last warm one; p99.9
	// is cold.
	if tax.LambdaP99 != 2000 || tax.LambdaP999 < 299_000 || tax.ServerP99 != 990 || tax.ServerP999 != 999 {
		t.Errorf("tax = %+v", tax)
	}
	if verdict.ColdStartTax(run()[:1]) != nil {
		t.Error("a run without lambda has a tax")
	}
}
