package harness

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/bench/verdict"
)

func TestTraffic(t *testing.T) {
	phases := []scenario.Phase{
		{Name: "c", Duration: 10 * time.Second, Shape: scenario.Constant, Rate: 5},
		{Name: "r", Duration: 10 * time.Second, Shape: scenario.Ramp, From: 10, To: 30},
		{Name: "i", Duration: 20 * time.Second, Shape: scenario.Idle},
		{Name: "s", Duration: 8 * time.Second, Shape: scenario.Sine, Mean: 20, Amplitude: 10, Period: 8 * time.Second},
	}
	tr := traffic(phases, nil)
	// 5 × 10 + (10 + 30) / 2 × 10 + 0 + 20 × 8 (whole periods) = 50 + 200 + 160 = 410
	// requests in 48 s; the peak is the sine's 20 + 10 = 30 (the ramp's end too).
	if tr.Seconds != 48 || math.Abs(tr.Requests-410) > 1e-9 || math.Abs(tr.AverageRate-410.0/48) > 1e-9 || tr.PeakRate != 30 {
		t.Errorf("traffic = %+v", tr)
	}
	// A sine cut short before its top: 20 + 10 sin(2π × 1/8) = 27.07.
	short := scenario.Phase{Duration: time.Second, Shape: scenario.Sine, Mean: 20, Amplitude: 10, Period: 8 * time.Second}
	if got, want := peakRate(short), 20+10*math.Sin(math.Pi/4); math.Abs(got-want) > 1e-9 {
		t.Errorf("peakRate(short sine) = %g, want %g", got, want)
	}
	// A rate: max phase counts what the busiest target was sent.
	closed := []scenario.Phase{{Name: "m", Duration: 10 * time.Second, Shape: scenario.Constant, Max: true, Workers: 4}}
	tg := func(n int64) *record.Target {
		return &record.Target{Phases: []*record.Phase{{Classes: map[record.Class]*record.Series{record.All: {Counts: record.Counts{Requests: n}}}}}}
	}
	if tr := traffic(closed, []*record.Target{tg(300), tg(500)}); tr.Requests != 500 || tr.PeakRate != 50 {
		t.Errorf("rate: max traffic = %+v, want 500 requests, peak 50", tr)
	}
}

func TestPrintVerdictFrontDoor(t *testing.T) {
	prices, err := cost.Default()
	if err != nil {
		t.Fatal(err)
	}
	tr := cost.Traffic{Seconds: 100, Requests: 1000, AverageRate: 10, PeakRate: 20}
	fn, err := cost.Compute(prices, cost.Config{LambdaFrontDoor: cost.HTTPAPI}, cost.Input{Traffic: tr,
		Lambda: &cost.LambdaUsage{MemoryMB: 512, Requests: 1000, Invocations: 1000, BilledMs: 20000, BilledRows: 1000, InitInBilled: true}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := cost.Compute(prices, cost.Config{}, cost.Input{Traffic: tr,
		Server: &cost.ServerUsage{Requests: 1000, Served: 1000, CPUSeconds: 0.5}})
	if err != nil {
		t.Fatal(err)
	}
	v := verdict.Verdict{Ranking: []verdict.Standing{{Target: "fn", Priced: true}, {Target: "api", Priced: true}}, Best: "fn", Reference: "api"}
	var b strings.Builder
	printVerdict(&b, v, map[string]*cost.Result{"fn": fn, "api": srv})
	// fn: $9.63600876 + $26.28 of HTTP API = $35.92 a month, $1.37 per
	// million; api: one t4g.small, $12.264; break-even 12.264 / 3.5916 =
	// 3.41 requests/s (see bench/cost's TestHTTPAPIInFrontOfLambda).
	for _, want := range []string{
		"fn $35.92/month behind an API Gateway HTTP API ($1.37 per million requests)",
		"api $12.26/month on 1 × t4g.small, reached directly, with no load balancer ($0.467 per million requests)",
		"break-even: fn is cheaper than api below 3.41 requests/s on average",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("verdict lacks %q:\n%s", want, b.String())
		}
	}
}
