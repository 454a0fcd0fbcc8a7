// Package container is the lambda.Provider that runs each execution
// environment in a Docker container of its own, started through
// testcontainers-go: the AWS Lambda Runtime Interface Emulator (RIE) as the
// entrypoint of a FROM scratch image (BuildImage), which starts the
// function's bootstrap on the first invoke.
//
// Each container gets Lambda's resources for the function's memory (see
// lambda.Resources): a memory limit without swap, so that a function that
// exceeds it is killed by the kernel's OOM killer (its invoke fails and
// the router discards the environment), and a CPU quota in proportion,
// set once the RIE answers so that the engine's and the emulator's
// start-up are not charged to the function. Where the engine runs on this
// machine, containers run on the host's network, each RIE on loopback
// ports of its own; elsewhere the RIE's port 8080 is published on
// 127.0.0.1 only (see network.go). Every request goes to 127.0.0.1,
// whatever host testcontainers-go reports for the engine.
//
// Containers are labelled (LabelApp, LabelOwner, LabelEnv, LabelProvider)
// and removed by Environment.Stop, by Provider.Close and, for those of a
// coldbench that died (kill -9), by Sweep. The engine plumbing it shares
// with a user's server image (connecting with testcontainers-go's reaper,
// Ryuk, off; the owner labels; removing; sweeping) is
// targets/internal/docker's.
package container

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	dcontainer "github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"

	"github.com/coldbench/coldbench/targets/internal/docker"
	"github.com/coldbench/coldbench/targets/internal/portclaim"
	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/internal/envlog"
)

var _ lambda.Provider = (*Provider)(nil)

// Provider starts environments as containers of one image.
type Provider struct {
	image    string
	out      *envlog.LockedWriter
	hostCPUs int
	owner    string   // LabelOwner
	id       string   // LabelProvider
	cmd      []string // the RIE's arguments with a published port
	hostNet  bool     // containers on the host's network; see network.go
	publish  bool     // WithPublishedPorts
	tc       *testcontainers.DockerProvider
	seq      atomic.Int64

	ctx    context.Context // canceled by Close: aborts starts
	cancel context.CancelFunc

	// removals bounds the removals under way at once (see
	// maxRemovals); a removal holds a slot while the engine works.
	removals chan struct{}

	mu     sync.Mutex
	closed bool
	envs   map[*Environment]struct{} // started and not yet removed
	bg     sync.WaitGroup            // starts, watchers, removals
}

// maxRemovals is how many containers a Provider removes at once. Many
// containers exiting at once can deadlock the engine's network controller
// (moby/libnetwork#2649, a lock-order race between an endpoint's and a
// sandbox's deletion, fixed after Docker 20.10, which Debian 12 ships):
// here a hundred host-network containers removed at once by Close hung
// dockerd for good. A few at a time keep removals about as fast (the
// engine serializes most of the work on two cores) and that race rare.
const maxRemovals = 4

// Option configures a Provider.
type Option func(*Provider)

// WithOutput sends every container's stdout and stderr (the RIE's START,
// END and REPORT lines and the function's logs) to w, one line per Write,
// each prefixed with "[ID] ". Writes are serialized. The default discards
// them.
func WithOutput(w io.Writer) Option {
	return func(p *Provider) { p.out = &envlog.LockedWriter{W: w} }
}

// WithPublishedPorts makes every container publish the RIE's port on
// 127.0.0.1 instead of running on the host's network, wherever the engine
// runs (see network.go).
func WithPublishedPorts() Option {
	return func(p *Provider) { p.publish = true }
}

// New returns a Provider that starts containers of image, which must exist
// in the Docker engine (see BuildImage): it is never pulled. New connects
// to the engine through testcontainers-go and fails if none answers.
// Close the Provider when done.
func New(image string, opts ...Option) (*Provider, error) {
	p := &Provider{
		image:    image,
		out:      &envlog.LockedWriter{W: io.Discard},
		hostCPUs: runtime.NumCPU(),
		envs:     make(map[*Environment]struct{}),
		removals: make(chan struct{}, maxRemovals),
	}
	for _, o := range opts {
		o(p)
	}
	if p.cmd == nil {
		p.cmd = []string{"--log-level", lambda.RIELogLevel, bootstrapPath}
	}
	if p.owner == "" {
		o, err := docker.Owner()
		if err != nil {
			return nil, err
		}
		p.owner = o
	}
	var id [8]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, err
	}
	p.id = hex.EncodeToString(id[:])

	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	var err error
	if p.tc, err = docker.Connect(ctx); err != nil {
		return nil, err
	}
	if _, err := p.tc.Client().ImageInspect(ctx, image); err != nil {
		p.tc.Close()
		if docker.IsNotFound(err) {
			return nil, fmt.Errorf("image %s not found in the Docker engine (build it with BuildImage; it is never pulled)", image)
		}
		return nil, fmt.Errorf("inspect image %s: %w", image, err)
	}
	p.hostNet = !p.publish && hostNetworkUsable(ctx, p.tc.Client())
	p.ctx, p.cancel = context.WithCancel(context.Background())
	return p, nil
}

// Network says how containers are reached: "host" (on the host's network,
// each RIE on a loopback port of its own) or "published" (the RIE's port
// published on 127.0.0.1).
func (p *Provider) Network() string {
	if p.hostNet {
		return "host"
	}
	return "published"
}

// connectTimeout bounds New's talk to the engine.
const connectTimeout = 30 * time.Second

// Name is "container".
func (p *Provider) Name() string { return lambda.ContainerSandbox }

// Start starts a container for spec and returns once the RIE's HTTP server
// answers through the published port and the container has its CPU quota;
// the bootstrap itself starts on the first invoke (the RIE's init is
// lazy). A zero spec.MemoryMB is lambda.DefaultMemoryMB; memory outside
// lambda.MinMemoryMB-MaxMemoryMB is an error. On error it returns the
// environment if a container was created, so that the caller can Stop it;
// a container whose creation was aborted before the engine answered is
// left to Close.
func (p *Provider) Start(ctx context.Context, spec lambda.Spec) (lambda.Environment, error) {
	if spec.ID == "" {
		spec.ID = fmt.Sprintf("env-%d", p.seq.Add(1))
	}
	if spec.MemoryMB == 0 {
		spec.MemoryMB = lambda.DefaultMemoryMB
	}
	if spec.MemoryMB < lambda.MinMemoryMB || spec.MemoryMB > lambda.MaxMemoryMB {
		return nil, fmt.Errorf("environment %s: memory %d MB outside %d-%d MB", spec.ID, spec.MemoryMB, lambda.MinMemoryMB, lambda.MaxMemoryMB)
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, errors.New("container provider closed")
	}
	p.bg.Add(1) // Close waits for the start
	p.mu.Unlock()
	defer p.bg.Done()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(p.ctx, cancel)()

	e, err := p.start(ctx, spec)
	// On the host's network, a program that is not coldbench may have
	// bound a claimed port by its number: start again on other ports.
	for try := 1; err != nil && e != nil && p.hostNet && try < maxPortTries && e.portTaken(); try++ {
		e.Stop(ctx)
		e, err = p.start(ctx, spec)
	}
	if e == nil {
		return nil, fmt.Errorf("environment %s: %w", spec.ID, err)
	}
	if err != nil {
		return e, fmt.Errorf("environment %s: %w", spec.ID, err)
	}
	return e, nil
}

// maxPortTries bounds the starts of one environment whose claimed ports
// another program bound meanwhile.
const maxPortTries = 3

// start creates and starts the container, then awaits the RIE.
func (p *Provider) start(ctx context.Context, spec lambda.Spec) (*Environment, error) {
	req := p.request(spec)
	var invokePort int
	var claim *portclaim.Claim // the host network's ports, held until the container is removed
	if p.hostNet {
		var err error
		if claim, err = portclaim.Take(2); err != nil {
			return nil, err
		}
		ports := claim.Ports()
		invokePort = ports[0]
		req.Cmd = hostCmd(p.cmd, ports[0], ports[1])
		req.ExposedPorts = nil
		published := req.HostConfigModifier
		req.HostConfigModifier = func(hc *dcontainer.HostConfig) {
			published(hc)
			hc.PortBindings = nil
			hc.NetworkMode = "host"
		}
	}
	ctr, err := p.tc.CreateContainer(ctx, req)
	if ctr == nil {
		claim.Release()
		return nil, err
	}
	e := p.track(spec.ID, ctr.GetContainerID(), claim)
	if err == nil {
		err = ctr.Start(ctx)
	}
	started := err == nil
	p.bg.Add(1)
	go e.watch(started)
	if !started {
		return e, err
	}
	port := strconv.Itoa(invokePort)
	if !p.hostNet {
		mapped, err := ctr.MappedPort(ctx, rapidPort)
		if err != nil {
			return e, fmt.Errorf("container %.12s: %w", e.containerID, err)
		}
		port = mapped.Port()
	}
	e.invokeURL = "http://" + net.JoinHostPort(loopbackIP, port) + invokePath
	if err := e.awaitReady(ctx); err != nil {
		return e, err
	}
	e.cgroup = cgroupOf(ctx, ctr, e.containerID)
	// The CPU of INIT from now on, before the first invoke starts the
	// bootstrap; the memory's share once INIT is over (Initialized).
	_, share, _ := lambda.Resources(spec.MemoryMB, p.hostCPUs)
	initCPU := lambda.InitCPUs(share, p.hostCPUs)
	if spec.VCPUs > 0 {
		// A managed instance's environment: its own vCPUs, INIT included
		// (it runs as the RIE starts, off the request path).
		share = min(int64(spec.VCPUs*1e9), int64(p.hostCPUs)*1e9)
		initCPU = share
	}
	e.share = share
	if err := e.setCPU(ctx, initCPU); err != nil {
		return e, err
	}
	return e, nil
}

// setCPU sets the container's CPU quota to nanoCPUs.
func (e *Environment) setCPU(ctx context.Context, nanoCPUs int64) error {
	period, quota := CFSQuota(nanoCPUs)
	_, err := e.p.tc.Client().ContainerUpdate(ctx, e.containerID, client.ContainerUpdateOptions{
		Resources: &dcontainer.Resources{CPUPeriod: period, CPUQuota: quota},
	})
	if err != nil {
		return fmt.Errorf("container %.12s: set the CPU quota: %w", e.containerID, err)
	}
	return nil
}

// rapidPort is the RIE's invocation port inside the container.
const rapidPort = "8080/tcp"

// invokePath is the RIE's invocation endpoint.
const invokePath = "/2015-03-31/functions/function/invocations"

// loopbackIP is the only address the RIEs are published on
// (docker.PublishLoopback) and sent to, whatever host testcontainers-go
// reports for the engine.
const loopbackIP = "127.0.0.1"

// request is the container request for spec: its memory limit is set
// from the start, its CPU quota once the RIE answers (see start).
func (p *Provider) request(spec lambda.Spec) testcontainers.ContainerRequest {
	mem, _, _ := lambda.Resources(spec.MemoryMB, p.hostCPUs)
	return testcontainers.ContainerRequest{
		Image:        p.image,
		Cmd:          p.cmd,
		Env:          environ(spec),
		ExposedPorts: []string{rapidPort},
		Labels: map[string]string{
			LabelApp:      "1",
			LabelOwner:    p.owner,
			LabelEnv:      spec.ID,
			LabelProvider: p.id,
		},
		Tmpfs: map[string]string{"/tmp": "rw,size=512m"}, // Lambda's default ephemeral storage
		HostConfigModifier: func(hc *dcontainer.HostConfig) {
			hc.PortBindings = docker.PublishLoopback(rapidPort)
			hc.Resources.Memory = mem
			hc.Resources.MemorySwap = mem // no swap
		},
	}
}

// track records a new environment of container id, which releases claim
// once the container is removed.
func (p *Provider) track(id, containerID string, claim *portclaim.Claim) *Environment {
	e := newEnvironment(p, id, containerID)
	e.claim = claim
	p.mu.Lock()
	p.envs[e] = struct{}{}
	p.mu.Unlock()
	return e
}

// untrack forgets a removed environment.
func (p *Provider) untrack(e *Environment) {
	p.mu.Lock()
	delete(p.envs, e)
	p.mu.Unlock()
}

// Close removes every container the provider started that is still
// there, those whose start it aborts included, and returns once they are
// gone or ctx is done. Later Starts fail. It is safe to call more than
// once.
func (p *Provider) Close(ctx context.Context) error {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.cancel()

	// Let aborted starts return what they created, then stop everything.
	if err := waitGroup(ctx, &p.bg, func() {
		p.mu.Lock()
		envs := make([]*Environment, 0, len(p.envs))
		for e := range p.envs {
			envs = append(envs, e)
		}
		p.mu.Unlock()
		for _, e := range envs {
			e.startRemoval()
		}
	}); err != nil {
		return err
	}
	// A container whose creation was aborted may exist without the
	// provider knowing it: find it by label.
	found, err := docker.ListByLabel(ctx, p.tc.Client(), LabelProvider+"="+p.id)
	var errs []error
	if err != nil {
		errs = append(errs, fmt.Errorf("list containers: %w", err))
	}
	for id := range found {
		errs = append(errs, docker.Remove(ctx, p.tc.Client(), id))
	}
	p.tc.Close()
	return errors.Join(errs...)
}

// waitGroup waits for wg until ctx is done, calling poke before each wait
// and every time it has to wait longer.
func waitGroup(ctx context.Context, wg *sync.WaitGroup, poke func()) error {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for {
		poke()
		select {
		case <-done:
			return nil
		case <-ctx.Done():
			return fmt.Errorf("containers still being removed: %w", ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}
