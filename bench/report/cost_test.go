package report

import (
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/cost"
)

// syntheticCosts prices each target of the synthetic run alone: its
// schedule sends 13,800 requests in 360 s (warmup 1,200, the ramp 6,600,
// the wave 6,000), 200 requests/s at the peak; Lambda billed 23,980 ms for
// its 6,023 invocations; the server served 10,010 requests with 4.2 s of
// CPU.
func syntheticCosts() map[string]*cost.Result {
	traffic := cost.Traffic{Seconds: 360, Requests: 13800, AverageRate: 13800.0 / 360, PeakRate: 200, Source: "the phases"}
	return map[string]*cost.Result{
		"lambda": price(cost.Config{}, cost.Input{Traffic: traffic, Lambda: &cost.LambdaUsage{
			MemoryMB: 512, Requests: 6035, Throttled: 12, Invocations: 6023,
			BilledMs: 23980, BilledRows: 6023, ColdStarts: 23, InitMs: 1840, InitInBilled: true,
			Source: "synthetic",
		}}),
		"server": price(cost.Config{}, cost.Input{Traffic: traffic, Server: &cost.ServerUsage{Requests: 10010, Served: 10010, CPUSeconds: 4.2, Source: "synthetic"}}),
	}
}

// price prices in with c, panicking on error: the inputs of the tests are
// fixed.
func price(c cost.Config, in cost.Input) *cost.Result {
	p, err := cost.Default()
	if err != nil {
		panic(err)
	}
	r, err := cost.Compute(p, c, in)
	if err != nil {
		panic(err)
	}
	return r
}

func TestCostSection(t *testing.T) {
	out := render(t, synthetic())
	section := out[strings.Index(out, `<section id="cost">`):]
	section = section[:strings.Index(section, "</section>")]
	for _, want := range []string{
		"<h2>Cost</h2>",
		"In us-east-1 with the prices of 2026-11-26, each target priced alone",
		"<td class=\"l\">x86_64, 512 MB</td>", "1 × t4g.small (at least 1, each at 60% of its CPU at the peak)",
		"per million requests", "a month at this pattern", "instances at the peak rate", "break-even average rate against server",
		"<td>1 × t4g.small</td>",
		"invocations.csv", "price file 2026-11-26",
		"aws.amazon.com/lambda/pricing/", // as text: the page fetches nothing
		"measured on this machine, not in AWS",
		"lambda against server: At ", "server becomes cheaper than lambda.",
		"<svg", "this scenario: 38.3 req/s", "break-even of lambda and server",
	} {
		if !strings.Contains(section, want) {
			t.Errorf("cost section lacks %q", want)
		}
	}
	if strings.Contains(section, "the server becomes cheaper than Lambda") {
		t.Error("the break-even does not name the targets")
	}
	if !strings.Contains(out, `<section id="summary">`) || strings.Index(out, `<section id="cost">`) < strings.Index(out, `<section id="summary">`) {
		t.Error("the cost section is not after the summary")
	}

	// Without a price, no section; arm64 provisioned concurrency without
	// its price says why.
	in := synthetic()
	in.Costs = nil
	if out := render(t, in); strings.Contains(out, `id="cost"`) {
		t.Error("a cost section without a cost")
	}
	in.Costs = syntheticCosts()
	in.Costs["lambda"].Lambda = &cost.LambdaCost{Unpriced: "the price file 2026-11-26 has no arm64 provisioned-concurrency prices"}
	out = render(t, in)
	if !strings.Contains(out, "not priced: the price file 2026-11-26 has no arm64 provisioned-concurrency prices") {
		t.Error("an unpriced Lambda is not said")
	}
	if strings.Contains(out, "break-even of lambda") {
		t.Error("a break-even for an unpriced function")
	}
}

func TestMoney(t *testing.T) {
	for v, want := range map[float64]string{
		0: "$0", 0.000366667: "$0.000367", 0.367: "$0.367", 9.636: "$9.64", 12.264: "$12.3", 146: "$146", 1234.5: "$1,235", 1234567: "$1,234,567",
	} {
		if got := dollars(v); got != want {
			t.Errorf("dollars(%g) = %q, want %q", v, got, want)
		}
	}
}
