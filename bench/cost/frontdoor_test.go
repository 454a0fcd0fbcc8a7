package cost_test

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/cost"
)

// The arithmetic below starts from run(): a 100 s schedule of 1,000
// requests (10 requests/s on average), 26,280 schedules in a 730 h month.
// Without a front door the function costs $0.000366667 a run, $9.63600876
// a month, $0.963600876 a month per request/s; the server one t4g.small,
// $12.264 a month, which carries up to 1,200 requests/s on average (see
// TestComputeByHand). The break-even is 12.264 / 0.963600876 =
// 12.7272612 requests/s.

func TestFrontDoorDefaults(t *testing.T) {
	r := compute(t, cost.Config{}, run())
	if r.Config.LambdaFrontDoor != cost.FunctionURL || r.Config.ServerFrontDoor != cost.Direct {
		t.Errorf("defaults: %+v", r.Config)
	}
	if r.Lambda.FrontDoor != cost.FunctionURL || r.Server.FrontDoor != cost.Direct {
		t.Errorf("front doors %q and %q", r.Lambda.FrontDoor, r.Server.FrontDoor)
	}
	// A Function URL is free: a part of $0, said so.
	fu := r.Lambda.Parts[len(r.Lambda.Parts)-1]
	if fu.Name != "front door: Function URL" || fu.Value != 0 || !strings.Contains(fu.Source, "free") {
		t.Errorf("function URL part %+v", fu)
	}
	// The server's parts: its instance, then no front door, $0.
	if n := len(r.Server.Parts); n != 2 {
		t.Fatalf("server parts %+v", r.Server.Parts)
	}
	check(t, "server instances part", r.Server.Parts[0], 12.264)
	if p := r.Server.Parts[1]; p.Name != "front door: none" || p.Value != 0 {
		t.Errorf("server front door part %+v", p)
	}
	for _, k := range []string{cost.KeyHTTPAPIRequestPerMillion, cost.KeyRESTAPIRequestPerMillion, cost.KeyALBHourly, cost.KeyALBLCUHourly} {
		if _, ok := r.Prices[k]; ok {
			t.Errorf("price %s listed, but no target sits behind its front door", k)
		}
	}
	if !strings.Contains(strings.Join(r.Caveats, " "), "no load balancer in front") {
		t.Errorf("caveats do not say the server has no load balancer: %v", r.Caveats)
	}
}

func TestHTTPAPIInFrontOfLambda(t *testing.T) {
	r := compute(t, cost.Config{LambdaFrontDoor: cost.HTTPAPI}, run())
	l := r.Lambda
	// 1,000 requests × $1.00 / 1e6 = $0.001 a run; × 26,280 = $26.28 a
	// month, more than the function itself ($9.636).
	door := l.Parts[len(l.Parts)-1]
	check(t, "HTTP API part", door, 0.001*26280)
	if door.Name != "front door: API Gateway HTTP API" || !strings.Contains(door.Source, "first 300,000,000 requests") {
		t.Errorf("HTTP API part %+v", door)
	}
	check(t, "lambda run", l.Run, 0.000366667+0.001)             // $0.001366667
	check(t, "lambda monthly", l.Monthly, 9.63600876+26.28)      // $35.91600876
	check(t, "lambda per million", l.PerMillion, 0.366667+1.000) // $1.366667
	// Per request/s: 35.91600876 / 10 = $3.591600876 a month, no fixed part.
	if !near(l.Scaling.PerRate, 3.591600876) || l.Scaling.Fixed != 0 {
		t.Errorf("scaling %+v, want 3.591600876 per request/s", l.Scaling)
	}
	// The break-even falls from 12.7272612 to 12.264 / 3.591600876 =
	// 3.41463331 requests/s: with the HTTP API, Lambda is cheaper only
	// below that.
	check(t, "break-even", r.BreakEven.Rate, 12.264/3.591600876)
	if got := r.BreakEven.Rate.Value; math.Abs(got-3.41463331) > 1e-8 || got >= 12.2727 {
		t.Errorf("break-even %g, want 3.41463331, below the 12.7272612 without a front door", got)
	}
	if pr, ok := r.Prices[cost.KeyHTTPAPIRequestPerMillion]; !ok || pr.USD != 1.00 || !strings.Contains(pr.Source.Source, "API Gateway") {
		t.Errorf("http_api price %+v", pr)
	}
	// 300 million requests a month is 300e6 / 2,628,000 s = 114.2
	// requests/s on average, where the next tier's $0.90 would begin.
	if c := strings.Join(r.Caveats, " "); !strings.Contains(c, "114.2 requests/s on average") || !strings.Contains(c, "$0.9 per million") {
		t.Errorf("caveats lack the HTTP API's tier: %v", r.Caveats)
	}
}

func TestRESTAPIInFrontOfLambda(t *testing.T) {
	r := compute(t, cost.Config{LambdaFrontDoor: cost.RESTAPI}, run())
	// 1,000 × $3.50 / 1e6 = $0.0035 a run; × 26,280 = $91.98 a month.
	check(t, "REST API part", r.Lambda.Parts[len(r.Lambda.Parts)-1], 91.98)
	check(t, "lambda monthly", r.Lambda.Monthly, 9.63600876+91.98) // $101.61600876
	// 12.264 / 10.161600876 = 1.20689645 requests/s.
	check(t, "break-even", r.BreakEven.Rate, 12.264/10.161600876)
}

func TestALBInFrontOfLambda(t *testing.T) {
	in := run()
	in.Server = nil
	r := compute(t, cost.Config{LambdaFrontDoor: cost.ALB}, in)
	l := r.Lambda
	parts := l.Parts[len(l.Parts)-2:]
	// ALB hours: $0.0225 × 730 h = $16.425 a month, at any rate.
	check(t, "ALB hours", parts[0], 0.0225*730)
	// LCUs: one new connection per request, 25 a second per LCU, so an
	// LCU-hour carries 25 × 3,600 = 90,000 requests: 1,000 / 90,000 =
	// 0.0111111 LCU-hours × $0.008 = $0.0000888889 a run; × 26,280 =
	// $2.336 a month.
	check(t, "ALB LCUs", parts[1], 1000.0/90000*0.008*26280)
	if !strings.Contains(parts[1].Source, "4,444 bytes") || !strings.Contains(parts[1].Source, "a Lambda target") {
		// 0.4 GB/h ÷ 90,000 connections an hour = 4,444 bytes.
		t.Errorf("LCU source %q", parts[1].Source)
	}
	// run: 0.000366667 + 0.0225 × 100 / 3,600 (0.000625) + 0.0000888889 (1,000 / 90,000 × $0.008)
	check(t, "lambda run", l.Run, 0.000366667+0.000625+1000.0/90000*0.008)
	check(t, "lambda monthly", l.Monthly, 9.63600876+16.425+2.336) // $28.39700876
	// Linear: $16.425 fixed, (28.39700876 - 16.425) / 10 = $1.197200876
	// per request/s: 0.963600876 + 2.336 / 10.
	if !near(l.Scaling.Fixed, 16.425) || !near(l.Scaling.PerRate, 1.197200876) {
		t.Errorf("scaling %+v", l.Scaling)
	}
	if got := l.Scaling.Monthly(10); !near(got, l.Monthly.Value) {
		t.Errorf("scaling at 10 requests/s = %g, want the monthly %g", got, l.Monthly.Value)
	}
	if !slices.Equal(r.PriceKeys(), []string{cost.KeyLambdaRequestPerMillion, cost.KeyLambdaGBSecond,
		cost.KeyLambdaProvisionedGBSecond, cost.KeyLambdaProvisionedExecutionGBSecond, cost.KeyALBHourly, cost.KeyALBLCUHourly}) {
		t.Errorf("price keys %v", r.PriceKeys())
	}
}

func TestALBInFrontOfServer(t *testing.T) {
	r := compute(t, cost.Config{ServerFrontDoor: cost.ALB}, run())
	s := r.Server
	// instance $12.264 + ALB hours $16.425 + LCUs $2.336 = $31.025 a month
	check(t, "server instances part", s.Parts[0], 12.264)
	check(t, "ALB hours", s.Parts[1], 16.425)
	check(t, "ALB LCUs", s.Parts[2], 2.336)
	if !strings.Contains(s.Parts[2].Source, "11,111 bytes") { // 1 GB/h ÷ 90,000
		t.Errorf("LCU source %q", s.Parts[2].Source)
	}
	check(t, "server monthly", s.Monthly, 31.025)
	// run: 0.000466667 + 0.000625 + 0.0000888889 = $0.001180556
	check(t, "server run", s.Run, 0.0168*100/3600+0.0225*100/3600+1000.0/90000*0.008)
	check(t, "server per million", s.PerMillion, (0.0168*100/3600+0.0225*100/3600+1000.0/90000*0.008)/1000*1e6)
	// Stepped: $16.425 fixed; $0.008 / 90,000 a request × 2,628,000 s =
	// $0.2336 a month per request/s.
	if !near(s.Scaling.Fixed, 16.425) || !near(s.Scaling.PerRate, 0.2336) || !near(s.Scaling.Monthly(10), 31.025) {
		t.Errorf("scaling %+v", s.Scaling)
	}
	// The break-even rises: the server costs 12.264 + 16.425 + 0.2336 r,
	// Lambda 0.963600876 r; equal at 28.689 / 0.730000876 = 39.29995 requests/s
	// (still one instance, up to 1,200).
	check(t, "break-even", r.BreakEven.Rate, 28.689/0.730000876)
	if !strings.Contains(r.BreakEven.Text, "and its front door") {
		t.Errorf("text %q", r.BreakEven.Text)
	}
}

func TestALBInFrontOfBoth(t *testing.T) {
	r := compute(t, cost.Config{LambdaFrontDoor: cost.ALB, ServerFrontDoor: cost.ALB}, run())
	// The same ALB on both sides costs the same at every rate: the
	// break-even is the one without front doors, 12.264 / 0.963600876.
	check(t, "break-even", r.BreakEven.Rate, 12.264/0.963600876)
	check(t, "lambda monthly", r.Lambda.Monthly, 28.39700876)
	check(t, "server monthly", r.Server.Monthly, 31.025)
}

func TestALBLambdaAgainstDirectServer(t *testing.T) {
	in := run()
	fnIn, srvIn := in, in
	fnIn.Server, srvIn.Lambda = nil, nil
	fn := compute(t, cost.Config{LambdaFrontDoor: cost.ALB}, fnIn)
	srv := compute(t, cost.Config{}, srvIn)
	// Lambda behind an ALB costs at least its $16.425 of hours, more than
	// the server's one instance, $12.264: the server is cheaper at every
	// rate.
	be := cost.BreakEvenOf(fn, "fn", srv, "srv")
	if be == nil || be.Found || !strings.Contains(be.Text, "srv is cheaper from the bottom of the range") {
		t.Errorf("break-even %+v", be)
	}
	// Each priced alone, as the harness does: the HTTP API moves the
	// break-even to 3.41463331 requests/s, as in the Result of both.
	fn = compute(t, cost.Config{LambdaFrontDoor: cost.HTTPAPI}, fnIn)
	be = cost.BreakEvenOf(fn, "fn", srv, "srv")
	check(t, "break-even alone", be.Rate, 12.264/3.591600876)
}

func TestFrontDoorOverridesAndCheck(t *testing.T) {
	var c cost.Config
	c.LambdaFrontDoor, c.ServerFrontDoor = cost.HTTPAPI, cost.ALB
	must(t, c.Prices.Set(cost.KeyHTTPAPIRequestPerMillion, 1.5))
	must(t, c.Prices.Set(cost.KeyALBHourly, 0.03))
	must(t, c.Prices.Set(cost.KeyALBLCUHourly, 0.01))
	r := compute(t, c, run())
	// 1,000 × $1.50 / 1e6 × 26,280 = $39.42
	check(t, "HTTP API part", r.Lambda.Parts[len(r.Lambda.Parts)-1], 39.42)
	// $0.03 × 730 = $21.90; 1,000 / 90,000 × $0.01 × 26,280 = $2.92
	check(t, "ALB hours", r.Server.Parts[1], 21.9)
	check(t, "ALB LCUs", r.Server.Parts[2], 2.92)
	for _, k := range []string{cost.KeyHTTPAPIRequestPerMillion, cost.KeyALBHourly, cost.KeyALBLCUHourly} {
		if src := r.Prices[k].Source.Source; !strings.Contains(src, "scenario's cost.prices."+k) {
			t.Errorf("%s: source %q", k, src)
		}
	}

	p, err := cost.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		c    cost.Config
		want string
	}{
		{cost.Config{LambdaFrontDoor: cost.Direct}, `the function's front_door must be function_url, http_api, rest_api, alb, not "none"`},
		{cost.Config{ServerFrontDoor: cost.HTTPAPI}, `the server's front_door must be none, alb, not "http_api"`},
	} {
		if err := tc.c.Check(p); err == nil || err.Error() != tc.want {
			t.Errorf("Check(%+v) = %v, want %s", tc.c, err, tc.want)
		}
	}
}

func TestFrontDoorInJSON(t *testing.T) {
	r := compute(t, cost.Config{LambdaFrontDoor: cost.HTTPAPI}, run())
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"lambda_front_door":"http_api"`, `"front_door":"http_api"`, `"name":"front door: API Gateway HTTP API"`, `"http_api_request_per_million"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("summary JSON lacks %s", want)
		}
	}
}

func TestBehind(t *testing.T) {
	for f, want := range map[cost.FrontDoor]string{
		cost.FunctionURL: "behind a Function URL",
		cost.HTTPAPI:     "behind an API Gateway HTTP API",
		cost.RESTAPI:     "behind an API Gateway REST API",
		cost.ALB:         "behind an Application Load Balancer",
		cost.Direct:      "reached directly, with no load balancer",
	} {
		if got := f.Behind(); got != want {
			t.Errorf("%s: %q, want %q", f, got, want)
		}
	}
}

func TestFrontDoorNoSchedule(t *testing.T) {
	// A schedule of no time: the ALB's parts are 0 a month, not NaN, and
	// the result still marshals (compute checks).
	in := run()
	in.Traffic = cost.Traffic{}
	r := compute(t, cost.Config{LambdaFrontDoor: cost.ALB, ServerFrontDoor: cost.ALB}, in)
	check(t, "server monthly", r.Server.Monthly, 12.264) // the instance alone
	if r.Lambda.Unpriced == "" {
		t.Errorf("lambda priced without a schedule: %+v", r.Lambda)
	}
}
