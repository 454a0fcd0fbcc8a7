package container_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/container"
	"github.com/coldbench/coldbench/targets/order"
	"github.com/coldbench/coldbench/targets/testkit"
)

// TestManaged runs an environment as Lambda Managed Instances do
// (Spec.MaxConcurrency 3, Spec.VCPUs 1): the real RIE in that mode in the
// function's image, its CPU one vCPU from the start. Five invokes at
// once, each waiting 300 ms: three are served together (two if a poller
// has not polled again yet), the rest refused with the RIE's 400.
func TestManaged(t *testing.T) {
	p, d, _ := newProvider(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	env, err := p.Start(ctx, lambda.Spec{ID: "m1", MemoryMB: 2048, Timeout: 5 * time.Second, MaxConcurrency: 3, VCPUs: 1,
		Env: map[string]string{order.EnvRequestWait: "300ms"}})
	if env != nil {
		t.Cleanup(func() { env.Stop(context.Background()) })
	}
	if err != nil {
		t.Fatal(err)
	}
	var c inspected
	if err := d.Get(ctx, "/containers/"+env.(*container.Environment).ContainerID()+"/json", &c); err != nil {
		t.Fatal(err)
	}
	period, quota := container.CFSQuota(min(int64(1e9), int64(runtime.NumCPU())*1e9))
	if c.HostConfig.CpuPeriod != period || c.HostConfig.CpuQuota != quota {
		t.Errorf("CPU %d µs per %d µs, want %d per %d (1 vCPU)", c.HostConfig.CpuQuota, c.HostConfig.CpuPeriod, quota, period)
	}
	// One invoke first: its answer means the function's pollers are up
	// (the RIE is ready at the first one's /next, the others follow).
	testkit.Invoke(t, env.InvokeURL(), testkit.OrderEvent)
	time.Sleep(100 * time.Millisecond)
	ok, refused := testkit.InvokeManaged(t, env.InvokeURL(), 5)
	if ok < 2 || ok > 3 || ok+refused != 5 {
		t.Errorf("%d served, %d refused: want 3 served at once (2 if one poller had not polled again yet) and the rest refused (400)", ok, refused)
	}
}
