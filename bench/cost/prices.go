package cost

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// pricesJSON is the price file, a string so that nothing can change it.
//
//go:embed prices.json
var pricesJSON string

// Source says where a fact comes from: a short text, and the page it is on.
type Source struct {
	Source string `json:"source"`
	URL    string `json:"url,omitempty"`
}

// Price is one price in US dollars, with where it comes from.
type Price struct {
	USD float64 `json:"usd"`
	Source
}

// Prices is a versioned price file: what Lambda, the server's instances
// and the front doors in front of them cost, each price with its source.
type Prices struct {
	Version   string       `json:"version"`   // the date the file was compiled, e.g. 2026-12-01
	Retrieved string       `json:"retrieved"` // when its prices were looked up
	Region    string       `json:"region"`
	Currency  string       `json:"currency"`
	Notes     []string     `json:"notes"`
	Lambda    LambdaPrices `json:"lambda"`
	// FrontDoors are what the traffic comes in through: a Function URL,
	// API Gateway or an Application Load Balancer.
	FrontDoors FrontDoorPrices `json:"front_doors"`
	// Instances are EC2 instance types, by name (t4g.small, …): a
	// server's, or those a kind runs its environments on.
	Instances map[string]Instance `json:"instances"`
	// Kinds holds, by kind, the prices of a kind whose price model is its
	// own (kinds.Usage) rather than this package's: the kind decodes and
	// checks its entry itself, so that a new kind adds its prices here
	// without a change to this package.
	Kinds map[string]json.RawMessage `json:"kinds,omitempty"`
}

// LambdaPrices is how AWS Lambda bills a function.
type LambdaPrices struct {
	BillingGranularityMs     int    `json:"billing_granularity_ms"`
	BillingGranularitySource Source `json:"billing_granularity_source"`
	// InitBilled says that the INIT phase of a cold start is billed as
	// duration.
	InitBilled       bool     `json:"init_billed"`
	InitBilledSource Source   `json:"init_billed_source"`
	FreeTier         FreeTier `json:"free_tier"`
	// Architectures holds the prices of x86_64 and arm64 functions.
	Architectures map[Architecture]ArchPrices `json:"architectures"`
}

// FreeTier is Lambda's monthly free tier. The model never applies it.
type FreeTier struct {
	RequestsPerMonth  float64 `json:"requests_per_month"`
	GBSecondsPerMonth float64 `json:"gb_seconds_per_month"`
	Applied           bool    `json:"applied"`
	Note              string  `json:"note"`
	Source
}

// ArchPrices are the Lambda prices of one architecture. A nil price is one
// the file does not have: the model cannot use it unless a scenario sets it.
type ArchPrices struct {
	RequestPerMillion *Price `json:"request_per_million"`
	GBSecond          *Price `json:"gb_second"` // on-demand duration
	// ProvisionedGBSecond is paid for each provisioned environment while
	// provisioned concurrency is enabled, whether it runs or not.
	ProvisionedGBSecond *Price `json:"provisioned_gb_second"`
	// ProvisionedExecutionGBSecond is the duration price of the
	// invocations provisioned environments serve.
	ProvisionedExecutionGBSecond *Price `json:"provisioned_execution_gb_second"`
}

// Instance is an EC2 instance type the server can run on.
type Instance struct {
	Architecture Architecture `json:"architecture"`
	VCPUs        int          `json:"vcpus"`
	MemoryGiB    float64      `json:"memory_gib"`
	// Burstable instances (T family) sustain only a baseline share of
	// their vCPUs without spending CPU credits.
	Burstable   bool   `json:"burstable"`
	SpecsSource Source `json:"specs_source"`
	Hourly      Price  `json:"hourly"`
}

// Architecture is a Lambda function's (or an instance's) instruction set.
type Architecture string

// The architectures Lambda offers.
const (
	X86_64 Architecture = "x86_64"
	ARM64  Architecture = "arm64"
)

// Default returns the prices of the file embedded in coldbench,
// bench/cost/prices.json.
func Default() (Prices, error) {
	p, err := Parse([]byte(pricesJSON))
	if err != nil {
		return Prices{}, fmt.Errorf("bench/cost/prices.json: %w", err)
	}
	return p, nil
}

// Parse reads a price file and checks it: every price is a finite number of
// at least 0 with a source, every instance has vCPUs, and both
// architectures are there.
func Parse(data []byte) (Prices, error) {
	var p Prices
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Prices{}, err
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if p.Version == "" || p.Region == "" || p.Currency != "USD" {
		bad("version, region and currency USD are required")
	}
	if p.Lambda.BillingGranularityMs <= 0 || p.Lambda.BillingGranularitySource.Source == "" {
		bad("lambda.billing_granularity_ms must be above 0 and have a source")
	}
	if p.Lambda.InitBilledSource.Source == "" {
		bad("lambda.init_billed needs a source")
	}
	if p.Lambda.FreeTier.Applied || p.Lambda.FreeTier.Source.Source == "" {
		bad("lambda.free_tier needs a source and must not be applied: the model does not apply it")
	}
	check := func(what string, pr *Price, required bool) {
		switch {
		case pr == nil && required:
			bad("%s is missing", what)
		case pr == nil:
		case math.IsNaN(pr.USD) || math.IsInf(pr.USD, 0) || pr.USD < 0:
			bad("%s: %v is not a price", what, pr.USD)
		case strings.TrimSpace(pr.Source.Source) == "":
			bad("%s has no source", what)
		}
	}
	for _, a := range []Architecture{X86_64, ARM64} {
		ap, ok := p.Lambda.Architectures[a]
		if !ok {
			bad("lambda.architectures.%s is missing", a)
			continue
		}
		w := "lambda.architectures." + string(a) + "."
		check(w+"request_per_million", ap.RequestPerMillion, true)
		check(w+"gb_second", ap.GBSecond, true)
		check(w+"provisioned_gb_second", ap.ProvisionedGBSecond, false)
		check(w+"provisioned_execution_gb_second", ap.ProvisionedExecutionGBSecond, false)
	}
	p.FrontDoors.check(check, bad)
	if len(p.Instances) == 0 {
		bad("no instances")
	}
	for _, name := range p.InstanceNames() {
		in := p.Instances[name]
		if in.VCPUs <= 0 || in.MemoryGiB <= 0 || in.SpecsSource.Source == "" {
			bad("instances.%s needs vcpus, memory_gib and a specs_source", name)
		}
		check("instances."+name+".hourly", &in.Hourly, true)
	}
	if err := errors.Join(errs...); err != nil {
		return Prices{}, err
	}
	return p, nil
}

// InstanceNames returns the names of the instance types of p, sorted.
func (p Prices) InstanceNames() []string {
	names := make([]string, 0, len(p.Instances))
	for n := range p.Instances {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Instance returns the instance type called name, or an error that lists
// the known ones.
func (p Prices) Instance(name string) (Instance, error) {
	in, ok := p.Instances[name]
	if !ok {
		return Instance{}, fmt.Errorf("unknown instance type %q; the price file %s knows %s", name, p.Version, strings.Join(p.InstanceNames(), ", "))
	}
	return in, nil
}
