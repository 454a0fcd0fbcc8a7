// Package lambda emulates the AWS Lambda service in front of a fleet of
// execution environments: a router on a loopback port turns plain HTTP
// requests into Function URL (payload 2.0) invocations, sends each to an idle
// environment or starts a new one (a cold start), never sends two invokes to
// one environment at once, reaps environments idle past the keepalive (drawn
// from a range if asked), recycles them past a maximum lifetime, keeps
// provisioned environments initialized ahead of time, and throttles with
// 429 above the concurrency limit or the scaling rate. Config.OnEvent
// receives the fleet's timeline.
//
// An execution environment is one AWS Lambda Runtime Interface Emulator (RIE)
// running the function's bootstrap. Where it runs is a Provider's business:
// package process runs it as local processes.
package lambda

import (
	"context"
	"time"

	"github.com/coldbench/coldbench/targets/internal/schedstat"
)

// Environment is one execution environment: an RIE running the function's
// bootstrap. It takes one invoke at a time; the router guarantees that.
type Environment interface {
	// ID names the environment, unique within its provider.
	ID() string
	// InvokeURL is the RIE's invocation endpoint
	// (http://127.0.0.1:PORT/2015-03-31/functions/function/invocations).
	InvokeURL() string
	// Done is closed once the environment has exited, on its own or by Stop.
	Done() <-chan struct{}
	// Stop stops the environment and everything it started. It is safe to
	// call more than once and after the environment has exited.
	Stop(ctx context.Context) error
}

// Killer is an Environment that can be killed abruptly from outside, the
// way a host failure ends it: no clean stop, no grace period. Kill returns
// once the kill is under way, not necessarily once the environment has
// exited; Done is closed when it has. An invoke in flight fails. Killing an
// environment that has exited already is no error.
type Killer interface {
	Kill() error
}

// Initializer is an Environment that wants to know when its INIT is
// over: the router calls Initialized once, after the environment's first
// invoke returns (for a provisioned one, after its warm-up invoke). It
// must not block. The container provider uses it to run INIT with more
// CPU than the memory's share, as Lambda does.
type Initializer interface {
	Initialized()
}

// Accounted is an Environment whose threads the kernel's CPU accounting
// can be read for: the router reads it around each invoke to tell how
// long the environment waited for a CPU the machine gave to something
// else (HeaderHostWait). A reading that fails is no harm: the request
// then carries no host wait.
type Accounted interface {
	Usage() (schedstat.Usage, error)
}

// InitReported is an Environment whose RIE's own report of the INIT
// phase can be read (ParseInitReport): the router sets HeaderInit from it
// on a cold start, for a function of any language, which need not measure
// its INIT itself. InitReport waits up to wait for the report, since the
// output that carries it is copied apart from the invoke's answer.
type InitReported interface {
	InitReport(wait time.Duration) (InitReport, bool)
}

// Spec is what a provider needs to start an environment of the function.
type Spec struct {
	ID       string
	Name     string            // AWS_LAMBDA_FUNCTION_NAME
	MemoryMB int               // AWS_LAMBDA_FUNCTION_MEMORY_SIZE
	Timeout  time.Duration     // AWS_LAMBDA_FUNCTION_TIMEOUT, whole seconds
	Env      map[string]string // the function's environment variables
	// MaxConcurrency, above 0, runs the RIE as Lambda Managed Instances
	// do (MaxConcurrencyVar): the environment takes up to that many
	// invokes at once (one more is answered 400 Runtime.Unavailable),
	// INIT runs as it starts rather than at the first invoke, and the
	// bootstrap is /var/task/bootstrap. Zero is classic Lambda, one
	// invoke at a time, which the router guarantees.
	MaxConcurrency int
	// VCPUs, above 0, is the environment's CPU where a provider caps it,
	// instead of Lambda's share of its memory (Resources): a managed
	// instance's environment has the vCPUs its memory and ratio give it.
	VCPUs float64
}

// Provider starts execution environments.
type Provider interface {
	// Name says where environments run, e.g. "process".
	Name() string
	// Start starts one environment and returns once its RIE accepts
	// invokes. On error it returns whatever it started, possibly nil, so
	// that the caller can stop it.
	Start(ctx context.Context, spec Spec) (Environment, error)
}

// Response headers of the router. It adds HeaderCold, HeaderEnv and
// HeaderRequestID, HeaderProvisioned, HeaderQueue and HeaderInvoke (and
// HeaderHostWait where it can) to every response it relays,
// HeaderSandbox, HeaderPlatform and (with a pool) HeaderPool on cold
// starts, and passes the function's HeaderFunctionCold through.
const (
	// HeaderCold is "true" when the request started a new environment.
	HeaderCold = "X-Coldbench-Cold"
	// HeaderEnv is the id of the environment that served the request.
	HeaderEnv = "X-Coldbench-Env"
	// HeaderSandbox is, on a cold start, the microseconds spent getting
	// the environment's sandbox until its RIE accepted invokes: taking it
	// from the pool, or starting it. Measured, local.
	HeaderSandbox = "X-Coldbench-Sandbox-Us"
	// HeaderPlatform is, on a cold start, the microseconds of the modelled
	// platform part (Config.Platform) the router waited before the first
	// invoke. Modelled, not measured.
	HeaderPlatform = "X-Coldbench-Platform-Us"
	// HeaderPool is, on a cold start of a router with a sandbox pool,
	// "hit" when a pooled sandbox served it and "miss" when the pool was
	// empty.
	HeaderPool = "X-Coldbench-Pool"
	// HeaderInit is, on a cold start, the microseconds of the
	// environment's INIT phase (runtime start, init work, asking the
	// Runtime API for work): the RIE's INIT REPORT where the environment
	// is InitReported (every provider's is), else what the function set
	// on its first invocation, if anything. Measured.
	HeaderInit = "X-Coldbench-Init-Us"
	// HeaderInitWait is, beside HeaderInit, the microseconds of the INIT
	// that the environment waited for a CPU the machine gave to something
	// else: the router's share of the first invoke's HeaderHostWait, in
	// proportion to the INIT's length, for every function alike.
	// Measured wait, apportioned.
	HeaderInitWait = "X-Coldbench-Init-Wait-Us"
	// HeaderHostWait is the microseconds of the request's time that the
	// environment's threads waited for a CPU the machine gave to
	// something else (schedstat.HostWait): over the invoke, and on a
	// cold start whose sandbox was started on demand, over its start
	// too. Set when the environment is Accounted. Measured.
	HeaderHostWait = "X-Coldbench-Host-Wait-Us"
	// HeaderSandboxWait is, on a cold start whose sandbox was started on
	// demand, the part of HeaderHostWait spent starting it.
	HeaderSandboxWait = "X-Coldbench-Sandbox-Wait-Us"
	// HeaderFunctionCold is set by the function itself: "true" on the
	// first invocation its process served.
	HeaderFunctionCold = "X-Coldbench-Function-Cold"
	// HeaderRequestID carries the invoke's request id, the one in the
	// RIE's START, END and REPORT lines.
	HeaderRequestID = "X-Amzn-RequestId"
	// HeaderProvisioned is "true" when a provisioned environment served
	// the request, "false" when an on-demand one did.
	HeaderProvisioned = "X-Coldbench-Provisioned"
	// HeaderQueue is the microseconds from the request's arrival at the
	// router until its invoke was sent, less HeaderPlatform on a cold
	// start: the router's own wait.
	HeaderQueue = "X-Coldbench-Queue-Us"
	// HeaderInvoke is the microseconds from when the router sent the
	// invoke until the environment's answer was read: with HeaderQueue,
	// HeaderSandbox and HeaderPlatform, the router's whole part of the
	// request; the rest of a client's latency is outside it (the client,
	// the loopback, the router's relay).
	HeaderInvoke = "X-Coldbench-Invoke-Us"
	// HeaderError says, on the router's own 502 and 503 answers, what went
	// wrong.
	HeaderError = "X-Coldbench-Error"
	// HeaderErrorType names the error of a throttled (429) request:
	// TooManyRequestsException.
	HeaderErrorType = "X-Amzn-ErrorType"
)
