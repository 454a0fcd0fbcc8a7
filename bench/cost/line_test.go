package cost_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/cost"
)

// TestAlone prices each target of run alone and checks that its line and
// the break-even of the two match what Compute gives for the pair, and
// that a price decoded from JSON says the same.
func TestAlone(t *testing.T) {
	pair := compute(t, cost.Config{}, run())
	fnIn, srvIn := run(), run()
	fnIn.Server, srvIn.Lambda = nil, nil
	fn, srv := compute(t, cost.Config{}, fnIn), compute(t, cost.Config{}, srvIn)
	if fn.Series != nil || fn.BreakEven != nil || srv.Series != nil {
		t.Error("a target priced alone has the pair's series or break-even")
	}
	lo, hi, ok := cost.ChartRange(srv.Input.Traffic)
	if !ok || !near(lo, 0.01) || !near(hi, 10000) {
		t.Fatalf("chart range %g..%g, %v", lo, hi, ok)
	}
	fl, sl := fn.Line(lo, hi), srv.Line(lo, hi)
	if len(sl) != len(pair.Series) || len(fl) != 61 {
		t.Fatalf("%d and %d points, the pair %d", len(fl), len(sl), len(pair.Series))
	}
	for i, pt := range pair.Series {
		if !near(sl[i].Rate, pt.Rate) || !near(sl[i].Monthly, pt.Server) || sl[i].Instances != pt.Instances {
			t.Errorf("server point %d = %+v, the pair's %+v", i, sl[i], pt)
		}
	}
	for _, l := range fl {
		if want := fn.Lambda.Scaling.Monthly(l.Rate); !near(l.Monthly, want) || l.Instances != 0 {
			t.Errorf("function point %+v, want %g", l, want)
		}
	}
	if !near(fn.Lambda.Scaling.Monthly(10), fn.Lambda.Monthly.Value) || !near(srv.Server.Scaling.Monthly(10), srv.Server.Monthly.Value) {
		t.Error("a scaling does not give the monthly cost at the scenario's rate")
	}

	// Decoded from summary.json, as a report of a finished run reads it.
	var back cost.Result
	b, err := json.Marshal(srv)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	be := cost.BreakEvenOf(fn, "fn", &back, "srv")
	if be == nil || be.Found != pair.BreakEven.Found || !near(be.Rate.Value, pair.BreakEven.Rate.Value) || !near(be.Stays, pair.BreakEven.Stays) {
		t.Fatalf("break-even %+v, the pair's %+v", be, pair.BreakEven)
	}
	if !strings.Contains(be.Text, "srv becomes cheaper than fn") || !strings.Contains(pair.BreakEven.Text, "the server becomes cheaper than Lambda") {
		t.Errorf("texts %q and %q", be.Text, pair.BreakEven.Text)
	}
	if cost.BreakEvenOf(srv, "srv", fn, "fn") != nil || cost.BreakEvenOf(fn, "fn", nil, "") != nil {
		t.Error("a break-even of a server against a function")
	}
	if (&cost.Result{Lambda: &cost.LambdaCost{Unpriced: "x"}}).Line(lo, hi) != nil {
		t.Error("a line for an unpriced function")
	}
}
