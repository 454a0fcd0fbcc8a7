package order

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Environment variables (and, in targets/httpserver, flag defaults) that
// carry the Work knobs.
const (
	// EnvInitWork is the init work as a Go duration, e.g. "50ms".
	EnvInitWork = "COLDBENCH_INIT_WORK"
	// EnvRequestWork is the per-request work as a Go duration.
	EnvRequestWork = "COLDBENCH_REQUEST_WORK"
	// EnvRequestWait is the per-request wait (I/O, not CPU) as a Go
	// duration.
	EnvRequestWait = "COLDBENCH_REQUEST_WAIT"
	// EnvWorkRate is the calibrated rate in Spin iterations per
	// millisecond. Without it a target calibrates itself.
	EnvWorkRate = "COLDBENCH_WORK_RATE"
)

// Work is an amount of CPU computation, given as the time it takes on the
// machine whose Rate was measured by Calibrate. A duration d of work is
// d × Rate Spin iterations wherever it runs, so a slower or throttled CPU
// takes longer to do it.
type Work struct {
	Init    time.Duration // done once at start-up
	Request time.Duration // done for every request routed (see Serve)
	// Wait is spent on every request routed waiting, not computing, as a
	// handler waits for its database: it costs no CPU, but it holds the
	// request, and so, in Lambda, its execution environment.
	Wait time.Duration
	Rate float64 // Spin iterations per millisecond; 0: not calibrated
}

// WorkFromEnv reads the knobs EnvInitWork, EnvRequestWork and EnvWorkRate
// through getenv (os.Getenv, usually). Unset knobs are zero.
func WorkFromEnv(getenv func(string) string) (Work, error) {
	var w Work
	var err error
	if w.Init, err = parseWork(EnvInitWork, getenv(EnvInitWork)); err != nil {
		return Work{}, err
	}
	if w.Request, err = parseWork(EnvRequestWork, getenv(EnvRequestWork)); err != nil {
		return Work{}, err
	}
	if w.Wait, err = parseWork(EnvRequestWait, getenv(EnvRequestWait)); err != nil {
		return Work{}, err
	}
	if s := getenv(EnvWorkRate); s != "" {
		w.Rate, err = strconv.ParseFloat(s, 64)
		if err != nil || w.Rate <= 0 || math.IsInf(w.Rate, 0) || math.IsNaN(w.Rate) {
			return Work{}, fmt.Errorf("%s=%q: want a positive number of iterations per ms", EnvWorkRate, s)
		}
	}
	return w, nil
}

func parseWork(name, s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s=%q: want a non-negative Go duration such as 50ms", name, s)
	}
	return d, nil
}

// Env returns the knobs as NAME=value strings for a target's environment;
// WorkFromEnv reads them back. Zero knobs are left out.
func (w Work) Env() []string {
	var env []string
	if w.Init > 0 {
		env = append(env, EnvInitWork+"="+w.Init.String())
	}
	if w.Request > 0 {
		env = append(env, EnvRequestWork+"="+w.Request.String())
	}
	if w.Wait > 0 {
		env = append(env, EnvRequestWait+"="+w.Wait.String())
	}
	if w.Rate > 0 {
		env = append(env, EnvWorkRate+"="+strconv.FormatFloat(w.Rate, 'g', -1, 64))
	}
	return env
}

// EnvMap is Env as a map, the shape lambda.Spec.Env takes.
func (w Work) EnvMap() map[string]string {
	m := make(map[string]string, 4)
	for _, kv := range w.Env() {
		for i := 0; i < len(kv); i++ {
			if kv[i] == '=' {
				m[kv[:i]] = kv[i+1:]
				break
			}
		}
	}
	return m
}

// Calibrated returns w with Rate measured by Calibrate if w has work to do
// and no Rate yet.
func (w Work) Calibrated() Work {
	if w.Rate <= 0 && (w.Init > 0 || w.Request > 0) {
		w.Rate = Calibrate()
	}
	return w
}

// Iterations is the number of Spin iterations that make a duration d of
// work at w.Rate.
func (w Work) Iterations(d time.Duration) int {
	if d <= 0 || w.Rate <= 0 {
		return 0
	}
	return int(float64(d) / float64(time.Millisecond) * w.Rate)
}

// DoInit does the init work. Calibrate w first (Calibrated); an
// uncalibrated Work does nothing.
func (w Work) DoInit() uint64 { return Spin(w.Iterations(w.Init)) }

// DoRequest does one request's work.
func (w Work) DoRequest() uint64 { return Spin(w.Iterations(w.Request)) }

// Serve is Handle preceded by the request work and wait for the requests
// it routes, as a framework would run a route handler: those of the order
// route (POST /order) and of the echo route (any method), so that a
// scenario's own requests cost what an order costs. A request the
// application refuses (404, 405) costs nothing.
func (w Work) Serve(r Request) (status int, contentType, respBody string) {
	if routed(r) {
		w.DoRequest()
		if w.Wait > 0 {
			time.Sleep(w.Wait)
		}
	}
	return Handle(r)
}
