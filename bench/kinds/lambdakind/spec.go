package lambdakind

import (
	"fmt"
	"strings"
	"time"

	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/report"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
)

// Name is the kind's name in a scenario (kind: lambda).
const Name scenario.Kind = "lambda"

// What the scenario reads: the Spec and its capabilities.
var (
	_ kinds.Ager              = (*Kind)(nil)
	_ report.Describer        = FunctionConfig{}
	_ report.PlatformModeller = FunctionConfig{}
	_ scenario.Spec           = (*Kind)(nil)
	_ scenario.Shorthand      = (*Kind)(nil)
	_ scenario.Sweeper        = (*Kind)(nil)
	_ scenario.FrontDoored    = (*Kind)(nil)
)

// Limits and defaults of a function's settings.
const (
	defaultMemoryMB    = 512
	minMemoryMB        = 128
	maxMemoryMB        = 10240
	defaultTimeout     = 3 * time.Second
	maxTimeout         = 900 * time.Second
	defaultKeepalive   = 10 * time.Minute
	defaultConcurrency = 1000
)

// Kind is lambda.
func (k *Kind) Kind() scenario.Kind { return Name }

// Keys are a function's keys.
func (k *Kind) Keys() []string {
	return []string{"runtime", "sandbox", "handler", "memory", "timeout", "keepalive", "max_lifetime", "concurrency", "provisioned", "scaling",
		"init_work", "request_work", "request_wait", "env", "faults", "pool", "platform",
		"bootstrap", "zip", "image", "code"}
}

// CostKeys are, of the cost section's, a function's architecture and
// front door.
func (k *Kind) CostKeys() []string { return []string{"architecture", "front_door"} }

// Parse reads a function's settings (FunctionConfig) into t: it records
// cold, warm and provisioned requests, told apart by the emulated
// service's headers.
func (k *Kind) Parse(p *scenario.Parser, f map[string]scenario.Field, t *scenario.Target) {
	t.Settings = parseFunction(p, f)
	records(t)
}

// records says what a function records: cold, warm and provisioned
// requests, told apart by the emulated service's headers.
func records(t *scenario.Target) {
	t.Classes = []string{"all", "cold", "warm", "provisioned"}
	t.ColdHeader, t.Routed = lambda.HeaderCold, true
}

// Target returns a lambda target called name with the settings of an
// empty entry, as the scenario would read it.
func Target(name string) scenario.Target {
	t := scenario.Target{Name: name, Kind: Name, Settings: Settings(scenario.Target{})}
	records(&t)
	return t
}

// Ages says which of a function's durations a trace's speed divides
// (config).
func (k *Kind) Ages(speed float64) string {
	return fmt.Sprintf("The functions' keepalive, max_lifetime and scaling window are divided by %g to age with the trace; their timeout, work and cold starts are not.", speed)
}

// Section is the shorthand's function section.
func (k *Kind) Section() string { return "function" }

// Rank runs the shorthand's function after its server.
func (k *Kind) Rank() int { return 1 }

// Sizes are Lambda's memory sizes, in MB.
func (k *Kind) Sizes() (lo, hi int) { return minMemoryMB, maxMemoryMB }

// Sized returns t with mb MB of memory.
func (k *Kind) Sized(t scenario.Target, mb int) scenario.Target {
	fn := Settings(t)
	fn.MemoryMB = mb
	t.Settings = fn
	return t
}

// FrontDoors are a function's.
func (k *Kind) FrontDoors() scenario.DoorFamily { return scenario.FunctionDoors }

// Settings returns the settings of the lambda target t; the defaults of
// an empty entry for any other.
func Settings(t scenario.Target) FunctionConfig {
	if fn, ok := t.Settings.(FunctionConfig); ok {
		return fn
	}
	c := defaults()
	resolvePool(&c)
	return c
}

// defaults are the settings of an empty entry, before its keys are read;
// Pool -1 is auto, which resolvePool resolves once the concurrency is
// known.
func defaults() FunctionConfig {
	return FunctionConfig{MemoryMB: defaultMemoryMB, Timeout: defaultTimeout, Keepalive: defaultKeepalive, Concurrency: defaultConcurrency,
		Runtime: Auto, Pool: -1, Platform: lambda.Published().Delay(), PlatformModel: true}
}

// Describe says what fn sets, for the report's list of targets.
func (fn FunctionConfig) Describe() string {
	var parts []string
	if fn.MemoryMB > 0 {
		parts = append(parts, fmt.Sprintf("%d MB", fn.MemoryMB))
	}
	if fn.Timeout > 0 {
		parts = append(parts, "timeout "+scenario.FormatDuration(fn.Timeout))
	}
	if fn.Keepalive > 0 {
		parts = append(parts, "environments reaped after "+scenario.FormatDuration(fn.Keepalive)+" idle")
	}
	if fn.Provisioned > 0 {
		parts = append(parts, fmt.Sprintf("%d provisioned", fn.Provisioned))
	}
	if fn.Concurrency > 0 {
		parts = append(parts, fmt.Sprintf("concurrency %d", fn.Concurrency))
	}
	if !fn.Work.Zero() {
		parts = append(parts, fn.Work.String())
	}
	return strings.Join(parts, ", ")
}

// ColdStartModel says how fn's cold starts are modelled, for the report:
// the platform part, the pool of sandboxes, and whether the model is the
// published one.
func (fn FunctionConfig) ColdStartModel() (model, pool string, published bool) {
	switch {
	case fn.Pool == 0:
		pool = "none: every cold start started its sandbox on demand"
	case fn.PoolAuto:
		pool = fmt.Sprintf("%d sandboxes (auto: the concurrency less provisioned environments, at most %d)", fn.Pool, MaxAutoPool)
	default:
		pool = fmt.Sprintf("%d sandboxes", fn.Pool)
	}
	return fn.Platform.String(), pool, fn.PlatformModel
}
