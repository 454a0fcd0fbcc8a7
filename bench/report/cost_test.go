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
		"In us-east-1 with the prices of 2026-12-01, each target priced alone",
		"<td class=\"l\">x86_64, 512 MB, behind a Function URL</td>",
		"1 × t4g.small (at least 1, each at 60% of its CPU at the peak), reached directly, with no load balancer",
		"… front door: Function URL", "… front door: none", "… instances",
		"per million requests", "a month at this pattern", "instances at the peak rate", "break-even average rate against server",
		"<td>1 × t4g.small</td>",
		"invocations.csv", "price file 2026-12-01",
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
	in.Costs["lambda"].Lambda = &cost.LambdaCost{Unpriced: "the price file 2026-12-01 has no arm64 provisioned-concurrency prices"}
	out = render(t, in)
	if !strings.Contains(out, "not priced: the price file 2026-12-01 has no arm64 provisioned-concurrency prices") {
		t.Error("an unpriced Lambda is not said")
	}
	if strings.Contains(out, "break-even of lambda") {
		t.Error("a break-even for an unpriced function")
	}
}

func TestCostFrontDoors(t *testing.T) {
	in := synthetic()
	in.Costs = syntheticCosts()
	lc, sc := in.Costs["lambda"], in.Costs["server"]
	in.Costs["lambda"] = price(cost.Config{LambdaFrontDoor: cost.HTTPAPI}, lc.Input)
	in.Costs["server"] = price(cost.Config{ServerFrontDoor: cost.ALB}, sc.Input)
	out := render(t, in)
	section := out[strings.Index(out, `<section id="cost">`):]
	section = section[:strings.Index(section, "</section>")]
	// The HTTP API bills the 6,035 requests sent: × $1.00 / 1e6 × (730 h
	// ÷ 360 s = 7,300 schedules) = $44.06 a month. The ALB: $0.0225 × 730
	// = $16.43 of hours; 10,010 requests ÷ 90,000 × $0.008 × 7,300 =
	// $6.50 of LCUs.
	for _, want := range []string{
		"x86_64, 512 MB, behind an API Gateway HTTP API",
		"reached directly", // the caption's list of settings still names it
		"), behind an Application Load Balancer</td>",
		"<td class=\"l\">… front door: API Gateway HTTP API</td><td>$44.1</td>",
		"<td class=\"l\">… front door: ALB hours</td><td>$16.4</td>",
		"<td class=\"l\">… front door: ALB LCUs</td><td>$6.50</td>",
		"<code>http_api_request_per_million</code>", "<code>alb_hourly</code>", "<code>alb_lcu_hourly</code>",
		"aws.amazon.com/api-gateway/pricing/", "aws.amazon.com/elasticloadbalancing/pricing/",
		"above that AWS charges $0.9 per million",
	} {
		if !strings.Contains(section, want) && !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(section, "<code>rest_api_request_per_million</code>") {
		t.Error("a price no target used is listed")
	}
	verdict := out[strings.Index(out, `<section id="verdict">`):]
	verdict = verdict[:strings.Index(verdict, "</section>")]
	for _, want := range []string{
		"Front doors: ", " behind an API Gateway HTTP API", " behind an Application Load Balancer",
	} {
		if !strings.Contains(verdict, want) {
			t.Errorf("verdict lacks %q", want)
		}
	}
	if strings.Contains(verdict, "(the default)") {
		t.Error("a chosen front door called the default")
	}
	// With the defaults, the verdict says they are.
	in.Costs = syntheticCosts()
	out = render(t, in)
	if !strings.Contains(out, "behind a Function URL (the default)") || !strings.Contains(out, "reached directly, with no load balancer (the default)") {
		t.Error("the verdict does not state the default front doors")
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
