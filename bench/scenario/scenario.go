package scenario

import (
	"fmt"
	"strings"
	"time"

	"github.com/coldbench/coldbench/bench/cost"
)

// Target is one named system under test of a kind, with that kind's
// settings.
type Target struct {
	Name string
	Kind Kind
	Line int // of its entry in the scenario file; 0 for the shorthand's defaults

	// Settings are the kind's own, as its Spec read them; only its
	// package reads them.
	Settings any
	// Classes are the classes of requests the target records, in the
	// order reports list them, all first (record.Class): a Lambda
	// function also records cold (a new execution environment), warm and
	// provisioned; ColdHeader is then the response header that says
	// "true" on a cold response and "false" on a warm one. Its Spec sets
	// both; all alone when it says nothing.
	Classes    []string
	ColdHeader string
	// Routed says the target answers through coldbench's emulated Lambda
	// service (targets/lambda), whose responses carry the anatomy of
	// their cold starts and their waits in its headers.
	Routed bool
	// Cost is how the target is priced: the scenario's cost section with
	// the target's own settings (a server's instance type, a function's
	// architecture) over it.
	Cost cost.Config
	// Request is what the target is sent, in turn: its own request
	// section, else the scenario's.
	Request Requests
	// Sweep says which sweep the target is a size of; its Base is empty
	// for a target that is not.
	Sweep Sweep
	// Speed is the scenario's trace speed (Scenario.Speed; 1 without a
	// trace phase), by which a kind that ages its target divides its
	// durations, so that it ages as the replayed trace does.
	Speed float64
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

// String describes w, as the report lists a target's settings.
func (w Work) String() string {
	s := fmt.Sprintf("work: init %s, per request %s", FormatDuration(w.Init), FormatDuration(w.Request))
	if w.Wait > 0 {
		s += ", waiting " + FormatDuration(w.Wait)
	}
	return s
}

// Zero reports whether w does no work.
func (w Work) Zero() bool { return w == Work{} }

// FormatDuration prints d as time.Duration does, less its trailing zero
// units: 10m rather than 10m0s, 1h rather than 1h0m0s.
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
