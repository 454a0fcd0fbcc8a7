package lmikind

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/kinds"
)

// lmiPrices is prices.json's kinds.lmi: what Lambda Managed Instances
// charge on top of the instances, and which instances they run on.
type lmiPrices struct {
	ManagementFee struct {
		Share float64 `json:"share"`
		cost.Source
	} `json:"management_fee"`
	RequestPerMillion cost.Price `json:"request_per_million"`
	MinInstances      struct {
		Value int `json:"value"`
		cost.Source
	} `json:"min_instances"`
	InstanceSizes struct {
		Min map[string]string `json:"min"` // by family letter: the smallest size allowed
		cost.Source
	} `json:"instance_sizes"`
}

// pricesOf decodes and checks p's kinds.lmi.
func pricesOf(p cost.Prices) (lmiPrices, error) {
	var lp lmiPrices
	raw, ok := p.Kinds[string(Name)]
	if !ok {
		return lp, fmt.Errorf("the price file %s has no kinds.%s", p.Version, Name)
	}
	if err := json.Unmarshal(raw, &lp); err != nil {
		return lp, fmt.Errorf("the price file %s: kinds.%s: %w", p.Version, Name, err)
	}
	switch {
	case !(lp.ManagementFee.Share >= 0 && lp.ManagementFee.Share < 1) || lp.ManagementFee.Source.Source == "":
		return lp, fmt.Errorf("the price file %s: kinds.%s.management_fee needs a share from 0 to 1 and a source", p.Version, Name)
	case lp.RequestPerMillion.USD < 0 || lp.RequestPerMillion.Source.Source == "":
		return lp, fmt.Errorf("the price file %s: kinds.%s.request_per_million needs a price and a source", p.Version, Name)
	case lp.MinInstances.Value < 0 || len(lp.InstanceSizes.Min) == 0:
		return lp, fmt.Errorf("the price file %s: kinds.%s needs min_instances and instance_sizes", p.Version, Name)
	}
	return lp, nil
}

// sizes orders EC2 sizes from small to large.
var sizeOrder = []string{"medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"}

// allows returns why Lambda Managed Instances do not run on the instance
// type name, or "".
func (lp lmiPrices) allows(p cost.Prices, name string) string {
	allowed := lp.allowed(p)
	if slices.Contains(allowed, name) {
		return ""
	}
	var rule []string
	for _, fam := range slices.Sorted(maps.Keys(lp.InstanceSizes.Min)) {
		rule = append(rule, fmt.Sprintf("%s types from .%s", strings.ToUpper(fam), lp.InstanceSizes.Min[fam]))
	}
	return fmt.Sprintf("Lambda Managed Instances do not run on %s (%s); of the price file's types use %s",
		name, strings.Join(rule, ", "), strings.Join(allowed, ", "))
}

// allowed lists the price file's instance types LMI runs on.
func (lp lmiPrices) allowed(p cost.Prices) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(p.Instances)) {
		class, size, ok := strings.Cut(name, ".")
		if !ok || class == "" {
			continue
		}
		least, ok := lp.InstanceSizes.Min[class[:1]]
		if !ok {
			continue
		}
		at, min := slices.Index(sizeOrder, size), slices.Index(sizeOrder, least)
		if at >= 0 && min >= 0 && at >= min {
			out = append(out, name)
		}
	}
	return out
}

// usage is what an lmi target used: the instances its environments
// needed over the run, and its requests.
type usage struct {
	s Settings
	// InstanceSeconds are the instances the environments needed, at
	// least the minimum, integrated over the run; Seconds is the run's
	// length; Peak the most instances at once.
	InstanceSeconds, Seconds float64
	PeakInstances            int
	// EnvSeconds are the environments serving, integrated over the run:
	// at another rate the line takes them in proportion (Levels).
	EnvSeconds float64
	Requests   int64
	Source     string
}

// Price prices u: the instances' on-demand price with the management fee,
// and the requests, this traffic pattern all month.
func (u usage) Price(p cost.Prices, c cost.Config, in cost.Input) (*cost.Result, error) {
	lp, err := pricesOf(p)
	if err != nil {
		return nil, err
	}
	inst, ok := p.Instances[u.s.Instance]
	if !ok {
		return nil, fmt.Errorf("the price file %s has no instance type %s", p.Version, u.s.Instance)
	}
	b := bill(u, inst, lp, in.Traffic)
	src := func(what string) string { return what + " (" + u.Source + ")" }
	view := &cost.View{
		Monthly:    cost.Figure{Value: b.monthly, Unit: "USD/month", Source: "instances, fee and requests, this pattern all month"},
		PerMillion: cost.Figure{Value: b.perMillion, Unit: "USD", Source: "the month's bill over its requests"},
		Parts: []cost.Figure{
			{Name: "instances", Value: b.instances, Unit: "USD/month", Source: src(fmt.Sprintf("%s average instances × 730 h × $%g/h, %s", cost.Sig(b.avgInstances), inst.Hourly.USD, inst.Hourly.Source.Source))},
			{Name: "management fee", Value: b.fee, Unit: "USD/month", Source: fmt.Sprintf("%s of the instances, %s", cost.Percent(lp.ManagementFee.Share), lp.ManagementFee.Source.Source)},
			{Name: "requests", Value: b.requests, Unit: "USD/month", Source: fmt.Sprintf("%s requests a month × $%g per million, %s", cost.Thousands(int64(b.monthlyRequests)), lp.RequestPerMillion.USD, lp.RequestPerMillion.Source.Source)},
		},
		Extras: []cost.Extra{
			{What: "instances", Value: fmt.Sprintf("%s on average, %d at the peak, at least %d", cost.Sig(b.avgInstances), u.PeakInstances, lp.MinInstances.Value), Source: u.Source},
			{What: "environments per instance", Value: fmt.Sprint(perInstance(u.s, inst)), Source: fmt.Sprintf("%s: %d vCPU, %g GiB; an environment %g vCPU, %d MB", u.s.Instance, inst.VCPUs, inst.MemoryGiB, u.s.VCPUs(), u.s.MemoryMB)},
		},
		As:       fmt.Sprintf("%s × %s on average (at least %d), environments of %d MB taking %d requests each", cost.Sig(b.avgInstances), u.s.Instance, lp.MinInstances.Value, u.s.MemoryMB, u.s.MaxConcurrency),
		Short:    "LMI on " + u.s.Instance,
		Brief:    fmt.Sprintf("on %s × %s (Lambda Managed Instances)", cost.Sig(b.avgInstances), u.s.Instance),
		AlwaysOn: true,
		Month:    fmt.Sprintf("%s a month on %s × %s on average", cost.Dollars(b.monthly), cost.Sig(b.avgInstances), u.s.Instance),
	}
	if u.Seconds <= 0 || in.Traffic.Seconds <= 0 {
		view.Unpriced = "the run measured no time to price"
	}
	view.Levels = levels(u, inst, lp, in.Traffic)
	prices := map[string]cost.Price{
		"lmi_instance_hourly":     {USD: inst.Hourly.USD, Source: cost.Source{Source: "price file " + p.Version + ": " + u.s.Instance + ", " + inst.Hourly.Source.Source, URL: inst.Hourly.URL}},
		"lmi_request_per_million": {USD: lp.RequestPerMillion.USD, Source: cost.Source{Source: "price file " + p.Version + ": " + lp.RequestPerMillion.Source.Source, URL: lp.RequestPerMillion.URL}},
	}
	return &cost.Result{PriceVersion: p.Version, Region: p.Region, Config: c, Input: in, Prices: prices, Model: view, Caveats: in.Notes}, nil
}

// Scaled is u with requests requests: the same instances, which a
// different count of requests at the same shape would not change much.
func (u usage) Scaled(requests int64) (kinds.Usage, string) {
	c := u
	c.Requests = requests
	return c, "Lambda Managed Instances: the instances as the run measured them, the requests scaled"
}

// billed is one month of an lmi target's bill, in USD.
type billed struct {
	avgInstances, monthlyRequests                 float64
	instances, fee, requests, monthly, perMillion float64
}

// bill works out u's month at traffic t: a month (cost.Month) of its average
// instances at inst's price, the fee on them, and the month's requests.
func bill(u usage, inst cost.Instance, lp lmiPrices, t cost.Traffic) billed {
	var b billed
	if u.Seconds > 0 {
		b.avgInstances = u.InstanceSeconds / u.Seconds
	}
	b.avgInstances = max(b.avgInstances, float64(lp.MinInstances.Value))
	b.instances = b.avgInstances * cost.Month.Hours() * inst.Hourly.USD
	b.fee = b.instances * lp.ManagementFee.Share
	if t.Seconds > 0 {
		b.monthlyRequests = t.Requests * t.Repeats()
	}
	b.requests = b.monthlyRequests / 1e6 * lp.RequestPerMillion.USD
	b.monthly = b.instances + b.fee + b.requests
	if b.monthlyRequests > 0 {
		b.perMillion = b.monthly / b.monthlyRequests * 1e6
	}
	if math.IsNaN(b.perMillion) {
		b.perMillion = 0
	}
	return b
}

// levels is u's cost line: at average rate x, k = x over the run's rate
// times the environments the run kept serving on average, packed on
// instances (at least the minimum), and k times the requests: an
// estimate, which assumes the environments' work per request stays what
// the run measured.
func levels(u usage, inst cost.Instance, lp lmiPrices, t cost.Traffic) []cost.Level {
	lo, hi, ok := cost.ChartRange(t)
	if !ok || u.Seconds <= 0 {
		return nil
	}
	per := float64(max(1, perInstance(u.s, inst)))
	envs := u.EnvSeconds / u.Seconds
	var out []cost.Level
	for _, x := range cost.LogRates(lo, hi) {
		k := x / t.AverageRate
		n := max(float64(lp.MinInstances.Value), math.Ceil(envs*k/per))
		instances := n * cost.Month.Hours() * inst.Hourly.USD
		requests := t.Requests * t.Repeats() * k / 1e6 * lp.RequestPerMillion.USD
		out = append(out, cost.Level{Rate: x, Monthly: instances*(1+lp.ManagementFee.Share) + requests, Instances: int(n)})
	}
	return out
}
