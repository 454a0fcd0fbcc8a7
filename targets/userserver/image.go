package userserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	dcontainer "github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"

	"github.com/coldbench/coldbench/targets/internal/docker"
	"github.com/coldbench/coldbench/targets/internal/procgroup"
)

// ImageConfig says how to run a server image.
type ImageConfig struct {
	Image string // a local image; never pulled
	Port  int    // the port the server listens on inside the container
	// Env is the container's environment on top of the image's; PORT is
	// set to Port.
	Env   map[string]string
	Ready Probe
	// StartTimeout bounds the wait for Ready; 0 is 30 s.
	StartTimeout time.Duration
	// VCPUs and MemoryBytes limit the container (an instance type's);
	// zero is no limit.
	VCPUs       float64
	MemoryBytes int64
	// Stdout and Stderr receive the server's output; nil discards it.
	Stdout, Stderr io.Writer
}

// Container is a running server image.
type Container struct {
	tc   *testcontainers.DockerProvider
	ctr  testcontainers.Container
	id   string
	url  string
	once sync.Once
	err  error
}

// InspectImage returns the id (sha256:…) of the local image, or a
// *StartError if it does not exist: it is never pulled.
func InspectImage(ctx context.Context, image string) (string, error) {
	tc, err := docker.Connect(ctx)
	if err != nil {
		return "", err
	}
	defer tc.Close()
	res, err := tc.Client().ImageInspect(ctx, image)
	switch {
	case docker.IsNotFound(err):
		return "", &StartError{Command: "image " + image, Reason: "no such image in the Docker engine (it is never pulled); build it with docker build -t " + image + " ., or fix the name"}
	case err != nil:
		return "", fmt.Errorf("inspect image %s: %w", image, err)
	}
	return res.ID, nil
}

// StartImage runs cfg.Image as a container whose port is published on
// 127.0.0.1 and returns once it answers cfg.Ready. Its containers carry
// this process's owner labels, so Sweep removes one a killed coldbench
// left. Like Start it returns the Container even on error, possibly nil,
// to Stop.
func StartImage(ctx context.Context, cfg ImageConfig) (*Container, error) {
	what := "image " + cfg.Image
	labels, err := docker.OwnerLabels()
	if err != nil {
		return nil, err
	}
	tc, err := docker.Connect(ctx)
	if err != nil {
		return nil, err
	}
	port := strconv.Itoa(cfg.Port) + "/tcp"
	env := map[string]string{}
	for k, v := range cfg.Env {
		env[k] = v
	}
	env["PORT"] = strconv.Itoa(cfg.Port)
	req := testcontainers.ContainerRequest{
		Image: cfg.Image, Env: env, Labels: labels, ExposedPorts: []string{port},
		HostConfigModifier: func(hc *dcontainer.HostConfig) {
			hc.PortBindings = docker.PublishLoopback(port)
			if cfg.VCPUs > 0 {
				hc.Resources.NanoCPUs = int64(cfg.VCPUs * 1e9)
			}
			if cfg.MemoryBytes > 0 {
				hc.Resources.Memory, hc.Resources.MemorySwap = cfg.MemoryBytes, cfg.MemoryBytes
			}
		},
		LogConsumerCfg: &testcontainers.LogConsumerConfig{Consumers: []testcontainers.LogConsumer{logTo{cfg.Stdout, cfg.Stderr}}},
	}
	tail := &procgroup.Tail{}
	req.LogConsumerCfg.Consumers = append(req.LogConsumerCfg.Consumers, logTo{tail, tail})
	ctr, err := tc.CreateContainer(ctx, req)
	if ctr == nil {
		tc.Close()
		return nil, fmt.Errorf("%s: create the container: %w", what, err)
	}
	c := &Container{tc: tc, ctr: ctr, id: ctr.GetContainerID()}
	if err == nil {
		err = ctr.Start(ctx)
	}
	if err != nil {
		return c, &StartError{Command: what, Reason: fmt.Sprintf("the container did not start: %v", err)}
	}
	mapped, err := ctr.MappedPort(ctx, port)
	if err != nil {
		return c, fmt.Errorf("%s: container %.12s: %w", what, c.id, err)
	}
	c.url = "http://127.0.0.1:" + mapped.Port()
	exited := make(chan struct{})
	go c.watch(exited)
	timeout := cfg.StartTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	if err := AwaitReady(ctx, c.url, cfg.Ready, timeout, exited); err != nil {
		var se *StartError
		switch {
		case errors.Is(err, errExited):
			return c, &StartError{Command: what, Tail: tail.String(), Reason: fmt.Sprintf("the container exited before answering %s %s; run it with docker run to see why", cfg.Ready.Method, cfg.Ready.Path)}
		case errors.As(err, &se):
			se.Command, se.Tail = what, tail.String()
		}
		return c, err
	}
	return c, nil
}

// watch closes exited once the container is no longer running.
func (c *Container) watch(exited chan struct{}) {
	defer close(exited)
	for {
		st, err := c.ctr.State(context.Background())
		if err != nil || !st.Running {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// URL is the server's base URL, http://127.0.0.1:PORT.
func (c *Container) URL() string { return c.url }

// ID is the container's id.
func (c *Container) ID() string { return c.id }

// CPU returns the CPU time the container has used, from its cgroup
// (the engine's stats: cpu_stats.cpu_usage.total_usage, in ns).
func (c *Container) CPU(ctx context.Context) (time.Duration, error) {
	res, err := c.tc.Client().ContainerStats(ctx, c.id, client.ContainerStatsOptions{})
	if err != nil {
		return 0, fmt.Errorf("container %.12s stats: %w", c.id, err)
	}
	defer res.Body.Close()
	var s dcontainer.StatsResponse
	if err := json.NewDecoder(res.Body).Decode(&s); err != nil {
		return 0, fmt.Errorf("container %.12s stats: %w", c.id, err)
	}
	return time.Duration(s.CPUStats.CPUUsage.TotalUsage), nil
}

// Stop stops the container (SIGTERM, SIGKILL after 5 s), removes it and
// closes the engine's connection. Safe to call more than once and on nil.
func (c *Container) Stop(ctx context.Context) error {
	if c == nil {
		return nil
	}
	c.once.Do(func() {
		grace := 5 * time.Second
		_ = c.ctr.Stop(ctx, &grace) // also ends the log consumers; the removal below is what must not fail
		c.err = errors.Join(docker.Remove(ctx, c.tc.Client(), c.id), c.tc.Close())
	})
	return c.err
}

// logTo is a log consumer that writes a container's stdout and stderr.
type logTo struct{ stdout, stderr io.Writer }

func (l logTo) Accept(g testcontainers.Log) {
	w := l.stdout
	if strings.EqualFold(g.LogType, testcontainers.StderrLog) {
		w = l.stderr
	}
	if w != nil {
		w.Write(g.Content)
	}
}

// Sweep removes the containers that coldbench processes which are gone
// left behind, server images' and Lambda's alike, and returns how many:
// those whose owner label names a process of this host that no longer
// runs (see StartImage).
func Sweep(ctx context.Context) (removed int, err error) { return docker.Sweep(ctx) }
