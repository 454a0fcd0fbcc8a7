// Package function is the Lambda target: the order application as an AWS
// Lambda function for the provided.al2023 runtime, behind a Function URL
// (payload format 2.0). It runs as targets/cmd/bootstrap, built static and
// named bootstrap:
//
//	CGO_ENABLED=0 go build -trimpath -tags lambda.norpc -o bootstrap ./targets/cmd/bootstrap
//
// or as coldbench itself, invoked under the name bootstrap (see
// bench/cmd/coldbench).
//
// It serves the order route and the echo route of package order (the echo
// shows the request as the event carried it). It does the init work
// (COLDBENCH_INIT_WORK) before lambda.Start and the request work
// (COLDBENCH_REQUEST_WORK) per request to either route, and answers with
// the header X-Coldbench-Function-Cold: true on the first invocation its
// process serves, false after. On that first invocation it also tells how
// long its INIT phase took (X-Coldbench-Init-Us, from main to the handler):
// the RIE's own Init Duration cannot, because the RIE starts the bootstrap
// lazily, inside the first invoke.
//
// # Fault injection
//
// For tests and fault experiments only, a request header
// X-Coldbench-Fault (delivered lower-cased in the event, as by Function
// URLs) makes one invocation misbehave before it does its work:
//
//	alloc=MB        allocate and touch MB megabytes, kept until the response
//	                is sent (freed when the next invocation starts): past the
//	                environment's memory limit the kernel kills the function
//	sleep=DURATION  sleep (a Go duration such as 250ms), deaf to the deadline
//	exit            os.Exit(1) mid-invoke: the runtime process dies
//	panic           the handler panics: aws-lambda-go reports the error and
//	                the process exits
//
// Several, comma-separated, run in that order (alloc=64,sleep=1s). A value
// it does not understand is answered 400.
//
// COLDBENCH_INIT_FAILURE_RATE (a share from 0 to 1) makes that share of the
// function's processes fail their INIT: they exit after the init work,
// before asking for their first event.
package function

import (
	"errors"
	"math/rand/v2"
	"os"
	"strconv"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/coldbench/coldbench/targets/order"
)

// Run is the function's process: it reads the work from the environment,
// does the init work and hands the handler to lambda.Start, which serves
// invocations from the Runtime API until the process ends and does not
// return. Run returns an error, for its caller to print and exit 1, when the
// environment's work settings are wrong or when this process's INIT is
// meant to fail (COLDBENCH_INIT_FAILURE_RATE). exit is called by the exit
// fault; pass os.Exit.
func Run(exit func(code int)) error {
	work, err := order.WorkFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	work = work.Calibrated()
	work.DoInit()
	if failInit(os.Getenv(envInitFailureRate), rand.Float64) {
		return errors.New("coldbench fault: INIT failure (" + envInitFailureRate + ")")
	}
	f := newFunction(work)
	f.exit = exit
	lambda.Start(f.Invoke)
	return nil
}

// envInitFailureRate is the share of processes whose INIT fails.
const envInitFailureRate = "COLDBENCH_INIT_FAILURE_RATE"

// failInit reports whether this process's INIT fails, for a rate as
// envInitFailureRate gives it and a draw from [0, 1).
func failInit(rate string, draw func() float64) bool {
	p, err := strconv.ParseFloat(rate, 64)
	return err == nil && p > 0 && draw() < p
}
