package process

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/internal/envlog"
)

var (
	_ lambda.Environment  = (*Environment)(nil)
	_ lambda.InitReported = (*Environment)(nil)
)

// invokePath is the RIE's invocation endpoint.
const invokePath = "/2015-03-31/functions/function/invocations"

// Environment is an RIE process, its bootstrap and whatever else runs in
// their session.
type Environment struct {
	id        string
	invokeURL string
	cmd       *exec.Cmd
	sid       int // the RIE's pid, session and process group id
	grace     time.Duration
	tail      *envlog.Tail
	release   func() // frees the environment's ports

	pidsMu sync.Mutex
	pids   []int // the session's processes, once the bootstrap runs (members)

	drained chan struct{} // closed once the output pipe is at EOF
	done    chan struct{} // closed once the RIE is reaped and its session killed
	waitErr error         // set before done is closed

	stopOnce sync.Once
	stopErr  error
}

func newEnvironment(id, addr string, cmd *exec.Cmd, grace time.Duration, release func()) *Environment {
	return &Environment{
		id:        id,
		invokeURL: "http://" + addr + invokePath,
		cmd:       cmd,
		sid:       cmd.Process.Pid,
		grace:     grace,
		tail:      &envlog.Tail{},
		release:   release,
		drained:   make(chan struct{}),
		done:      make(chan struct{}),
	}
}

// ID names the environment.
func (e *Environment) ID() string { return e.id }

// InvokeURL is the RIE's invocation endpoint.
func (e *Environment) InvokeURL() string { return e.invokeURL }

// Done is closed once the RIE has exited and the rest of its session has
// been killed.
func (e *Environment) Done() <-chan struct{} { return e.done }

// PID is the RIE's process id, also the id of its session.
func (e *Environment) PID() int { return e.sid }

// Output is the tail of the environment's output.
func (e *Environment) Output() string { return e.tail.String() }

// InitReport returns what the RIE logged of INIT, waiting up to wait for
// its line.
func (e *Environment) InitReport(wait time.Duration) (lambda.InitReport, bool) {
	return e.tail.Init(wait)
}

// wait reaps the RIE, kills what is left of its session (for instance a
// bootstrap orphaned when the RIE crashed), waits a little for the last of
// its output and frees its ports.
func (e *Environment) wait() {
	e.waitErr = e.cmd.Wait()
	killSession(e.sid, 0)
	select {
	case <-e.drained:
	case <-time.After(time.Second): // a process outside the session holds the pipe
	}
	e.release()
	close(e.done)
}

// awaitReady returns once both of the RIE's addresses accept TCP
// connections, the RIE exits or ctx is done. The ports are claimed for
// this environment (portclaim), so no other coldbench listener answers on
// them.
func (e *Environment) awaitReady(ctx context.Context, addrs ...string) error {
	delay := 100 * time.Microsecond
	var d net.Dialer
	for _, addr := range addrs {
		for {
			conn, err := d.DialContext(ctx, "tcp", addr)
			if err == nil {
				conn.Close()
				break
			}
			select {
			case <-e.done:
				return fmt.Errorf("RIE exited at start-up (%v): %s", e.waitErr, e.tail.String())
			case <-ctx.Done():
				return fmt.Errorf("RIE not listening on %s: %w", addr, ctx.Err())
			case <-time.After(delay):
			}
			delay = min(2*delay, 500*time.Microsecond)
		}
	}
	return nil
}

// Stop stops the environment: it kills the bootstrap (the RIE, its parent,
// reaps it rather than leaving a zombie to init), sends SIGTERM to the RIE,
// waits up to the provider's grace period (2s by default) or until ctx is
// done, then kills every process of the environment's session and waits
// until the RIE is reaped. It is safe to call more than once, concurrently,
// and after the environment has exited.
func (e *Environment) Stop(ctx context.Context) error {
	e.stopOnce.Do(func() { e.stopErr = e.stop(ctx) })
	return e.stopErr
}

func (e *Environment) stop(ctx context.Context) error {
	select {
	case <-e.done:
		return nil
	default:
	}
	killSession(e.sid, e.sid)
	awaitSessionGone(e.sid, e.sid, 200*time.Millisecond)
	_ = syscall.Kill(-e.sid, syscall.SIGTERM)
	grace := time.NewTimer(e.grace)
	defer grace.Stop()
	select {
	case <-e.done:
		return nil
	case <-grace.C:
	case <-ctx.Done():
	}
	killSession(e.sid, 0)
	_ = syscall.Kill(-e.sid, syscall.SIGKILL)
	select {
	case <-e.done:
		return nil
	case <-time.After(reapTimeout):
		return fmt.Errorf("environment %s: RIE pid %d not reaped %v after SIGKILL", e.id, e.sid, reapTimeout)
	}
}

// reapTimeout bounds the wait for a killed RIE to be reaped.
const reapTimeout = 10 * time.Second
