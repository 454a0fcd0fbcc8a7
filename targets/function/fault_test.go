package function

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/coldbench/coldbench/targets/order"
)

// faultRequest is an order request with the fault header.
func faultRequest(value string) events.LambdaFunctionURLRequest {
	req := request("POST", "/order", `{"a":1}`, false)
	req.Headers = map[string]string{faultHeader: value}
	return req
}

func TestFaultAllocHeldUntilNextInvocation(t *testing.T) {
	f := newFunction(order.Work{})
	resp, err := f.Invoke(context.Background(), faultRequest("alloc=64"))
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("alloc=64: %+v, %v", resp, err)
	}
	held := f.held.Load()
	if held == nil || len(*held) != 64<<20 || (*held)[len(*held)-4096] != 1 {
		t.Fatal("alloc=64: 64 MB not allocated, touched and held after the invocation")
	}
	if _, err := f.Invoke(context.Background(), request("POST", "/order", `{}`, false)); err != nil {
		t.Fatal(err)
	}
	if f.held.Load() != nil {
		t.Error("the next invocation did not free the memory")
	}
}

func TestFaultSleep(t *testing.T) {
	f := newFunction(order.Work{})
	t0 := time.Now()
	resp, err := f.Invoke(context.Background(), faultRequest("sleep=50ms"))
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("sleep=50ms: %+v, %v", resp, err)
	}
	if d := time.Since(t0); d < 50*time.Millisecond {
		t.Errorf("sleep=50ms returned after %v", d)
	}
}

func TestFaultPanic(t *testing.T) {
	f := newFunction(order.Work{})
	defer func() {
		if p := recover(); p != errPanicFault {
			t.Errorf("panic fault: recovered %v, want %v", p, errPanicFault)
		}
	}()
	f.Invoke(context.Background(), faultRequest("panic"))
	t.Error("panic fault: Invoke returned")
}

// errExited stops an invocation in the fake exit of TestFaultExit.
var errExited = errors.New("exited")

func TestFaultExit(t *testing.T) {
	f := newFunction(order.Work{})
	code := -1
	f.exit = func(c int) { code = c; panic(errExited) }
	defer func() {
		if p := recover(); p != errExited || code != 1 {
			t.Errorf("exit fault: exit(%d), recovered %v", code, p)
		}
	}()
	f.Invoke(context.Background(), faultRequest("alloc=1,exit"))
	t.Error("exit fault: Invoke returned")
}

// exitChildVar makes the test binary, run again by TestFaultExitProcess,
// invoke the exit fault for real.
const exitChildVar = "COLDBENCH_TEST_EXIT_FAULT"

func TestFaultExitProcess(t *testing.T) {
	if os.Getenv(exitChildVar) == "1" {
		newFunction(order.Work{}).Invoke(context.Background(), faultRequest("exit"))
		return // not reached: the child exits with code 1
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFaultExitProcess$")
	cmd.Env = append(os.Environ(), exitChildVar+"=1")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "coldbench fault: exit(1)") {
		t.Fatalf("exit fault in a process: %v, output %q; want exit status 1", err, out)
	}
}

func TestFaultMalformed(t *testing.T) {
	f := newFunction(order.Work{})
	resp, err := f.Invoke(context.Background(), faultRequest("alloc=lots"))
	if err != nil || resp.StatusCode != 400 || !strings.HasPrefix(resp.Body, "Bad Request: X-Coldbench-Fault: alloc=") {
		t.Errorf("malformed fault: %d %q, %v", resp.StatusCode, resp.Body, err)
	}
	if resp.Headers[headerFunctionCold] != "true" {
		t.Errorf("malformed fault on the first invocation: cold=%q", resp.Headers[headerFunctionCold])
	}
}
