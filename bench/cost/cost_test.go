package cost_test

import (
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/cost"
)

// run is a small fixed run: a 100 s schedule of 1,000 requests, 10
// requests/s on average and 20 at the peak, sent to both targets.
//
//   - lambda, 512 MB: every request reached an environment; 20,000 billed
//     ms over 1,000 REPORT lines (INIT included), 4 cold starts with
//     200 ms of INIT in all.
//   - server: 1,000 requests served with 0.5 s of CPU, 2,000 requests per
//     CPU-second.
func run() cost.Input {
	return cost.Input{
		Traffic: cost.Traffic{Seconds: 100, Requests: 1000, AverageRate: 10, PeakRate: 20},
		Lambda: &cost.LambdaUsage{
			MemoryMB: 512, Requests: 1000, Invocations: 1000,
			BilledMs: 20000, BilledRows: 1000, ColdStarts: 4, InitMs: 200, InitInBilled: true,
			Source: "test",
		},
		Server: &cost.ServerUsage{Requests: 1000, Served: 1000, CPUSeconds: 0.5, Source: "test"},
	}
}

func compute(t *testing.T, c cost.Config, in cost.Input) *cost.Result {
	t.Helper()
	p, err := cost.Default()
	if err != nil {
		t.Fatal(err)
	}
	r, err := cost.Compute(p, c, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Fatalf("the result does not marshal: %v", err)
	}
	return r
}

// near reports whether got is want to 9 significant digits.
func near(got, want float64) bool {
	return math.Abs(got-want) <= 1e-9*math.Max(math.Abs(want), 1e-12)
}

func check(t *testing.T, what string, got cost.Figure, want float64) {
	t.Helper()
	if !near(got.Value, want) {
		t.Errorf("%s = %.10g, want %.10g", what, got.Value, want)
	}
	if got.Source == "" || got.Unit == "" {
		t.Errorf("%s has no source or unit: %+v", what, got)
	}
}

func TestComputeByHand(t *testing.T) {
	r := compute(t, cost.Config{}, run())
	if r.Config.Architecture != cost.X86_64 || r.Config.Instance != "t4g.small" || r.Config.MinInstances != 1 || r.Config.TargetUtilization != 0.6 {
		t.Errorf("defaults: %+v", r.Config)
	}
	l, s := r.Lambda, r.Server
	if l == nil || s == nil || l.Unpriced != "" {
		t.Fatalf("lambda %+v, server %+v", l, s)
	}
	// Lambda, x86_64:
	//   requests 1,000 × $0.20 / 1e6                  = $0.0002
	//   duration 20,000 ms / 1000 × 0.5 GB = 10 GB-s × $0.0000166667 = $0.000166667
	//   run                                             = $0.000366667
	check(t, "lambda run", l.Run, 0.0002+0.000166667)
	check(t, "lambda GB-s", l.GBSeconds, 10)
	// A month is 730 h = 2,628,000 s, 26,280 schedules of 100 s:
	//   $0.000366667 × 26,280 = $9.63600876.
	check(t, "lambda monthly", l.Monthly, 9.63600876)
	check(t, "lambda monthly requests", l.Parts[0], 0.0002*26280)       // $5.256
	check(t, "lambda monthly duration", l.Parts[1], 0.000166667*26280)  // $4.38000876
	check(t, "lambda monthly INIT", l.Init, 0.2*0.5*0.0000166667*26280) // 0.1 GB-s a run: $0.0438000876
	check(t, "lambda per million", l.PerMillion, 0.000366667/1000*1e6)  // $0.366667
	// Server, t4g.small (2 vCPUs, $0.0168/h):
	//   capacity 1,000 served / 0.5 CPU-s = 2,000 requests/CPU-s
	//   one instance carries 2 × 2,000 × 0.6 = 2,400 requests/s
	//   instances max(1, ⌈20 / 2,400⌉) = 1
	check(t, "server capacity", s.Capacity, 2000)
	check(t, "server per instance", s.PerInstance, 2400)
	check(t, "server instances", s.Instances, 1)
	check(t, "server monthly", s.Monthly, 0.0168*730)                      // $12.264
	check(t, "server run", s.Run, 0.0168*100/3600)                         // $0.000466667
	check(t, "server per million", s.PerMillion, 0.0168*100/3600/1000*1e6) // $0.466667
	// Break-even: Lambda costs $9.63600876 a month at 10 requests/s,
	// $0.963600876 per request/s; the one instance, $12.264, carries up
	// to 1,200 requests/s on average (2,400 at the peak, twice the
	// average): 12.264 / 0.963600876 = 12.7272727 requests/s.
	be := r.BreakEven
	if be == nil || !be.Found {
		t.Fatalf("break-even: %+v", be)
	}
	check(t, "break-even", be.Rate, 12.264/0.963600876)
	if !near(be.Stays, be.Rate.Value) {
		t.Errorf("stays cheaper from %g, want the break-even %g", be.Stays, be.Rate.Value)
	}
	// The chart: 0.01 to 10,000 requests/s around 10, ten points a
	// decade, with both sides of each of the server's steps (at 1,200,
	// 2,400, … 9,600 requests/s: 8 steps).
	if be.From != 0.01 || !near(be.To, 10000) {
		t.Errorf("range %g to %g, want 0.01 to 10000", be.From, be.To)
	}
	if n := len(r.Series); n != 61+16 {
		t.Errorf("%d points, want 61 + 16", n)
	}
	for i, pt := range r.Series {
		if i > 0 && pt.Rate < r.Series[i-1].Rate {
			t.Fatalf("series not sorted at %d", i)
		}
		if !near(pt.Lambda, 0.963600876*pt.Rate) {
			t.Errorf("lambda at %g = %g, want %g", pt.Rate, pt.Lambda, 0.963600876*pt.Rate)
		}
	}
	last := r.Series[len(r.Series)-1]
	if last.Instances != 9 || !near(last.Server, 9*12.264) { // ⌈20,000 / 2,400⌉
		t.Errorf("at 10,000 requests/s: %+v, want 9 instances", last)
	}
	joined := strings.Join(r.Caveats, " ")
	for _, want := range []string{"measured on this machine, not in AWS", "free tier", "not applied", "secondary sources", "burstable"} {
		if !strings.Contains(joined, want) {
			t.Errorf("caveats lack %q: %v", want, r.Caveats)
		}
	}
	if !strings.Contains(r.Prices[cost.KeyLambdaGBSecond].Source.Source, "price file 2026-12-01") {
		t.Errorf("gb-second source: %+v", r.Prices[cost.KeyLambdaGBSecond])
	}
}

func TestThrottledAndInitNotInBilled(t *testing.T) {
	in := run()
	// 100 of the 1,000 requests were throttled: 900 invocations billed.
	// The billed duration does not hold INIT: the model adds its 200 ms.
	in.Lambda.Throttled, in.Lambda.Invocations = 100, 900
	in.Lambda.InitInBilled = false
	r := compute(t, cost.Config{}, in)
	// requests 900 × $0.20 / 1e6 = $0.00018
	// duration (20,000 + 200) ms / 1000 × 0.5 GB = 10.1 GB-s × $0.0000166667 = $0.00016833367
	check(t, "lambda run", r.Lambda.Run, 0.00018+10.1*0.0000166667)
	// per million requests sent (1,000, throttled ones too)
	check(t, "lambda per million", r.Lambda.PerMillion, (0.00018+10.1*0.0000166667)/1000*1e6)
}

func TestArm64(t *testing.T) {
	r := compute(t, cost.Config{Architecture: cost.ARM64}, run())
	// duration 10 GB-s × $0.0000133334 = $0.000133334; requests $0.0002
	check(t, "lambda run", r.Lambda.Run, 0.0002+0.000133334)
	check(t, "lambda monthly", r.Lambda.Monthly, (0.0002+0.000133334)*26280)
}

func TestProvisioned(t *testing.T) {
	in := run()
	// 2 provisioned environments of 512 MB; 500 of the 1,000 invocations
	// ran on them and billed 5,000 ms; the on-demand ones 15,000 ms.
	in.Lambda.Provisioned = 2
	in.Lambda.BilledMs, in.Lambda.BilledRows = 15000, 500
	in.Lambda.ProvisionedBilledMs, in.Lambda.ProvisionedRows = 5000, 500
	r := compute(t, cost.Config{}, in)
	l := r.Lambda
	// requests    1,000 × $0.20 / 1e6                       = $0.0002
	// on demand   15 s × 0.5 GB = 7.5 GB-s × $0.0000166667   = $0.00012500025
	// enabled     2 × 0.5 GB × 100 s = 100 GB-s × $0.0000041667 = $0.00041667
	// executed    5 s × 0.5 GB = 2.5 GB-s × $0.0000097222    = $0.0000243055
	want := 0.0002 + 7.5*0.0000166667 + 100*0.0000041667 + 2.5*0.0000097222
	check(t, "lambda run", l.Run, want)
	check(t, "lambda monthly", l.Monthly, want*26280)
	check(t, "lambda monthly enabled", l.Parts[2], 100*0.0000041667*26280) // $10.9500876, whatever the traffic
	check(t, "lambda GB-s", l.GBSeconds, 7.5+2.5)
	// The enabled part is fixed: at rate 0 Lambda still costs it.
	if got := r.Series[0].Lambda; got < 10.95 {
		t.Errorf("lambda at %g requests/s = %g, want at least the $10.95 of provisioned concurrency", r.Series[0].Rate, got)
	}
}

func TestArm64ProvisionedNeedsPrices(t *testing.T) {
	in := run()
	in.Lambda.Provisioned = 1
	r := compute(t, cost.Config{Architecture: cost.ARM64}, in)
	if r.Lambda == nil || !strings.Contains(r.Lambda.Unpriced, "lambda_provisioned_gb_second") || r.Lambda.Monthly.Value != 0 {
		t.Errorf("arm64 provisioned without prices: %+v", r.Lambda)
	}
	if r.BreakEven != nil || len(r.Series) > 0 {
		t.Errorf("break-even without a Lambda price: %+v", r.BreakEven)
	}
	if r.Server == nil || r.Server.Monthly.Value == 0 {
		t.Errorf("the server is still priced: %+v", r.Server)
	}

	// With both prices set by the scenario, it is priced.
	var c cost.Config
	c.Architecture = cost.ARM64
	must(t, c.Prices.Set(cost.KeyLambdaProvisionedGBSecond, 0.000003))
	must(t, c.Prices.Set(cost.KeyLambdaProvisionedExecutionGBSecond, 0.000008))
	r = compute(t, c, in)
	// requests $0.0002; duration 10 GB-s × $0.0000133334; enabled
	// 1 × 0.5 GB × 100 s = 50 GB-s × $0.000003; nothing ran on it.
	check(t, "lambda run", r.Lambda.Run, 0.0002+10*0.0000133334+50*0.000003)
	if src := r.Prices[cost.KeyLambdaProvisionedGBSecond].Source.Source; !strings.Contains(src, "scenario") {
		t.Errorf("override source %q", src)
	}
}

func TestOverrides(t *testing.T) {
	var c cost.Config
	c.Instance, c.MinInstances, c.TargetUtilization = "c7g.large", 2, 0.5
	must(t, c.Prices.Set(cost.KeyLambdaRequestPerMillion, 0.4))
	must(t, c.Prices.Set(cost.KeyLambdaGBSecond, 0.00002))
	must(t, c.Prices.Set(cost.KeyInstanceHourly, 0.1))
	r := compute(t, c, run())
	// requests 1,000 × $0.40 / 1e6 = $0.0004; 10 GB-s × $0.00002 = $0.0002
	check(t, "lambda run", r.Lambda.Run, 0.0006)
	// c7g.large: 2 vCPUs × 2,000 × 0.5 = 2,000 requests/s an instance;
	// max(2, ⌈20 / 2,000⌉) = 2 instances × $0.1 × 730 h = $146
	check(t, "server per instance", r.Server.PerInstance, 2000)
	check(t, "server instances", r.Server.Instances, 2)
	check(t, "server monthly", r.Server.Monthly, 146)
	for _, k := range []string{cost.KeyLambdaRequestPerMillion, cost.KeyLambdaGBSecond, cost.KeyInstanceHourly} {
		if src := r.Prices[k].Source.Source; !strings.Contains(src, "scenario's cost.prices."+k) {
			t.Errorf("%s: source %q", k, src)
		}
	}
	if err := c.Prices.Set("lambda_gbs", 1); err == nil {
		t.Error("Set of an unknown price: no error")
	}
}

func TestUnmeasuredServer(t *testing.T) {
	in := run()
	in.Server.CPUSeconds, in.Server.Source = 0, "no /proc"
	r := compute(t, cost.Config{MinInstances: 3}, in)
	// 3 instances whatever the rate: 3 × $12.264 = $36.792 a month; the
	// break-even is where Lambda's $0.963600876 per request/s reaches it.
	check(t, "server instances", r.Server.Instances, 3)
	if r.Server.Capacity.Value != 0 || !strings.Contains(r.Server.Capacity.Source, "no /proc") {
		t.Errorf("capacity %+v", r.Server.Capacity)
	}
	check(t, "break-even", r.BreakEven.Rate, 3*12.264/0.963600876)
	if !strings.Contains(r.BreakEven.Text, "not measured") {
		t.Errorf("text %q", r.BreakEven.Text)
	}
}

func TestOneTarget(t *testing.T) {
	in := run()
	in.Server = nil
	r := compute(t, cost.Config{}, in)
	if r.Lambda == nil || r.Server != nil || r.BreakEven != nil || r.Series != nil {
		t.Errorf("lambda only: %+v", r)
	}
}

func TestCheck(t *testing.T) {
	p, err := cost.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		c    cost.Config
		want string
	}{
		{cost.Config{Instance: "t2.micro"}, `unknown instance type "t2.micro"; the price file 2026-12-01 knows ` + strings.Join(slices.Sorted(maps.Keys(p.Instances)), ", ")},
		{cost.Config{Architecture: "amd64"}, `architecture must be x86_64 or arm64, not "amd64"`},
		{cost.Config{MinInstances: -1}, "min_instances must be at least 1, not -1"},
		{cost.Config{TargetUtilization: 1.5}, "target_utilization must be above 0 and at most 1, not 1.5"},
	} {
		err := tc.c.Check(p)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Check(%+v) = %v, want %s", tc.c, err, tc.want)
		}
		if _, err := cost.Compute(p, tc.c, run()); err == nil {
			t.Errorf("Compute(%+v): no error", tc.c)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
