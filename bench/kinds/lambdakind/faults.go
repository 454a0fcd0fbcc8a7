package lambdakind

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/coldbench/coldbench/targets/fault"
	"github.com/coldbench/coldbench/targets/lambda"
)

// envInitFailureRate is the variable the function reads the share of INITs
// to fail from (see targets/cmd/bootstrap).
const envInitFailureRate = "COLDBENCH_INIT_FAILURE_RATE"

// faultMarker returns the attack's Mark that injects f's per-request
// faults, or nil if there are none. Request n draws frac(n·φ), a sequence
// that spreads evenly over [0, 1), so each fault hits its share of requests
// closely and the same requests on every run: crash first, then panic, then
// timeout (sleeping a second past the function's timeout).
func faultMarker(f Faults, timeout time.Duration) func(uint64, http.Header) {
	if f.Crash+f.Panic+f.Timeout == 0 {
		return nil
	}
	sleep := "sleep=" + (timeout + time.Second).String()
	phi := (math.Sqrt(5) - 1) / 2
	return func(n uint64, h http.Header) {
		_, x := math.Modf(float64(n) * phi)
		switch {
		case x < f.Crash:
			h.Set(fault.Header, "exit")
		case x < f.Crash+f.Panic:
			h.Set(fault.Header, "panic")
		case x < f.Crash+f.Panic+f.Timeout:
			h.Set(fault.Header, sleep)
		}
	}
}

// faultEnv adds to a function's environment what makes f's share of its
// processes fail their INIT.
func faultEnv(f Faults, env map[string]string) {
	if f.InitFailure > 0 {
		env[envInitFailureRate] = strconv.FormatFloat(f.InitFailure, 'f', -1, 64)
	}
}

// killEvery kills one live environment of router, the function name, from outside every
// interval, as a host failure would, until ctx is done or the returned
// function is called; it says so on out. An interval without a live
// environment kills nothing.
func killEvery(ctx context.Context, router *lambda.Router, interval time.Duration, name string, out io.Writer) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	rng := rand.New(rand.NewPCG(1, 2)) // the same choices on every run
	go func() {
		defer close(done)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				id, err := router.KillOne(rng.IntN)
				switch {
				case err == nil:
					fmt.Fprintf(out, "%s: killed %s from outside (fault injection)\n", name, id)
				case !errors.Is(err, lambda.ErrNoLiveEnvironment):
					fmt.Fprintf(out, "%s: killing an environment: %v\n", name, err)
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}
