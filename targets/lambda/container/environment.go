package container

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	dcontainer "github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/coldbench/coldbench/targets/internal/docker"
	"github.com/coldbench/coldbench/targets/internal/portclaim"
	"github.com/coldbench/coldbench/targets/internal/schedstat"
	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/internal/envlog"
)

var (
	_ lambda.Environment  = (*Environment)(nil)
	_ lambda.InitReported = (*Environment)(nil)
)

// Environment is one container: an RIE and, after the first invoke, the
// function's bootstrap.
type Environment struct {
	p           *Provider
	id          string
	containerID string
	invokeURL   string // set by Start before it returns
	share       int64  // the memory's CPU share, in 10⁻⁹ CPUs; set by Start
	tail        envlog.Tail
	initOnce    sync.Once
	claim       *portclaim.Claim // on the host's network, its RIE's ports; released once the container is removed
	cgroup      schedstat.Cgroup // its CPU cgroup, set by Start; zero where it cannot be read (Usage)

	done    chan struct{} // closed once the container is not running
	exit    string        // how it ended, set before done is closed
	drained chan struct{} // closed once its output is at EOF

	removeOnce sync.Once
	removed    chan struct{} // closed once the removal is over
	removeErr  error         // set before removed is closed
}

func newEnvironment(p *Provider, id, containerID string) *Environment {
	return &Environment{
		p:           p,
		id:          id,
		containerID: containerID,
		done:        make(chan struct{}),
		drained:     make(chan struct{}),
		removed:     make(chan struct{}),
	}
}

// ID names the environment.
func (e *Environment) ID() string { return e.id }

// ContainerID is the id of the environment's container.
func (e *Environment) ContainerID() string { return e.containerID }

// InvokeURL is the RIE's invocation endpoint on 127.0.0.1.
func (e *Environment) InvokeURL() string { return e.invokeURL }

// Done is closed once the container is not running any more: it exited on
// its own (the RIE crashed, the kernel killed it) or was removed. A
// container that exits on its own is removed right after.
func (e *Environment) Done() <-chan struct{} { return e.done }

var _ lambda.Initializer = (*Environment)(nil)

// Initialized lowers the container's CPU from INIT's (lambda.InitCPUs) to the
// memory's share, in the background: the router calls it once the first
// invoke, which ran INIT, is over. A request that starts before the
// engine has applied it runs with INIT's CPU for that long (a few
// milliseconds).
func (e *Environment) Initialized() {
	e.initOnce.Do(func() {
		e.p.bg.Add(1)
		go func() {
			defer e.p.bg.Done()
			ctx, cancel := context.WithTimeout(e.p.ctx, 30*time.Second)
			defer cancel()
			if err := e.setCPU(ctx, e.share); err != nil {
				select {
				case <-e.done: // gone already: nothing to limit
				default:
					fmt.Fprintf(e.p.out, "[%s] %v\n", e.id, err)
				}
			}
		}()
	})
}

// portTaken reports whether the container exited at start-up because a
// port its RIE was to listen on was in use: a program that is not
// coldbench bound a claimed port by its number (see portclaim).
func (e *Environment) portTaken() bool {
	select {
	case <-e.done:
	default:
		return false
	}
	return strings.Contains(e.tail.String(), "address already in use")
}

// Output is the tail of the environment's output.
func (e *Environment) Output() string { return e.tail.String() }

// InitReport returns what the RIE logged of INIT, waiting up to wait for
// its line.
func (e *Environment) InitReport(wait time.Duration) (lambda.InitReport, bool) {
	return e.tail.Init(wait)
}

// Stop removes the container, killing it if it runs, and returns once it
// is gone. The removal goes on if ctx is done first; Stop then returns
// ctx's error. It is safe to call more than once, concurrently, and after
// the container has exited.
func (e *Environment) Stop(ctx context.Context) error {
	e.startRemoval()
	select {
	case <-e.removed:
	case <-ctx.Done():
		return fmt.Errorf("environment %s: container %.12s not removed yet: %w", e.id, e.containerID, ctx.Err())
	}
	if e.removeErr != nil {
		return fmt.Errorf("environment %s: %w", e.id, e.removeErr)
	}
	select {
	case <-e.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("environment %s: container %.12s removed, not seen exiting: %w", e.id, e.containerID, ctx.Err())
	}
}

// removeTimeout bounds the removal of a container.
const removeTimeout = 30 * time.Second

// startRemoval removes the container in the background, once.
func (e *Environment) startRemoval() {
	e.removeOnce.Do(func() {
		e.p.bg.Add(1) // while the watcher runs: the count is not zero
		go func() {
			defer e.p.bg.Done()
			e.p.removals <- struct{}{} // a slot: see maxRemovals
			ctx, cancel := context.WithTimeout(context.Background(), removeTimeout)
			defer cancel()
			e.removeErr = docker.Remove(ctx, e.p.tc.Client(), e.containerID)
			<-e.p.removals
			close(e.removed)
		}()
	})
}

// watch follows the container's output if it started, closes done once it
// is not running any more, then removes it and forgets it.
func (e *Environment) watch(started bool) {
	defer e.p.bg.Done()
	logCtx, stopLogs := context.WithCancel(context.Background())
	defer stopLogs()
	if started {
		go e.follow(logCtx)
	} else {
		close(e.drained)
	}
	e.exit = e.waitExit()
	close(e.done)
	select {
	case <-e.drained:
	case <-time.After(time.Second): // the engine did not end the stream
	}
	stopLogs()
	e.startRemoval()
	<-e.removed
	// Only now: a container that was created but whose start failed is
	// not running, yet the engine might still start it until removed.
	e.claim.Release()
	e.p.untrack(e)
}

// waitExit returns, with how the container ended, once it is not running:
// the engine's wait answers when the container exits, is killed or is
// removed. A broken wait is retried while the container still runs.
func (e *Environment) waitExit() string {
	c := e.p.tc.Client()
	delay := 50 * time.Millisecond
	for {
		res := c.ContainerWait(context.Background(), e.containerID, client.ContainerWaitOptions{Condition: dcontainer.WaitConditionNotRunning})
		var err error
		select {
		case r := <-res.Result:
			if r.Error != nil && r.Error.Message != "" {
				return fmt.Sprintf("exit status %d: %s", r.StatusCode, r.Error.Message)
			}
			return fmt.Sprintf("exit status %d", r.StatusCode)
		case err = <-res.Error:
		}
		if docker.IsNotFound(err) {
			return "removed"
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		info, ierr := c.ContainerInspect(ctx, e.containerID, client.ContainerInspectOptions{})
		cancel()
		switch {
		case docker.IsNotFound(ierr):
			return "removed"
		case ierr == nil && info.Container.State != nil && !info.Container.State.Running:
			return fmt.Sprintf("exit status %d", info.Container.State.ExitCode)
		}
		time.Sleep(delay) // the engine is in trouble: try again
		delay = min(2*delay, 2*time.Second)
	}
}

// follow copies the container's stdout and stderr, one line per Write,
// prefixed with the environment's id, to the provider's output, until the
// stream ends (the container stopped) or ctx is done.
func (e *Environment) follow(ctx context.Context) {
	defer close(e.drained)
	rc, err := e.p.tc.Client().ContainerLogs(ctx, e.containerID, client.ContainerLogsOptions{
		ShowStdout: true,
		ShowStderr: true,
		Follow:     true,
	})
	if err != nil {
		return
	}
	defer rc.Close()
	prefix := "[" + e.id + "] "
	stdout := envlog.NewLineWriter(e.p.out, prefix, &e.tail)
	stderr := envlog.NewLineWriter(e.p.out, prefix, &e.tail)
	stdcopy.StdCopy(stdout, stderr, rc)
	stdout.Flush()
	stderr.Flush()
}

// awaitReady returns once the RIE's HTTP server answers through the
// published port, the container exits or ctx is done. A TCP connection is
// no proof: the engine's proxy accepts it before anything listens in the
// container. GET / is answered by the RIE's router (404) without an invoke.
func (e *Environment) awaitReady(ctx context.Context) error {
	hc := &http.Client{
		Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true},
		Timeout:   2 * time.Second,
	}
	url := e.invokeURL[:len(e.invokeURL)-len(invokePath)] + "/"
	delay := 500 * time.Microsecond
	var err error
	for {
		var req *http.Request
		if req, err = http.NewRequestWithContext(ctx, http.MethodGet, url, nil); err != nil {
			return err
		}
		var resp *http.Response
		if resp, err = hc.Do(req); err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-e.done:
			select {
			case <-e.drained: // the last of its output, which says why
			case <-time.After(time.Second):
			}
			return fmt.Errorf("container %.12s exited at start-up (%s): %s", e.containerID, e.exit, e.tail.String())
		case <-ctx.Done():
			return fmt.Errorf("RIE not answering on %s: %w (last: %v)", url, ctx.Err(), err)
		case <-time.After(delay):
		}
		delay = min(2*delay, 5*time.Millisecond)
	}
}
