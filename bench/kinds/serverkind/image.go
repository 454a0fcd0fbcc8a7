package serverkind

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"time"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/userserver"
)

// prepareImage checks the image of t: it must exist locally and get
// ready, which a trial start checks. Containers a killed coldbench left
// are swept first.
func prepareImage(ctx context.Context, t scenario.Target) error {
	if _, err := userserver.Sweep(ctx); err != nil {
		return fmt.Errorf("%s: %w", t.Name, err)
	}
	if _, err := userserver.InspectImage(ctx, Settings(t).Image); err != nil {
		return err
	}
	cfg, _, err := imageConfig(t)
	if err != nil {
		return err
	}
	c, err := userserver.StartImage(ctx, cfg)
	return errors.Join(err, c.Stop(ctx))
}

// imageConfig is how the image of t runs: with the vCPUs and memory of its
// instance type (at most this machine's CPUs), which the note says.
func imageConfig(t scenario.Target) (userserver.ImageConfig, string, error) {
	prices, err := cost.Default()
	if err != nil {
		return userserver.ImageConfig{}, "", err
	}
	name := t.Cost.WithDefaults().Instance
	in, err := prices.Instance(name)
	if err != nil {
		return userserver.ImageConfig{}, "", &kinds.InputError{Target: t.Name, Msg: err.Error()}
	}
	vcpus := float64(in.VCPUs)
	note := fmt.Sprintf("%s ran the image %s as a container with the resources of a %s: %d vCPU and %g GiB of memory (%s).",
		t.Name, Settings(t).Image, name, in.VCPUs, in.MemoryGiB, in.SpecsSource.Source)
	if host := runtime.NumCPU(); vcpus > float64(host) {
		vcpus = float64(host)
		note += fmt.Sprintf(" This machine has %d CPUs, so it got %d: it was capped below the instance.", host, host)
	}
	return userserver.ImageConfig{
		Image: Settings(t).Image, Port: Settings(t).Port, Env: Settings(t).Env, Ready: probe(t), StartTimeout: Settings(t).StartTimeout,
		VCPUs: vcpus, MemoryBytes: int64(math.Round(in.MemoryGiB * (1 << 30))),
	}, note, nil
}

// startImage runs the image of t, its output in env.Dir.
func startImage(ctx context.Context, t scenario.Target, env kinds.Env) (kinds.Running, error) {
	cfg, note, err := imageConfig(t)
	if err != nil {
		return nil, err
	}
	id, err := userserver.InspectImage(ctx, Settings(t).Image)
	if err != nil {
		return nil, inputError(t, err)
	}
	stdout, stderr, closeLogs, err := openLogs(env.Dir)
	if err != nil {
		return nil, err
	}
	cfg.Stdout, cfg.Stderr = stdout, stderr
	c, err := userserver.StartImage(ctx, cfg)
	if err != nil {
		return nil, errors.Join(inputError(t, err), c.Stop(ctx), closeLogs())
	}
	return &ownRunning{
		url:   c.URL(),
		stop:  func(ctx context.Context) error { return errors.Join(c.Stop(ctx), closeLogs()) },
		cpu:   meterContainer(ctx, c),
		code:  &record.Code{Form: "image", Path: Settings(t).Image, SHA256: trimSHA(id)},
		notes: []string{note, fmt.Sprintf("%s's stdout and stderr are in %s/%s and %s.", t.Name, t.Name, StdoutFile, StderrFile)},
	}, nil
}

// trimSHA drops the sha256: of an image id.
func trimSHA(id string) string {
	if len(id) > 7 && id[:7] == "sha256:" {
		return id[7:]
	}
	return id
}

// meterContainer is meter for a container: its cgroup's CPU time, as the
// engine's stats report it, before the load and after.
func meterContainer(ctx context.Context, c *userserver.Container) func() *cpuUsage {
	before, errBefore := c.CPU(ctx)
	return func() *cpuUsage {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		after, errAfter := c.CPU(ctx)
		return &cpuUsage{used: after - before, err: errors.Join(errBefore, errAfter), tick: time.Microsecond,
			how: fmt.Sprintf("cpu_stats.cpu_usage.total_usage of container %.12s (its cgroup's CPU time, from the engine's stats) before and after the load", c.ID())}
	}
}
