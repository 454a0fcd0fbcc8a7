package scenario_test

import (
	"reflect"
	"testing"

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
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := scenario.Parse("x.yaml", []byte(tc.src))
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
			`x.yaml:2: unknown key "region" in cost; valid keys are architecture, instance, min_instances, target_utilization and prices`},
		{"architecture", "cost: {architecture: sparc}\n" + idle, `x.yaml:1: cost.architecture must be x86_64 or arm64, not "sparc"`},
		{"architecture amd64", "cost: {architecture: amd64}\n" + idle, `x.yaml:1: cost.architecture must be x86_64 or arm64, not "amd64"; write x86_64`},
		{"architecture aarch64", "cost: {architecture: aarch64}\n" + idle, `x.yaml:1: cost.architecture must be x86_64 or arm64, not "aarch64"; write arm64`},
		{"instance typo", "cost:\n  instance: c7g.larg\n" + idle, `x.yaml:2: cost.instance: unknown instance type "c7g.larg" (did you mean "c7g.large"?)`},
		{"instance unknown", "cost:\n  instance: p5.48xlarge\n" + idle,
			`x.yaml:2: cost.instance: unknown instance type "p5.48xlarge"; the price file 2026-11-26 knows c7g.large, m7g.large, t3.small and t4g.small`},
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
			_, err := scenario.Parse("x.yaml", []byte(tc.src))
			if err == nil || err.Error() != tc.want {
				t.Errorf("got\n%v\nwant\n%s", err, tc.want)
			}
		})
	}
}

// TestCostFitsPrices checks that what the parser accepts, the cost model
// prices without complaint.
func TestCostFitsPrices(t *testing.T) {
	s, err := scenario.Load("testdata/full.yaml")
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
