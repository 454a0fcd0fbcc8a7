package cost_test

import (
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/cost"
)

// TestDefault checks the embedded price file: it parses, and every price
// in it has a source (Parse checks that), with the figures of the brief.
func TestDefault(t *testing.T) {
	p, err := cost.Default()
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != "2026-12-01" || p.Region != "us-east-1" || p.Lambda.BillingGranularityMs != 1 || !p.Lambda.InitBilled {
		t.Errorf("header: %+v", p)
	}
	if p.Lambda.FreeTier.Applied {
		t.Error("free tier applied")
	}
	x86, arm := p.Lambda.Architectures[cost.X86_64], p.Lambda.Architectures[cost.ARM64]
	for what, got := range map[string]struct {
		p    *cost.Price
		want float64
	}{
		"x86 requests": {x86.RequestPerMillion, 0.20},
		"x86 GB-s":     {x86.GBSecond, 0.0000166667},
		"x86 PC":       {x86.ProvisionedGBSecond, 0.0000041667},
		"x86 PC exec":  {x86.ProvisionedExecutionGBSecond, 0.0000097222},
		"arm requests": {arm.RequestPerMillion, 0.20},
		"arm GB-s":     {arm.GBSecond, 0.0000133334},
	} {
		if got.p == nil || got.p.USD != got.want {
			t.Errorf("%s = %+v, want %g", what, got.p, got.want)
			continue
		}
		if !strings.Contains(got.p.Source.Source, "AWS Lambda pricing") || got.p.URL != "https://aws.amazon.com/lambda/pricing/" {
			t.Errorf("%s: source %+v", what, got.p.Source)
		}
	}
	if arm.ProvisionedGBSecond != nil || arm.ProvisionedExecutionGBSecond != nil {
		t.Error("the price file has arm64 provisioned-concurrency prices; the brief gives none")
	}
	for name, want := range map[string]struct {
		vcpus  int
		mem    float64
		hourly float64
	}{
		"t4g.small": {2, 2, 0.0168}, "t3.small": {2, 2, 0.0208},
		"c7g.large": {2, 4, 0.0725}, "m7g.large": {2, 8, 0.0816},
	} {
		in, err := p.Instance(name)
		if err != nil {
			t.Error(err)
			continue
		}
		if in.VCPUs != want.vcpus || in.MemoryGiB != want.mem || in.Hourly.USD != want.hourly {
			t.Errorf("%s = %+v, want %+v", name, in, want)
		}
		if !strings.Contains(in.Hourly.Source.Source, "secondary sources 2025-2026") || in.SpecsSource.Source == "" {
			t.Errorf("%s: sources %+v, %+v", name, in.Hourly.Source, in.SpecsSource)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for name, src := range map[string]string{
		"not JSON":       `{`,
		"unknown field":  `{"version": "x", "colour": 1}`,
		"no sources":     strings.Replace(validFile, `"source": "AWS"`, `"source": ""`, 1),
		"negative price": strings.Replace(validFile, `"usd": 0.2`, `"usd": -1`, 1),
		"no arm64":       strings.Replace(validFile, `"arm64"`, `"sparc"`, 1),
		"no vcpus":       strings.Replace(validFile, `"vcpus": 2`, `"vcpus": 0`, 1),
		"no ALB price":   strings.Replace(validFile, `"hourly": {"usd": 1, "source": "s"}, "lcu_hourly"`, `"lcu_hourly"`, 1),
		"no LCU":         strings.Replace(validFile, `"new_connections_per_second": 25`, `"new_connections_per_second": 0`, 1),
		"no tier":        strings.Replace(validFile, `"first_tier_requests_per_month": 1,`, ``, 1),
	} {
		if _, err := cost.Parse([]byte(src)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := cost.Parse([]byte(validFile)); err != nil {
		t.Errorf("the valid file: %v", err)
	}
}

// validFile is the smallest price file Parse accepts.
const validFile = `{
  "version": "v", "retrieved": "r", "region": "us-east-1", "currency": "USD",
  "lambda": {
    "billing_granularity_ms": 1, "billing_granularity_source": {"source": "s"},
    "init_billed": true, "init_billed_source": {"source": "s"},
    "free_tier": {"requests_per_month": 1, "gb_seconds_per_month": 1, "applied": false, "source": "s"},
    "architectures": {
      "x86_64": {"request_per_million": {"usd": 0.2, "source": "AWS"}, "gb_second": {"usd": 1, "source": "s"}},
      "arm64": {"request_per_million": {"usd": 0.2, "source": "s"}, "gb_second": {"usd": 1, "source": "s"}}
    }
  },
  "front_doors": {
    "function_url": {"source": "s"},
    "http_api": {"request_per_million": {"usd": 1, "source": "s"}, "first_tier_requests_per_month": 1, "next_tier_request_per_million": {"usd": 0.9, "source": "s"}},
    "rest_api": {"request_per_million": {"usd": 3.5, "source": "s"}, "first_tier_requests_per_month": 1, "next_tier_request_per_million": {"usd": 2.8, "source": "s"}},
    "alb": {"hourly": {"usd": 1, "source": "s"}, "lcu_hourly": {"usd": 1, "source": "s"},
      "lcu": {"new_connections_per_second": 25, "active_connections_per_minute": 3000, "processed_gb_per_hour_instances": 1,
        "processed_gb_per_hour_lambda": 0.4, "rule_evaluations_per_second": 1000, "free_rules": 10, "source": "s"}}
  },
  "instances": {"i": {"architecture": "arm64", "vcpus": 2, "memory_gib": 1, "specs_source": {"source": "s"}, "hourly": {"usd": 1, "source": "s"}}}
}`
