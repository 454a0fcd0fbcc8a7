package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// faultHeader is the request header, lower-cased as Function URLs and the
// router deliver headers, that asks the function to misbehave: a test and
// fault-injection hook, see the package comment.
const faultHeader = "x-coldbench-fault"

// fault is what one invocation's faultHeader asks for. Several faults,
// comma-separated, are done in this order: alloc, sleep, exit, panic.
type fault struct {
	allocMB int           // alloc=MB: allocate and touch MB megabytes
	sleep   time.Duration // sleep=DURATION: sleep that long
	exit    bool          // exit: os.Exit(1) mid-invoke
	panic   bool          // panic: the handler panics
}

// maxAllocMB bounds alloc: Lambda's largest memory size.
const maxAllocMB = 10240

// parseFault parses a faultHeader value such as "alloc=300", "panic",
// "exit", "sleep=1.5s" or "alloc=64,sleep=100ms". The empty value is no
// fault.
func parseFault(v string) (fault, error) {
	var f fault
	for item := range strings.SplitSeq(v, ",") {
		item = strings.TrimSpace(item)
		name, arg, hasArg := strings.Cut(item, "=")
		switch {
		case item == "":
		case name == "alloc" && hasArg:
			mb, err := strconv.Atoi(arg)
			if err != nil || mb < 0 || mb > maxAllocMB {
				return fault{}, fmt.Errorf("alloc=%q: want megabytes, 0 to %d", arg, maxAllocMB)
			}
			f.allocMB = mb
		case name == "sleep" && hasArg:
			d, err := time.ParseDuration(arg)
			if err != nil || d < 0 {
				return fault{}, fmt.Errorf("sleep=%q: want a Go duration such as 250ms", arg)
			}
			f.sleep = d
		case item == "exit":
			f.exit = true
		case item == "panic":
			f.panic = true
		default:
			return fault{}, fmt.Errorf("unknown fault %q (want alloc=MB, sleep=DURATION, exit or panic)", item)
		}
	}
	return f, nil
}

// errPanicFault is what the panic fault panics with.
var errPanicFault = errors.New("coldbench fault: panic")

// do does the fault during an invocation. It returns the memory it
// allocated, which the caller keeps until the response is sent; exit is
// called for the exit fault (os.Exit in the real function).
func (f fault) do(exit func(code int)) []byte {
	var held []byte
	if f.allocMB > 0 {
		held = touch(f.allocMB)
	}
	// A plain sleep, deaf to the invocation's deadline, like a function
	// that hangs: past the timeout the RIE answers "Task timed out".
	time.Sleep(f.sleep)
	if f.exit {
		fmt.Fprintln(os.Stderr, "coldbench fault: exit(1) mid-invoke")
		exit(1)
	}
	if f.panic {
		panic(errPanicFault)
	}
	return held
}

// touch allocates mb megabytes and writes to every page of them, so that
// they count as resident memory: beyond the environment's memory limit the
// kernel's OOM killer ends the process.
func touch(mb int) []byte {
	b := make([]byte, mb<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	return b
}
