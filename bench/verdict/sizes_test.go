package verdict_test

import (
	"reflect"
	"testing"

	"github.com/coldbench/coldbench/bench/kinds/all"

	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/bench/verdict"
)

func TestBestSizes(t *testing.T) {
	sc, err := scenario.Parse("x.yaml", []byte(`targets:
  fn: {kind: lambda, sweep: [128, 512, 1024]}
  api: {kind: server}
  gn: {kind: lambda, sweep: [256]}
phases: [{duration: 1s, shape: idle}]
`), all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	// The ranking as Judge orders it: those that meet every objective
	// naming them, cheapest first, then the others. fn-128 is the
	// cheapest size of fn but breaks an objective; gn's only size does.
	v := verdict.Verdict{Ranking: []verdict.Standing{
		{Target: "api", Monthly: 5, Priced: true},
		{Target: "fn-512", Monthly: 7, Priced: true, Judged: 1, Met: 1},
		{Target: "fn-1024", Monthly: 9, Priced: true, Judged: 1, Met: 1},
		{Target: "fn-128", Monthly: 3, Priced: true, Judged: 1, Broken: 1},
		{Target: "gn-256", Monthly: 1, Priced: true, Judged: 1, Broken: 1},
	}}
	got := verdict.BestSizes(v, sc.Targets)
	want := []verdict.BestSize{
		{Sweep: "fn", Target: "fn-512", MemoryMB: 512, Monthly: 7, Priced: true},
		{Sweep: "gn"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("BestSizes =\n%+v\nwant\n%+v", got, want)
	}
	if got := verdict.BestSizes(v, sc.Targets[3:4]); len(got) != 0 {
		t.Errorf("BestSizes without a sweep = %+v, want none", got)
	}
}
