package lambdakind

import (
	"fmt"
	"time"

	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
)

// FunctionConfig sets up the Lambda function and its emulated platform.
type FunctionConfig struct {
	Runtime   Sandbox       // where execution environments run (sandbox:); default Auto
	MemoryMB  int           // 128..10240; default 512
	Timeout   time.Duration // whole seconds, 1s..900s; default 3s
	Keepalive time.Duration // idle time after which an environment is reaped; default 10m
	// KeepaliveMax, when above Keepalive, makes the keepalive a range:
	// each environment draws its own uniformly from [Keepalive,
	// KeepaliveMax]. AWS publishes no idle lifetime.
	KeepaliveMax time.Duration
	// MaxLifetime recycles an environment this old once it goes idle,
	// however busy it is; zero never does.
	MaxLifetime time.Duration
	// Provisioned environments are initialized before the first request
	// and never reaped; at most Concurrency.
	Provisioned int
	// ScaleRate caps new environments at ScaleRate per ScaleWindow (real
	// Lambda: 1,000 per 10 s); zero is no cap.
	ScaleRate   int
	ScaleWindow time.Duration
	Concurrency int // reserved concurrency, the most environments busy at once; default 1000
	// Pool is how many sandboxes (environments started ahead of need,
	// never invoked) the emulated service keeps ready for cold starts;
	// zero is none. PoolAuto says it was auto: min(Concurrency -
	// Provisioned, MaxAutoPool).
	Pool     int
	PoolAuto bool
	// Platform is the modelled platform part of every cold start, waited
	// before its first invoke; PlatformModel says it is the published
	// model of targets/lambda/platform.json (the default).
	Platform      lambda.Delay
	PlatformModel bool
	Work          scenario.Work
	Env           map[string]string // extra environment variables for the function
	Faults        Faults
	// Code is what the function runs: the built-in order function, or
	// the user's bootstrap, zip or image (function_code.go).
	Code FunctionCode
}

// Faults are failures injected into a Lambda function's run, each turned by
// the emulated service into what real Lambda does with it.
type Faults struct {
	Crash       float64 // share of requests whose function process exits mid-invoke
	Panic       float64 // share of requests whose handler panics
	Timeout     float64 // share of requests that run past the function timeout
	InitFailure float64 // share of new environments whose INIT fails
	// KillEvery kills one live environment from outside this often, as a
	// host failure would; zero never does.
	KillEvery time.Duration
}

// Any reports whether f injects anything.
func (f Faults) Any() bool { return f != Faults{} }

// Sandbox says where the Lambda function's execution environments run.
type Sandbox string

// The runtimes.
const (
	Auto      Sandbox = "auto"                  // Container where a Docker engine answers, else Process
	Container Sandbox = lambda.ContainerSandbox // one container per environment
	Process   Sandbox = lambda.ProcessSandbox   // local processes
)

// ParseSandbox reads where environments run.
func ParseSandbox(s string) (Sandbox, error) {
	switch r := Sandbox(s); r {
	case Auto, Container, Process:
		return r, nil
	}
	return "", fmt.Errorf("sandbox must be auto, container or process, not %q", s)
}
