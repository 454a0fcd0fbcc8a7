package scenario_test

import (
	"reflect"
	"testing"

	"github.com/coldbench/coldbench/bench/kinds/all"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/scenario"
)

func TestParseCost(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      cost.Config
	}{
		{"none", idle, cost.Config{}},
		{"empty", "cost:\n" + idle, cost.Config{}},
		{"some", "cost: {architecture: x86_64, instance: t3.small}\n" + idle,
			cost.Config{Architecture: cost.X86_64, Instance: "t3.small"}},
		{"whole utilization", "cost: {target_utilization: 1}\n" + idle, cost.Config{TargetUtilization: 1}},
		{"free server", "cost:\n  prices: {instance_hourly: 0}\n" + idle,
			cost.Config{Prices: cost.Overrides{InstanceHourly: new(0.0)}}},
		// One front door: that of each kind it can stand in front of.
		{"HTTP API", "cost: {front_door: http_api}\n" + idle, cost.Config{LambdaFrontDoor: cost.HTTPAPI}},
		{"ALB for both", "cost: {front_door: alb}\n" + idle, cost.Config{LambdaFrontDoor: cost.ALB, ServerFrontDoor: cost.ALB}},
		{"server direct", "cost: {front_door: none}\n" + idle, cost.Config{ServerFrontDoor: cost.Direct}},
		{"front door by kind", "cost:\n  front_door: {lambda: rest_api, server: alb}\n" + idle,
			cost.Config{LambdaFrontDoor: cost.RESTAPI, ServerFrontDoor: cost.ALB}},
		{"front-door prices", "cost:\n  prices: {http_api_request_per_million: 0.9, alb_hourly: 0.0252, alb_lcu_hourly: 0.008}\n" + idle,
			cost.Config{Prices: cost.Overrides{HTTPAPIRequestPerMillion: new(0.9), ALBHourly: new(0.0252), ALBLCUHourly: new(0.008)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := scenario.Parse("x.yaml", []byte(tc.src), all.Specs())
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(s.Cost, tc.want) {
				t.Errorf("cost = %+v, want %+v", s.Cost, tc.want)
			}
		})
	}
}

func TestParseCostErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"not a mapping", "cost: cheap\n" + idle, `x.yaml:1: cost must be a mapping of keys to values, not the string "cheap"`},
		{"key typo", "cost:\n  instnace: t4g.small\n" + idle, `x.yaml:2: unknown key "instnace" in cost (did you mean "instance"?)`},
		{"key unknown", "cost:\n  region: eu-west-1\n" + idle,
			`x.yaml:2: unknown key "region" in cost; valid keys are architecture, instance, min_instances, target_utilization, front_door and prices`},
		{"front door API Gateway", "cost: {front_door: api_gateway}\n" + idle,
			`x.yaml:1: cost.front_door: unknown front door "api_gateway"; write http_api (an API Gateway HTTP API) or rest_api (an API Gateway REST API)`},
		{"front door typo", "cost: {front_door: http_apy}\n" + idle, `x.yaml:1: cost.front_door: unknown front door "http_apy" (did you mean "http_api"?)`},
		{"front door unknown", "cost: {front_door: cloudfront}\n" + idle,
			`x.yaml:1: cost.front_door: unknown front door "cloudfront"; use function_url, http_api, rest_api, alb or none`},
		{"front door elb", "cost: {front_door: elb}\n" + idle, `x.yaml:1: cost.front_door: unknown front door "elb"; write alb`},
		{"front door list", "cost: {front_door: [alb]}\n" + idle,
			"x.yaml:1: cost.front_door must be a front door such as http_api, or a mapping such as {lambda: http_api, server: alb}, not a list"},
		{"server behind API Gateway", "cost:\n  front_door:\n    server: http_api\n" + idle,
			"x.yaml:3: cost.front_door.server: coldbench prices a server behind none or alb, not http_api; use none or alb"},
		{"function behind nothing", "cost:\n  front_door: {lambda: none}\n" + idle,
			"x.yaml:2: cost.front_door.lambda: a function needs a front door to answer HTTP; use function_url, http_api, rest_api or alb (function_url, the default, is free)"},
		{"front door kind typo", "cost:\n  front_door: {lamda: alb}\n" + idle, `x.yaml:2: unknown key "lamda" in cost.front_door (did you mean "lambda"?)`},
		{"architecture", "cost: {architecture: sparc}\n" + idle, `x.yaml:1: cost.architecture must be x86_64 or arm64, not "sparc"`},
		{"architecture amd64", "cost: {architecture: amd64}\n" + idle, `x.yaml:1: cost.architecture must be x86_64 or arm64, not "amd64"; write x86_64`},
		{"architecture aarch64", "cost: {architecture: aarch64}\n" + idle, `x.yaml:1: cost.architecture must be x86_64 or arm64, not "aarch64"; write arm64`},
		{"instance typo", "cost:\n  instance: c7g.larg\n" + idle, `x.yaml:2: cost.instance: unknown instance type "c7g.larg" (did you mean "c7g.large"?)`},
		{"instance unknown", "cost:\n  instance: p5.48xlarge\n" + idle,
			`x.yaml:2: cost.instance: unknown instance type "p5.48xlarge"; the price file 2026-12-01 knows c7g.large, c7g.xlarge, c7i.xlarge, m7g.large, m7i.large, r7g.large, t3.small and t4g.small`},
		{"instance list", "cost: {instance: [t4g.small]}\n" + idle, "x.yaml:1: cost.instance must be a string, not a list"},
		{"min instances zero", "cost: {min_instances: 0}\n" + idle, "x.yaml:1: cost.min_instances must be between 1 and 10000, not 0"},
		{"min instances fraction", "cost: {min_instances: 1.5}\n" + idle, "x.yaml:1: cost.min_instances must be a whole number, not the number 1.5"},
		{"utilization percent", "cost: {target_utilization: 60}\n" + idle,
			"x.yaml:1: cost.target_utilization is the share of an instance's CPU used at the peak, above 0 and at most 1 (0.6 is 60%), not 60"},
		{"utilization zero", "cost: {target_utilization: 0}\n" + idle,
			"x.yaml:1: cost.target_utilization is the share of an instance's CPU used at the peak, above 0 and at most 1 (0.6 is 60%), not 0"},
		{"price typo", "cost:\n  prices:\n    lambda_gb_secnd: 0.00002\n" + idle, `x.yaml:3: unknown key "lambda_gb_secnd" in cost.prices (did you mean "lambda_gb_second"?)`},
		{"price negative", "cost:\n  prices: {instance_hourly: -1}\n" + idle, "x.yaml:2: cost.prices.instance_hourly is a price in US dollars, at least 0, not -1"},
		{"price with unit", "cost:\n  prices: {instance_hourly: $0.07}\n" + idle, `x.yaml:2: cost.prices.instance_hourly must be a number, not the string "$0.07"`},
		{"prices list", "cost:\n  prices: [1]\n" + idle, "x.yaml:2: cost.prices must be a mapping of keys to values, not a list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scenario.Parse("x.yaml", []byte(tc.src), all.Specs())
			if err == nil || err.Error() != tc.want {
				t.Errorf("got\n%v\nwant\n%s", err, tc.want)
			}
		})
	}
}

func TestParseTargetFrontDoor(t *testing.T) {
	s, err := scenario.Parse("x.yaml", []byte("cost: {front_door: http_api}\ntargets:\n  fn: {kind: lambda}\n  alb-fn: {kind: lambda, front_door: alb}\n"+
		"  api: {kind: server, front_door: alb}\n  bare: {kind: server}\n"+idle), all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	// Each target starts from the cost section (http_api for functions)
	// and takes its own kind's front door.
	for i, want := range []struct{ fn, srv cost.FrontDoor }{
		{cost.HTTPAPI, ""}, {cost.ALB, ""}, {cost.HTTPAPI, cost.ALB}, {cost.HTTPAPI, ""},
	} {
		if c := s.Targets[i].Cost; c.LambdaFrontDoor != want.fn || c.ServerFrontDoor != want.srv {
			t.Errorf("%s: front doors %q, %q; want %q, %q", s.Targets[i].Name, c.LambdaFrontDoor, c.ServerFrontDoor, want.fn, want.srv)
		}
	}
	for _, tc := range []struct{ name, src, want string }{
		{"server behind REST API", "targets:\n  api: {kind: server, front_door: rest_api}\n" + idle,
			"x.yaml:2: targets.api.front_door: coldbench prices a server behind none or alb, not rest_api; use none or alb"},
		{"function behind none", "targets:\n  fn:\n    kind: lambda\n    front_door: none\n" + idle,
			"x.yaml:4: targets.fn.front_door: a function needs a front door to answer HTTP; use function_url, http_api, rest_api or alb (function_url, the default, is free)"},
		{"function typo", "targets:\n  fn: {kind: lambda, front_door: funtion_url}\n" + idle,
			`x.yaml:2: targets.fn.front_door: unknown front door "funtion_url" (did you mean "function_url"?)`},
		{"url target", "targets:\n  ext: {kind: url, url: \"http://127.0.0.1:1\", front_door: alb}\n" + idle,
			`x.yaml:2: unknown key "front_door" in targets.ext; valid keys are kind, request, url, cold_header and timeout`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scenario.Parse("x.yaml", []byte(tc.src), all.Specs())
			if err == nil || err.Error() != tc.want {
				t.Errorf("got\n%v\nwant\n%s", err, tc.want)
			}
		})
	}
}

// TestCostFitsPrices checks that what the parser accepts, the cost model
// prices without complaint.
func TestCostFitsPrices(t *testing.T) {
	s, err := scenario.Load("testdata/full.yaml", all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	p, err := cost.Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Cost.Check(p); err != nil {
		t.Errorf("Check: %v", err)
	}
}
