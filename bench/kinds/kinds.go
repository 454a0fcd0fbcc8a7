// Package kinds is where the harness meets the kinds of targets. A kind
// (scenario.Kind: lambda, server, url) is code behind one small interface:
// it starts a target of its kind from the target's settings, and when the
// schedule is over it stops it and says what it reports besides the
// recorded requests (a fleet's timeline, platform counters, what to price).
// Everything a kind knows lives in its package (lambdakind, serverkind,
// urlkind); the harness, the recorder and the report read what a target
// offers, never its name.
//
// A new kind is a new package with a Kind, which is also the scenario's
// Spec of its targets (it parses its own keys into Target.Settings and
// says which classes it records), and whose Stop reports what its target
// used as a Usage that prices itself and what it counted as
// record.Counters (labelled rows with their merge rules); and one line in
// bench/kinds/all, the list of kinds. docs/development.md's "Adding a kind of
// target" says which interfaces; bench/harness/fakekind_test.go runs a
// kind only it knows from parse to merge.
//
// Like k6's outputs, a Running target may implement optional capability
// interfaces (Statuser, Marker, Chaos, Beginner) that the harness
// discovers with a type assertion; a Kind may implement Preparer and
// Prober for the work it does once per run.
package kinds

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/build"
	"github.com/coldbench/coldbench/targets/lambda"
)

// Env is what a kind is given to start one target.
type Env struct {
	Bins     build.Binaries // the project's binaries, built
	WorkRate float64        // iterations of the work loop per ms of CPU (order.Calibrate)
	// Dir is the target's own folder in the run folder
	// (runs.TargetDir), for the files only its kind writes, which makes
	// it if it writes any; empty for Prepare and Probe.
	Dir string
	Out io.Writer // progress lines
	// Trace is, when the scenario replays a trace, the whole trace at its
	// own speed (scenario.TraceData.Whole): a kind that can says in
	// Report.Trace what its target would use over all of it.
	Trace *scenario.TraceData
	// Phases is the scenario's schedule, for a kind that simulates it
	// (Report.Schedule).
	Phases []scenario.Phase
}

// Kind is one kind of target: the scenario reads its targets' settings
// through its Spec, and it starts them.
type Kind interface {
	scenario.Spec
	// Start starts target t. On error the Running it returns, if not
	// nil, must still be stopped.
	Start(ctx context.Context, t scenario.Target, env Env) (Running, error)
}

// Running is a started target.
type Running interface {
	URL() string            // its base URL: on loopback, but for a url target (urlkind)
	Timeout() time.Duration // how long one request may take
	// Stop stops the target. rec is what was recorded of it, nil if its
	// schedule never ran; Stop returns what its kind reports besides.
	Stop(ctx context.Context, rec *record.Target) (Report, error)
}

// Report is what a kind reports about a target besides its requests.
type Report struct {
	// Timeline is what happened to a Lambda function's execution
	// environments; Counters what its kind counted besides the requests
	// (a Lambda function's emulated service: throttles, reaps, faults).
	Timeline []record.EnvEvent
	Counters record.Counters
	// Usage is what the target used, which prices itself; nil when it
	// cannot be priced, Unpriced then says why.
	Usage    Usage
	Unpriced string
	// Notes are for the summary and the report; CostNotes become
	// caveats of the target's price.
	Notes, CostNotes []string
	// Runtime says where a Lambda function's environments ran.
	Runtime string
	// Code names the code the target ran (its form, path and content
	// hash), for the report.
	Code *record.Code
	// Trace is, given Env.Trace, what the target would use over the whole
	// trace, worked out from what the run measured; nil when its kind
	// cannot say.
	Trace *TraceUse
	// Schedule is, for a Lambda function, the run's own schedule through
	// Lambda's rules on a virtual clock, with service times less host
	// wait (lambda.Simulate): the fleet Lambda would have run, beside the
	// one the local router ran (Platform).
	Schedule *lambda.SimResult
}

// TraceUse is what a target would use over the whole of a trace at its own
// speed: its usage, to price the trace's span, and for a Lambda function
// the simulation of its fleet that gave it.
type TraceUse struct {
	Usage      Usage
	Simulation *lambda.SimResult
	// Notes say how the usage was worked out; they become caveats of the
	// target's price.
	Notes []string
}

// Usage is what one target used over the schedule, priced by its kind's
// model (a library of which is package cost). The harness, the verdict
// and the report read only what Price returns, through cost.Result.View.
type Usage interface {
	// Price prices the usage with the prices p and the target's cost
	// settings c, at the traffic of in, whose notes become caveats.
	Price(p cost.Prices, c cost.Config, in cost.Input) (*cost.Result, error)
	// Scaled is what the target would use if it were sent requests
	// requests instead of the run's, where its kind can say so from what
	// the run measured alone (a server's capacity does not depend on the
	// traffic's shape), and a sentence on how that was worked out, for the
	// price's caveats; nil and why where it cannot (a function's bill
	// depends on the shape: see Report.Trace).
	Scaled(requests int64) (Usage, string)
}

// Statuser is a Running target that adds to the progress lines.
type Statuser interface{ Status() string }

// Marker is a Running target that marks requests before they are sent
// (fault injection): n counts the requests from 0.
type Marker interface{ Mark(n uint64, h http.Header) }

// Chaos is a Running target that has faults happen beside the requests
// while its schedule runs: Chaos starts them and returns what ends them.
type Chaos interface {
	Chaos(ctx context.Context, out io.Writer) (stop func())
}

// Beginner is a Running target that is told when its schedule starts.
type Beginner interface{ Begin(t time.Time) }

// Preparer is a Kind with work to do once per run before any of its
// targets starts (choosing where Lambda environments run). It returns
// notes for the summary and the report.
type Preparer interface {
	Prepare(ctx context.Context, targets []scenario.Target, env Env) (notes []string, err error)
}

// Ager is a Kind whose targets age with a replayed trace's speed
// (scenario.Target.Speed): Ages says how, for the run's notes.
type Ager interface{ Ages(speed float64) string }

// Prober is a Kind that measures its targets apart from the load, before
// it (cold starts one at a time).
type Prober interface {
	Probe(ctx context.Context, targets []scenario.Target, n int, env Env) ([]*record.Anatomy, error)
}

// Registry is the kinds of one run, in the order messages name them
// (bench/kinds/all lists coldbench's).
type Registry []Kind

// Lookup returns the kind called k.
func (r Registry) Lookup(k scenario.Kind) (Kind, bool) {
	for _, kd := range r {
		if kd.Kind() == k {
			return kd, true
		}
	}
	return nil, false
}

// Specs returns what the scenario parser knows of the kinds.
func (r Registry) Specs() scenario.Specs {
	s := make(scenario.Specs, len(r))
	for i, kd := range r {
		s[i] = kd
	}
	return s
}

// FileCode returns the Code of the file at path in form, hashing its
// content; name is how the report names it (the scenario's path, or the
// built-in's name).
func FileCode(form, name, path string) (*record.Code, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return &record.Code{Form: form, Path: name, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// InputError is a mistake in what a target names (its code missing, not
// executable, built for another machine, a server that never gets ready)
// found before the load: coldbench exits with code 2, as for a mistake in
// the scenario file. Kinds return it from Prepare, before the run folder
// exists, wherever they can.
type InputError struct {
	Target string // the target's name
	Msg    string // what is wrong, where, and how to fix it
}

func (e *InputError) Error() string { return e.Target + ": " + e.Msg }
