package lambda_test

import (
	"net/http"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/order"
)

// headerDuration reads a header of microseconds; ok is false when it is
// missing or not a number.
func headerDuration(h http.Header, name string) (time.Duration, bool) {
	us, err := strconv.ParseInt(h.Get(name), 10, 64)
	return time.Duration(us) * time.Microsecond, err == nil && us >= 0
}

// TestHostWaitHeaders: on real processes, every relayed response says how
// long its environment waited for this machine's CPU, a cold start also
// how much of that was its sandbox's start and its INIT's, each within
// what it measures. Cold starts at four per core queue for the CPU, so
// their INITs wait; the exact answer is schedstat's TestKnownAnswer.
func TestHostWaitHeaders(t *testing.T) {
	r, _ := startRouter(t, lambda.Config{}, order.Work{Init: 20 * time.Millisecond})
	n := 4 * runtime.NumCPU()
	var waited time.Duration
	for _, res := range postAll(r.URL(), n) {
		if res.err != nil || res.status != http.StatusCreated || res.cold() != "true" {
			t.Fatalf("cold request: %v", res)
		}
		wait, ok := headerDuration(res.header, lambda.HeaderHostWait)
		sandboxWait, ok2 := headerDuration(res.header, lambda.HeaderSandboxWait)
		initWait, ok3 := headerDuration(res.header, lambda.HeaderInitWait)
		init, _ := headerDuration(res.header, lambda.HeaderInit)
		sandbox, _ := headerDuration(res.header, lambda.HeaderSandbox)
		if !ok || !ok2 || !ok3 {
			t.Fatalf("cold start without its host waits: %v", res.header)
		}
		if sandboxWait > sandbox || initWait > init || sandboxWait > wait {
			t.Errorf("cold start: host wait %v (sandbox %v of %v, INIT %v of %v)", wait, sandboxWait, sandbox, initWait, init)
		}
		waited += initWait
	}
	t.Logf("%d cold starts at once on %d cores: INITs waited %v in all", n, runtime.NumCPU(), waited)
	if waited == 0 {
		t.Errorf("%d INITs of 20 ms of CPU at once on %d cores never waited", n, runtime.NumCPU())
	}
	warm := mustPost(t, r)
	if warm.cold() != "false" {
		t.Fatalf("not warm: %v", warm)
	}
	if _, ok := headerDuration(warm.header, lambda.HeaderHostWait); !ok {
		t.Errorf("warm response without %s", lambda.HeaderHostWait)
	}
	if warm.header.Get(lambda.HeaderSandboxWait) != "" || warm.header.Get(lambda.HeaderInitWait) != "" {
		t.Errorf("warm response with a cold start's waits: %v", warm.header)
	}
}
