package container_test

import (
	"context"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/container"
	"github.com/coldbench/coldbench/targets/order"
)

// TestManaged runs an environment as Lambda Managed Instances do
// (Spec.MaxConcurrency 3, Spec.VCPUs 1): the real RIE in that mode in the
// function's image, its CPU one vCPU from the start. Five invokes at
// once, each waiting 300 ms: three are served together, two refused with
// the RIE's 400.
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
	codes := make([]int, 5)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Go(func() {
			body := `{"version":"2.0","rawPath":"/order","requestContext":{"http":{"method":"GET","path":"/order"}}}`
			resp, err := http.Post(env.InvokeURL(), "application/json", strings.NewReader(body))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes[i] = resp.StatusCode
		})
	}
	wg.Wait()
	ok, refused := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusOK:
			ok++
		case http.StatusBadRequest:
			refused++
		}
	}
	if ok != 3 || refused != 2 {
		t.Errorf("codes %v: want 3 served at once and 2 refused (400)", codes)
	}
}
