package container_test

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/internal/schedstat"
	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/container"
	"github.com/coldbench/coldbench/targets/testkit"
)

// inspected is what the tests check of a container's configuration.
type inspected struct {
	Config struct {
		Labels map[string]string
		Env    []string
	}
	HostConfig struct {
		Memory       int64
		MemorySwap   int64
		NanoCpus     int64
		CpuPeriod    int64
		CpuQuota     int64
		PortBindings map[string][]struct{ HostIp, HostPort string }
		NetworkMode  string
	}
	State struct{ Running bool }
}

func TestStartInvokeStop(t *testing.T) {
	p, d, out := newProvider(t)
	if p.Name() != "container" {
		t.Errorf("Name() = %q", p.Name())
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	t0 := time.Now()
	envi, err := p.Start(ctx, lambda.Spec{ID: "e1", MemoryMB: 512, Timeout: 2 * time.Second, Env: map[string]string{"LOG_LEVEL": "debug", "AWS_LAMBDA_MAX_CONCURRENCY": "4"}})
	if envi != nil {
		t.Cleanup(func() { envi.Stop(context.Background()) })
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Start took %v", time.Since(t0))
	env := envi.(*container.Environment)
	if env.ID() != "e1" || !strings.HasPrefix(env.InvokeURL(), "http://127.0.0.1:") || !strings.HasSuffix(env.InvokeURL(), "/2015-03-31/functions/function/invocations") {
		t.Errorf("ID %q, InvokeURL %q", env.ID(), env.InvokeURL())
	}

	// The container as the engine has it: labels, limits, loopback port.
	var c inspected
	if err := d.Get(ctx, "/containers/"+env.ContainerID()+"/json", &c); err != nil {
		t.Fatal(err)
	}
	owner, _ := container.Owner()
	for k, want := range map[string]string{container.LabelApp: "1", container.LabelOwner: owner, container.LabelEnv: "e1"} {
		if got := c.Config.Labels[k]; got != want {
			t.Errorf("label %s = %q, want %q", k, got, want)
		}
	}
	mem, cpus, _ := container.Resources(512, runtime.NumCPU())
	// Before its first invoke, an environment has INIT's CPU.
	period, quota := container.CFSQuota(container.InitCPUs(cpus, runtime.NumCPU()))
	if c.HostConfig.Memory != mem || c.HostConfig.MemorySwap != mem || c.HostConfig.CpuPeriod != period || c.HostConfig.CpuQuota != quota || mem != 512<<20 {
		t.Errorf("limits: memory %d, memory+swap %d, CPU %d µs per %d µs; want %d, %d, %d per %d",
			c.HostConfig.Memory, c.HostConfig.MemorySwap, c.HostConfig.CpuQuota, c.HostConfig.CpuPeriod, mem, mem, quota, period)
	}
	if p.Network() == "host" {
		if c.HostConfig.NetworkMode != "host" {
			t.Errorf("network %q, want the host's", c.HostConfig.NetworkMode)
		}
	} else if b := c.HostConfig.PortBindings["8080/tcp"]; len(b) != 1 || b[0].HostIp != "127.0.0.1" {
		t.Errorf("port bindings %+v, want 8080/tcp on 127.0.0.1 only", c.HostConfig.PortBindings)
	}
	env8 := strings.Join(c.Config.Env, " ")
	for _, want := range []string{"AWS_LAMBDA_FUNCTION_TIMEOUT=2", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512", "AWS_LAMBDA_FUNCTION_NAME=coldbench", "LOG_LEVEL=debug"} {
		if !strings.Contains(env8, want) {
			t.Errorf("environment %q lacks %s", env8, want)
		}
	}
	if strings.Contains(env8, "AWS_LAMBDA_MAX_CONCURRENCY") {
		t.Errorf("environment %q sets AWS_LAMBDA_MAX_CONCURRENCY", env8)
	}

	testkit.InvokeColdThenWarm(t, env.InvokeURL())

	// The kernel's accounting of its threads, read from this machine
	// through its cgroup: the RIE's and the bootstrap's.
	if u, err := env.Usage(); err != nil {
		t.Errorf("Usage: %v", err)
	} else if d := u.Sub(schedstat.Usage{}); len(u.Threads) < 2 || d.CPU <= 0 {
		t.Errorf("Usage: %d threads, %v of CPU", len(u.Threads), d.CPU)
	}

	// The RIE's REPORT line of the invoke, prefixed with the id.
	testkit.Eventually(t, "REPORT line in the output", func() bool {
		return strings.Contains(out.String(), "[e1] REPORT RequestId: req-"+t.Name())
	})
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.Contains(line, "Memory Size:") {
			if id, text, ok := lambda.ParseLogLine(line); !ok || id != "e1" || !strings.Contains(text, "Memory Size: 512 MB") {
				t.Errorf("ParseLogLine(%q) = %q, %q, %v", line, id, text, ok)
			}
		}
	}

	t0 = time.Now()
	if err := env.Stop(ctx); err != nil {
		t.Errorf("Stop: %v", err)
	}
	t.Logf("Stop took %v", time.Since(t0))
	select {
	case <-env.Done():
	default:
		t.Error("Done not closed after Stop")
	}
	if err := env.Stop(ctx); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	if err := d.Get(ctx, "/containers/"+env.ContainerID()+"/json", &c); err == nil {
		t.Errorf("container %.12s still there after Stop", env.ContainerID())
	}
}

func TestNewNeverPulls(t *testing.T) {
	requireImage(t)
	t0 := time.Now()
	p, err := container.New("coldbench-lambda:does-not-exist")
	if err == nil {
		p.Close(context.Background())
		t.Fatal("New with a missing image: no error")
	}
	if !strings.Contains(err.Error(), "never pulled") {
		t.Errorf("New with a missing image: %v", err)
	}
	t.Logf("New failed after %v: %v", time.Since(t0), err)
}

func TestStartRejectsMemory(t *testing.T) {
	p, _, _ := newProvider(t)
	for _, mb := range []int{64, 10241} {
		if env, err := p.Start(context.Background(), lambda.Spec{MemoryMB: mb}); err == nil || env != nil {
			t.Errorf("Start with %d MB: %v, %v", mb, env, err)
		}
	}
}

func TestCloseRemovesEverything(t *testing.T) {
	p, d, _ := newProvider(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	envs := testkit.StartAtOnce(t, ctx, p, 3)
	if err := p.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for _, e := range envs {
		select {
		case <-e.Done():
		default:
			t.Errorf("%s: Done not closed after Close", e.ID())
		}
	}
	owner, _ := container.Owner()
	testkit.AwaitNoContainers(t, d, container.LabelOwner+"="+owner)
	if env, err := p.Start(ctx, lambda.Spec{}); err == nil || env != nil {
		t.Errorf("Start after Close: %v, %v", env, err)
	}
	if err := p.Close(ctx); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestStartFails starts an RIE that exits at once: Start says why, with
// the container's output, and returns the environment, which Stop removes.
func TestStartFails(t *testing.T) {
	p, d, _ := newProvider(t, container.WithCommand("--log-level", "bogus"))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	env, err := p.Start(ctx, lambda.Spec{ID: "bad"})
	if err == nil || env == nil {
		t.Fatalf("Start of an RIE that exits: %v, %v; want the environment and an error", env, err)
	}
	t.Logf("Start: %v", err)
	if !strings.Contains(err.Error(), "exited at start-up") || !strings.Contains(err.Error(), "Failed to set log level") {
		t.Errorf("Start error %q does not say the container exited, with its output", err)
	}
	if err := env.Stop(ctx); err != nil {
		t.Errorf("Stop: %v", err)
	}
	owner, _ := container.Owner()
	testkit.AwaitNoContainers(t, d, container.LabelOwner+"="+owner)
}
