package function

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/coldbench/coldbench/targets/fault"
)

// faultHeader is fault.Header lower-cased, as Function URLs and the router
// deliver headers: the request header that asks the function to misbehave,
// a test and fault-injection hook, see the package comment.
const faultHeader = "x-coldbench-fault"

// errPanicFault is what the panic fault panics with.
var errPanicFault = errors.New("coldbench fault: panic")

// doFault does f during an invocation, in the order alloc, sleep, exit,
// panic. It returns the memory it allocated, which the caller keeps until
// the response is sent; exit is called for the exit fault (os.Exit in the
// real function).
func doFault(f fault.Fault, exit func(code int)) []byte {
	var held []byte
	if f.AllocMB > 0 {
		held = touch(f.AllocMB)
	}
	// A plain sleep, deaf to the invocation's deadline, like a function
	// that hangs: past the timeout the RIE answers "Task timed out".
	time.Sleep(f.Sleep)
	if f.Exit {
		fmt.Fprintln(os.Stderr, "coldbench fault: exit(1) mid-invoke")
		exit(1)
	}
	if f.Panic {
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
