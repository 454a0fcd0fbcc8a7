package report

import (
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/cost"
)

// syntheticCost prices the synthetic run: its schedule sends 13,800
// requests in 360 s (warmup 1,200, the ramp 6,600, the wave 6,000), 200
// requests/s at the peak; Lambda billed 23,980 ms for its 6,023
// invocations; the server served 10,010 requests with 4.2 s of CPU.
func syntheticCost() *cost.Result {
	p, err := cost.Default()
	if err != nil {
		panic(err)
	}
	r, err := cost.Compute(p, cost.Config{}, cost.Input{
		Traffic: cost.Traffic{Seconds: 360, Requests: 13800, AverageRate: 13800.0 / 360, PeakRate: 200, Source: "the phases"},
		Lambda: &cost.LambdaUsage{
			MemoryMB: 512, Requests: 6035, Throttled: 12, Invocations: 6023,
			BilledMs: 23980, BilledRows: 6023, ColdStarts: 23, InitMs: 1840, InitInBilled: true,
			Source: "synthetic",
		},
		Server: &cost.ServerUsage{Requests: 10010, Served: 10010, CPUSeconds: 4.2, Source: "synthetic"},
	})
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
		"In us-east-1 with the prices of 2026-11-26: an x86_64 function, the server on t4g.small (at least 1, each at 60% of its CPU at the peak).",
		"per million requests", "a month at this pattern", "instances at the peak rate", "break-even average rate",
		"<td>1 × t4g.small</td>",
		"invocations.csv", "price file 2026-11-26",
		"aws.amazon.com/lambda/pricing/", // as text: the page fetches nothing
		"measured on this machine, not in AWS",
		"the server becomes cheaper than Lambda.",
		"<svg", "this scenario: 38.3 req/s",
	} {
		if !strings.Contains(section, want) {
			t.Errorf("cost section lacks %q", want)
		}
	}
	if !strings.Contains(out, `<section id="summary">`) || strings.Index(out, `<section id="cost">`) < strings.Index(out, `<section id="summary">`) {
		t.Error("the cost section is not after the summary")
	}

	// Without a price, no section; arm64 provisioned concurrency without
	// its price says why.
	in := synthetic()
	in.Cost = nil
	if out := render(t, in); strings.Contains(out, `id="cost"`) {
		t.Error("a cost section without a cost")
	}
	c := syntheticCost()
	c.Lambda = &cost.LambdaCost{Unpriced: "the price file 2026-11-26 has no arm64 provisioned-concurrency prices"}
	c.BreakEven, c.Series = nil, nil
	in.Cost = c
	if out := render(t, in); !strings.Contains(out, "has no arm64 provisioned-concurrency prices") {
		t.Error("an unpriced Lambda is not said")
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
