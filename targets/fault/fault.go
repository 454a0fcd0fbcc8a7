// Package fault parses the X-Coldbench-Fault request header, the test and
// fault-injection hook both targets obey: the Lambda function
// (targets/function) does every fault, the always-on server
// (targets/httpserver) only sleep.
//
// A value is a comma-separated list of faults, such as "sleep=40ms",
// "alloc=64,sleep=1s", "exit" or "panic"; the empty value is no fault.
package fault

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Header is the request header that asks a target to misbehave. The Lambda
// function sees it lower-cased, as Function URLs deliver headers.
const Header = "X-Coldbench-Fault"

// MaxAllocMB bounds alloc: Lambda's largest memory size.
const MaxAllocMB = 10240

// Fault is what one request's Header asks for. A target does the faults it
// supports in this order: alloc, sleep, exit, panic.
type Fault struct {
	AllocMB int           // alloc=MB: allocate and touch MB megabytes
	Sleep   time.Duration // sleep=DURATION: sleep that long
	Exit    bool          // exit: the process exits with status 1 mid-request
	Panic   bool          // panic: the handler panics
}

// Parse parses a Header value such as "alloc=300", "panic", "exit",
// "sleep=1.5s" or "alloc=64,sleep=100ms". The empty value is no fault.
func Parse(v string) (Fault, error) {
	var f Fault
	for item := range strings.SplitSeq(v, ",") {
		item = strings.TrimSpace(item)
		name, arg, hasArg := strings.Cut(item, "=")
		switch {
		case item == "":
		case name == "alloc" && hasArg:
			mb, err := strconv.Atoi(arg)
			if err != nil || mb < 0 || mb > MaxAllocMB {
				return Fault{}, fmt.Errorf("alloc=%q: want megabytes, 0 to %d", arg, MaxAllocMB)
			}
			f.AllocMB = mb
		case name == "sleep" && hasArg:
			d, err := time.ParseDuration(arg)
			if err != nil || d < 0 {
				return Fault{}, fmt.Errorf("sleep=%q: want a Go duration such as 250ms", arg)
			}
			f.Sleep = d
		case item == "exit":
			f.Exit = true
		case item == "panic":
			f.Panic = true
		default:
			return Fault{}, fmt.Errorf("unknown fault %q (want alloc=MB, sleep=DURATION, exit or panic)", item)
		}
	}
	return f, nil
}

// SleepOnly reports whether f asks for nothing but a sleep (possibly none):
// the only fault a target that must not crash, such as the always-on
// server, obeys.
func (f Fault) SleepOnly() bool {
	return f.AllocMB == 0 && !f.Exit && !f.Panic
}
