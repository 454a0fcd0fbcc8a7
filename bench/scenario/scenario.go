package scenario

import (
	"github.com/coldbench/coldbench/targets/lambda"

	"fmt"
	"time"

	"github.com/coldbench/coldbench/bench/cost"
)

// Kind is a kind of target: what a target is, which settings it takes and
// which classes of requests it records. The harness runs each kind behind
// one interface (package kinds).
type Kind string

// The kinds coldbench knows.
const (
	Server Kind = "server" // an always-on HTTP server
	Lambda Kind = "lambda" // an emulated AWS Lambda function
	URL    Kind = "url"    // an endpoint already running, which coldbench only sends load to
)

// Kinds lists the kinds, in the order messages name them.
func Kinds() []Kind { return []Kind{Lambda, Server, URL} }

// Classes returns the classes of requests a target of kind k may record,
// in the order reports list them: every kind has all; a Lambda function
// also splits its requests into cold (a new execution environment), warm
// and provisioned (a part of warm); a url target into cold and warm when
// it names a cold header. Target.Classes says what one target records.
func (k Kind) Classes() []string {
	switch k {
	case Lambda:
		return []string{"all", "cold", "warm", "provisioned"}
	case URL:
		return []string{"all", "cold", "warm"}
	}
	return []string{"all"}
}

// Target is one named system under test of a kind, with that kind's
// settings.
type Target struct {
	Name string
	Kind Kind
	Line int // of its entry in the scenario file; 0 for the shorthand's defaults

	Server   ServerConfig   // when Kind is Server
	Function FunctionConfig // when Kind is Lambda
	URL      URLConfig      // when Kind is URL
	// Cost is how the target is priced: the scenario's cost section with
	// the target's own settings (a server's instance type, a function's
	// architecture) over it.
	Cost cost.Config
	// Request is what the target is sent, in turn: its own request
	// section, else the scenario's.
	Request Requests
	// Sweep says which memory sweep the target is a size of; its Base is
	// empty for a target that is not.
	Sweep Sweep
}

// Scenario is a parsed and validated scenario file.
type Scenario struct {
	Name        string // defaults to the file name without extension
	Description string
	Path        string // the file it was read from

	// Targets lists the targets to run, in run order; their names are
	// unique.
	Targets []Target
	// Concurrent runs the targets at the same time; by default (false) they
	// run one after the other so that they do not compete for the cores.
	Concurrent bool

	Phases []Phase
	// Cost is the scenario's cost section: how every target is priced
	// unless it says otherwise (Target.Cost); zero fields are cost's
	// defaults.
	Cost cost.Config
	// Request is the scenario's request section: what every target is
	// sent, in turn, unless it has its own (Target.Request); the zero
	// value is DefaultRequest.
	Request Requests

	// Objectives are what the targets' latencies and error rates must meet;
	// a run that breaks one fails its gate.
	Objectives []Objective

	// KeepHostWait (host_wait: keep) judges objectives, the verdict, the
	// ranking and what reads them on latencies as measured, with the time
	// a target waited for this machine's CPU left in. By default
	// (host_wait: subtract) they read latencies less that wait where it
	// was measured (record.Series.Net).
	KeepHostWait bool
}

// The values of host_wait.
const (
	HostWaitSubtract = "subtract"
	HostWaitKeep     = "keep"
)

// Work is the simulated work of the order handler, as CPU time on an
// unconstrained core of the machine running the bench.
type Work struct {
	Init    time.Duration // once, at start-up (models SDK and framework init)
	Request time.Duration // on every request
	// Wait is spent on every request waiting, not computing (a database
	// call): no CPU, but it holds the request and, in Lambda, its
	// environment.
	Wait time.Duration
}

// ServerConfig sets up the dedicated server: the built-in order server
// with its simulated Work, or the user's own, run from Command or Image
// (see serverCode for the keys).
type ServerConfig struct {
	Work Work // the built-in server's; zero for the user's own
	// Command is the user's server, a program and its arguments, in
	// which PortPlaceholder stands for the port coldbench chose (also
	// given as PORT in its environment). The program is looked up in
	// PATH, or relative to Dir when it holds a /.
	Command []string
	// Dir is Command's working folder, absolute or relative to where
	// coldbench runs; the scenario file's folder by default.
	Dir string
	// Image is a local container image of the user's server, listening
	// on Port inside the container.
	Image string
	Port  int
	// Env holds extra environment variables of Command or Image.
	Env map[string]string
	// Ready is the request that says the user's server is up, answered
	// with any status below 500; nil is the target's first request.
	Ready *Request
	// StartTimeout bounds the wait for Ready (DefaultStartTimeout).
	StartTimeout time.Duration
}

// Own reports whether the server is the user's (Command or Image) rather
// than the built-in one.
func (c ServerConfig) Own() bool { return len(c.Command) > 0 || c.Image != "" }

// FunctionConfig sets up the Lambda function and its emulated platform.
type FunctionConfig struct {
	Runtime   Runtime       // where execution environments run; default Auto
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
	Work          Work
	Env           map[string]string // extra environment variables for the function
	Faults        Faults
	// Code is what the function runs: the built-in order function, or
	// the user's bootstrap, zip or image (function_code.go).
	Code FunctionCode
	// Speed is the scenario's trace speed (Scenario.Speed; 0 or 1 without
	// a trace phase): the emulated service divides its durations
	// (keepalive, max_lifetime, the scaling window) by it, so that the
	// function ages as the replayed trace does.
	Speed float64
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

// Runtime says where the Lambda function's execution environments run.
type Runtime string

// The runtimes.
const (
	Auto      Runtime = "auto"      // Container where a Docker engine answers, else Process
	Container Runtime = "container" // one container per environment
	Process   Runtime = "process"   // local processes
)

// ParseRuntime reads a runtime name.
func ParseRuntime(s string) (Runtime, error) {
	switch r := Runtime(s); r {
	case Auto, Container, Process:
		return r, nil
	}
	return "", fmt.Errorf("runtime must be auto, container or process, not %q", s)
}

// Shape is the form of a phase's request rate over time.
type Shape string

// The rate shapes.
const (
	Constant Shape = "constant" // Rate requests/s throughout
	Ramp     Shape = "ramp"     // linear from From to To requests/s
	Sine     Shape = "sine"     // Mean ± Amplitude requests/s with the given Period
	Idle     Shape = "idle"     // no requests at all
	Trace    Shape = "trace"    // the requests of a recorded trace (Phase.Trace)
)

// Phase is one stretch of the schedule.
type Phase struct {
	Name     string
	Duration time.Duration
	Shape    Shape

	Rate      float64       // Constant: requests per second
	Max       bool          // Constant with rate: max: as fast as Workers allow (closed model)
	Workers   int           // most requests in flight; 0 means no limit (open model)
	From, To  float64       // Ramp: requests per second at the start and at the end
	Mean      float64       // Sine: mid-point, requests per second
	Amplitude float64       // Sine: requests per second, less than Mean
	Period    time.Duration // Sine
	Trace     *TraceData    // Trace: the window's requests, read from its file

	Line int // line of the phase in the scenario file
}

// Duration returns the length of the whole schedule, the sum of the phases.
func (s *Scenario) Duration() time.Duration {
	var d time.Duration
	for _, p := range s.Phases {
		d += p.Duration
	}
	return d
}

// Target returns the target called name, or nil.
func (s *Scenario) Target(name string) *Target {
	for i := range s.Targets {
		if s.Targets[i].Name == name {
			return &s.Targets[i]
		}
	}
	return nil
}

// Names returns the names of the targets, in run order.
func (s *Scenario) Names() []string {
	names := make([]string, len(s.Targets))
	for i, t := range s.Targets {
		names[i] = t.Name
	}
	return names
}

// HasKind reports whether the scenario runs a target of kind k.
func (s *Scenario) HasKind(k Kind) bool {
	for _, t := range s.Targets {
		if t.Kind == k {
			return true
		}
	}
	return false
}
