// Package record turns a stream of vegeta results into HdrHistograms: one per
// target, phase and class (all, cold, warm), with error counts kept beside
// them, a latency-over-time series and the list of cold starts.
package record

import (
	"time"

	"github.com/coldbench/coldbench/targets/lambda"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Histogram range and precision: 1 µs to 60 s, 3 significant digits, values
// in microseconds.
const (
	LowestUs  = 1
	HighestUs = 60_000_000
	SigFigs   = 3
)

// NewHistogram returns an empty histogram with the range and precision above.
func NewHistogram() *hdrhistogram.Histogram {
	return hdrhistogram.New(LowestUs, HighestUs, SigFigs)
}

// Class splits a target's requests by how they were served.
type Class string

// The classes. A server has only All; a Lambda function also has Cold (the
// request started a new execution environment) and Warm (it reused one).
const (
	All  Class = "all"
	Cold Class = "cold"
	Warm Class = "warm"
	// Provisioned holds the requests served by provisioned environments
	// (initialized ahead of traffic): a part of Warm.
	Provisioned Class = "provisioned"
)

// Counts counts the requests of one class by outcome.
type Counts struct {
	Requests int64         // every request sent, whatever its outcome
	Errors   int64         // transport errors and non-2xx responses
	Codes    map[int]int64 // requests by HTTP status; 0 means no response
}

// Series is what was recorded for one class: a histogram of the latencies of
// its successful (2xx) responses, in microseconds, and its counts.
type Series struct {
	// Histogram holds latencies measured from when each request was sent.
	Histogram *hdrhistogram.Histogram
	// Corrected holds the same responses' latencies measured from when the
	// schedule meant each request to be sent: corrected for coordinated
	// omission, it adds the time a request waited for the generator.
	Corrected *hdrhistogram.Histogram
	// Net holds the same responses' latencies less their host wait: the
	// time the target's threads waited for a CPU that this machine gave
	// to something else (lambda.HeaderHostWait), which a function with
	// vCPUs of its own would not have waited. Where a response carries no
	// host wait, its net latency is its latency.
	Net *hdrhistogram.Histogram
	// Outside holds, behind the router, the part of each latency outside
	// the router's handling of it (lambda.HeaderInvoke and the others):
	// the load generator's sending and reading, the loopback and the
	// router's relay, all in coldbench's own process. Host wait there is
	// not measured (see README, Host wait); this says how large that part
	// was. Nil for other targets.
	Outside *hdrhistogram.Histogram
	Counts  Counts
	// LatencyUs and WaitUs sum the latencies and the host waits of the
	// responses in Histogram, for the share of latency that was host
	// wait.
	LatencyUs, WaitUs int64
}

// WaitShare is the share of the series' latency that was host wait, from
// 0 to 1.
func (s *Series) WaitShare() float64 {
	if s.LatencyUs <= 0 {
		return 0
	}
	return float64(s.WaitUs) / float64(s.LatencyUs)
}

// Phase holds the series of one phase of the schedule.
type Phase struct {
	Name    string
	Start   time.Duration // offset of the phase from the start of the schedule
	End     time.Duration
	Classes map[Class]*Series
	// Lag holds the generator's lateness in the phase: see Target.Lag.
	Lag *hdrhistogram.Histogram
}

// Point is one interval of the latency-over-time series of one class.
type Point struct {
	Class  Class
	Start  time.Duration // offset from the start of the schedule
	End    time.Duration
	Count  int64 // successful responses completed in the interval
	Errors int64
	P50    int64 // µs
	P99    int64 // µs
	Max    int64 // µs
}

// ColdStart is one request that started a new execution environment, with
// its latency split into the parts of a cold start.
type ColdStart struct {
	Offset   time.Duration // when the request was sent, from the start of the schedule
	Latency  time.Duration
	Env      string        // execution environment id
	Platform time.Duration // modelled: the platform part the router waited (placement, microVM)
	Sandbox  time.Duration // measured: getting the sandbox until its RIE accepted invokes
	Init     time.Duration // the function's INIT phase, as it reported it
	Invoke   time.Duration // the rest of Latency: the invoke and the round trips
	// HostWait is the time the environment waited for a CPU this machine
	// gave to something else, over the sandbox start (when started on
	// demand) and the invoke; SandboxWait and InitWait are its parts in
	// Sandbox and Init (see Net).
	HostWait, SandboxWait, InitWait time.Duration
	// PoolMiss says the router's sandbox pool was empty, so that the
	// sandbox was started on demand.
	PoolMiss bool
}

// Part is one part of a cold start's latency.
type Part string

// The parts of a cold start, in the order they happen. Platform is
// modelled (waited, not measured); the others are measured on this
// machine.
const (
	Sandbox  Part = "sandbox"  // take a pooled sandbox, or start one, until its RIE accepts invokes
	Platform Part = "platform" // Lambda's placement and microVM, modelled (function.platform)
	Init     Part = "init"     // the function's INIT phase: runtime start and init work
	Invoke   Part = "invoke"   // the invoke itself and the round trips around it
)

// Parts lists the parts of a cold start in order.
var Parts = []Part{Sandbox, Platform, Init, Invoke}

// Target is everything recorded for one target over one run of the schedule.
type Target struct {
	Name       string    // the target's name in the scenario
	Kind       string    // its kind (scenario.Kind), for labels
	Runtime    string    // where a Lambda function's environments ran; empty for other kinds
	Began      time.Time // start of the schedule for this target
	Ended      time.Time
	Classes    map[Class]*Series // whole run
	Phases     []*Phase          // in schedule order
	Points     []Point           // in time order, all classes
	ColdStarts []ColdStart       // in time order

	// Anatomy holds, for a Lambda function, the parts of its successful
	// cold starts; NetAnatomy the same parts less their host wait
	// (ColdStart.Net).
	Anatomy, NetAnatomy *Anatomy
	// HostWait says that some response carried a host wait
	// (lambda.HeaderHostWait): the Net series mean something.
	HostWait bool
	// BilledWait sums the host wait inside invokes, which Lambda's billed
	// duration would not hold: the part of each response's host wait not
	// spent starting its sandbox (lambda.HeaderHostWait less
	// HeaderSandboxWait), by who served it.
	BilledWait BilledWait
	// KeepHostWait says the scenario asked for figures with the host wait
	// left in (host_wait: keep): objectives, the verdict and what reads
	// them judge the raw latencies (verdict.Latencies).
	KeepHostWait bool

	// Queue holds, for a Lambda function, the time each relayed request
	// waited in the router for an environment, cold starts' platform time
	// left out, in µs.
	Queue *hdrhistogram.Histogram

	// Lag holds the load generator's lateness: for every request of a
	// scheduled phase (not rate: max), how long after its due time it was
	// sent (vegeta's Result.Timestamp minus the intended time), in µs,
	// whatever its outcome. It is what the corrected latencies add to the
	// measured ones when the target is not to blame; nil where it was not
	// recorded (a merged run).
	Lag *hdrhistogram.Histogram

	// Timeline holds, for a Lambda function, what happened to its
	// execution environments, in time order.
	Timeline []EnvEvent
	// Counters are what the target's kind counted besides the requests
	// (a Lambda function's emulated service: throttles, reaps, pool
	// misses); nil for a kind that counts nothing.
	Counters Counters
	// Code says which code the target ran; nil where its kind does not
	// say.
	Code *Code
	// Schedule is, for a Lambda function, the run's own schedule through
	// Lambda's rules on a virtual clock with service times less host wait
	// (kinds.Report.Schedule); nil otherwise.
	Schedule *lambda.SimResult
	// Simulation is, for a Lambda function of a scenario that replays a
	// trace, the whole trace at its own speed run through the function's
	// fleet rules on a virtual clock (lambda.Simulate); nil otherwise.
	Simulation *lambda.SimResult
}

// Net says whether t's figures are judged less host wait: its host wait
// was measured and its scenario did not keep it (host_wait: keep).
func (t *Target) Net() bool { return t.HostWait && !t.KeepHostWait }

// Sent returns the histogram of series s of t measured from when each
// request was sent, as its figures are judged: less host wait where t.Net
// and s has such values (net is then true), else as measured.
func (t *Target) Sent(s *Series) (h *hdrhistogram.Histogram, net bool) {
	if t.Net() && s.Net != nil && s.Net.TotalCount() > 0 {
		return s.Net, true
	}
	return s.Histogram, false
}

// BilledWait is host wait inside invokes (Target.BilledWait).
type BilledWait struct {
	OnDemand    time.Duration // invokes of on-demand environments, cold ones included
	Cold        time.Duration // the part of OnDemand in cold invokes (INIT's included)
	Provisioned time.Duration // invokes of provisioned environments
}

// ImageForm is the Form of code that is a container image, whose runtime
// coldbench does not know.
const ImageForm = "image"

// Code names the code a target ran: its form, where it came from and a
// hash of its content, so that a report says exactly what was measured.
type Code struct {
	Form   string `json:"form"`             // such as bootstrap, zip, image, command or built-in
	Path   string `json:"path,omitempty"`   // the file, image or command, as the scenario names it
	SHA256 string `json:"sha256,omitempty"` // hex, of the file's content or the image's id
	// Handler, Runtime and Ran name a handler's code on one of Lambda's
	// runtimes: the handler, the runtime asked for (nodejs22.x) and the
	// interpreter that ran it here (node v20.20.2), which may differ.
	Handler string `json:"handler,omitempty"`
	Runtime string `json:"runtime,omitempty"`
	Ran     string `json:"ran,omitempty"`
}

// String describes c in a few words: form, path and a short hash.
func (c Code) String() string {
	s := c.Form
	if c.Path != "" {
		s += " " + c.Path
	}
	if h := c.SHA256; h != "" {
		s += " (sha256 " + h[:min(len(h), 12)] + ")"
	}
	if c.Handler != "" {
		s += ", handler " + c.Handler
	}
	if c.Ran != "" {
		s += " (" + c.Runtime + " asked, " + c.Ran + " ran)"
	}
	return s
}

// EnvEvent is a change in a Lambda function's fleet of execution
// environments.
type EnvEvent struct {
	Offset      time.Duration // from the start of the schedule; negative before it
	Env         string
	Kind        string // started, reaped, recycled, discarded, crashed or stopped
	Provisioned bool
	Live        int    // environments live after the event
	Pool        string // on "started" with a sandbox pool: "hit" or "miss"
}
