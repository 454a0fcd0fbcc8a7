package container_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/container"
	"github.com/coldbench/coldbench/targets/order"
	"github.com/coldbench/coldbench/targets/testkit"
)

// startRouter runs the real router over containers. Cleanup closes the
// router, then the provider (see newProvider).
func startRouter(t *testing.T, cfg lambda.Config) (*lambda.Router, *testkit.Docker, *testkit.Buffer) {
	t.Helper()
	p, d, out := newProvider(t)
	r, err := lambda.Run(context.Background(), p, cfg)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := r.Close(ctx); err != nil {
			t.Errorf("router Close: %v", err)
		}
		if r != nil {
			if s := r.Stats(); s.Live != 0 || s.Busy != 0 {
				t.Errorf("after Close: %+v", s)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return r, d, out
}

// result is one answer of the router.
type result struct {
	status int
	body   string
	header http.Header
}

func (r result) cold() string   { return r.header.Get(lambda.HeaderCold) }
func (r result) fnCold() string { return r.header.Get(lambda.HeaderFunctionCold) }
func (r result) env() string    { return r.header.Get(lambda.HeaderEnv) }

func (r result) String() string {
	return fmt.Sprintf("%d %q cold=%s fnCold=%s env=%s sandbox=%sµs error=%q", r.status, r.body,
		r.cold(), r.fnCold(), r.env(), r.header.Get(lambda.HeaderSandbox), r.header.Get(lambda.HeaderError))
}

// post sends an order to the router, with a fault if fault is not empty.
func post(t testing.TB, r *lambda.Router, fault string) result {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, r.URL()+order.Path, strings.NewReader(`{"item":"book","qty":1}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if fault != "" {
		req.Header.Set("X-Coldbench-Fault", fault)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return result{status: resp.StatusCode, body: string(b), header: resp.Header}
}

// envContainers lists the containers of this process running environment
// id.
func envContainers(t testing.TB, d *testkit.Docker, id string) []testkit.DockerContainer {
	t.Helper()
	owner, err := container.Owner()
	if err != nil {
		t.Fatal(err)
	}
	list, err := d.Containers(context.Background(), container.LabelOwner+"="+owner, container.LabelEnv+"="+id)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestColdThenWarm(t *testing.T) {
	r, d, out := startRouter(t, lambda.Config{Keepalive: time.Minute})
	first := post(t, r, "")
	if first.status != 201 || first.body != "Order created!" || first.cold() != "true" || first.fnCold() != "true" || first.header.Get(lambda.HeaderSandbox) == "" {
		t.Fatalf("first request: %v, want a cold 201", first)
	}
	if c := envContainers(t, d, first.env()); len(c) != 1 || c[0].State != "running" {
		t.Fatalf("containers of %s: %+v, want one running", first.env(), c)
	}
	second := post(t, r, "")
	if second.status != 201 || second.cold() != "false" || second.fnCold() != "false" || second.env() != first.env() {
		t.Errorf("second request: %v, want a warm 201 on %s", second, first.env())
	}
	if s := r.Stats(); s.Started != 1 || s.Live != 1 || s.Invocations != 2 {
		t.Errorf("stats %+v", s)
	}
	t.Logf("cold: sandbox %sµs init %sµs", first.header.Get(lambda.HeaderSandbox), first.header.Get(lambda.HeaderInit))
	id := first.header.Get(lambda.HeaderRequestID)
	testkit.Eventually(t, "REPORT line of the first request", func() bool {
		return strings.Contains(out.String(), "["+first.env()+"] REPORT RequestId: "+id)
	})
}

func TestKeepaliveReapsContainer(t *testing.T) {
	r, d, _ := startRouter(t, lambda.Config{Keepalive: 300 * time.Millisecond})
	first := post(t, r, "")
	if first.status != 201 || first.cold() != "true" {
		t.Fatalf("first request: %v", first)
	}
	testkit.Eventually(t, "environment reaped", func() bool {
		s := r.Stats()
		return s.Reaped == 1 && s.Live == 0
	})
	owner, _ := container.Owner()
	testkit.AwaitNoContainers(t, d, container.LabelOwner+"="+owner, container.LabelEnv+"="+first.env())
	second := post(t, r, "")
	if second.status != 201 || second.cold() != "true" || second.env() == first.env() {
		t.Errorf("after reaping: %v, want a cold 201 on a new environment", second)
	}
}

// TestFaultDiscardsEnvironment runs functions that die mid-invoke: past
// its 128 MB memory limit (the kernel's OOM killer ends it), by exit, by
// panic. The router answers 502 and discards the environment, whose
// container is removed; the next request starts a new one.
func TestFaultDiscardsEnvironment(t *testing.T) {
	for _, fault := range []string{"alloc=300", "exit", "panic"} {
		t.Run(fault, func(t *testing.T) {
			r, d, _ := startRouter(t, lambda.Config{Function: lambda.Spec{MemoryMB: 128}, Keepalive: time.Minute})
			warm := post(t, r, "")
			if warm.status != 201 {
				t.Fatalf("first request: %v", warm)
			}
			failed := post(t, r, fault)
			if failed.status != http.StatusBadGateway || failed.env() != warm.env() {
				t.Fatalf("X-Coldbench-Fault: %s: %v, want 502 from %s", fault, failed, warm.env())
			}
			t.Logf("%s: %v", fault, failed)
			testkit.Eventually(t, "environment gone", func() bool { return r.Stats().Live == 0 })
			owner, _ := container.Owner()
			testkit.AwaitNoContainers(t, d, container.LabelOwner+"="+owner, container.LabelEnv+"="+warm.env())
			next := post(t, r, "")
			if next.status != 201 || next.cold() != "true" || next.env() == warm.env() {
				t.Errorf("after the fault: %v, want a cold 201 on a new environment", next)
			}
			if s := r.Stats(); s.Discarded+s.Crashed != 1 || s.Started != 2 {
				t.Errorf("stats %+v", s)
			}
		})
	}
}

// TestMemoryLimitAllowsWithin checks that the limit leaves room for what
// fits: 64 MB in a 256 MB environment.
func TestMemoryLimitAllowsWithin(t *testing.T) {
	r, _, _ := startRouter(t, lambda.Config{Function: lambda.Spec{MemoryMB: 256}, Keepalive: time.Minute})
	if res := post(t, r, "alloc=64"); res.status != 201 {
		t.Errorf("alloc=64 in 256 MB: %v", res)
	}
}

// TestContainerDiesOnItsOwn kills an idle environment's container behind
// the router's back, as the kernel's OOM killer would if it chose the RIE:
// Done closes, the container is removed, the router counts a crash and
// the next request starts a new environment.
func TestContainerDiesOnItsOwn(t *testing.T) {
	r, d, _ := startRouter(t, lambda.Config{Keepalive: time.Minute})
	first := post(t, r, "")
	if first.status != 201 {
		t.Fatalf("first request: %v", first)
	}
	c := envContainers(t, d, first.env())
	if len(c) != 1 {
		t.Fatalf("containers of %s: %+v", first.env(), c)
	}
	if err := d.Post(context.Background(), "/containers/"+c[0].ID+"/kill?signal=KILL"); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, "crash noticed", func() bool {
		s := r.Stats()
		return s.Crashed == 1 && s.Live == 0
	})
	owner, _ := container.Owner()
	testkit.AwaitNoContainers(t, d, container.LabelOwner+"="+owner, container.LabelEnv+"="+first.env())
	next := post(t, r, "")
	if next.status != 201 || next.cold() != "true" || next.env() == first.env() {
		t.Errorf("after the crash: %v, want a cold 201 on a new environment", next)
	}
}

// TestInitHasMoreCPU: an environment's INIT runs with InitCPUs, and once
// its first invoke is over the router has it lowered to the memory's share.
func TestInitHasMoreCPU(t *testing.T) {
	r, d, _ := startRouter(t, lambda.Config{Function: lambda.Spec{MemoryMB: 256}, Keepalive: time.Minute})
	res := post(t, r, "")
	if res.status != 201 || res.cold() != "true" {
		t.Fatalf("first request: %v", res)
	}
	c := envContainers(t, d, res.env())
	if len(c) != 1 {
		t.Fatalf("containers of %s: %+v", res.env(), c)
	}
	_, share, _ := container.Resources(256, runtime.NumCPU())
	wantPeriod, wantQuota := container.CFSQuota(share)
	var got struct {
		HostConfig struct{ CpuPeriod, CpuQuota int64 }
	}
	testkit.Eventually(t, "the memory's CPU share after INIT", func() bool {
		if err := d.Get(context.Background(), "/containers/"+c[0].ID+"/json", &got); err != nil {
			t.Fatal(err)
		}
		return got.HostConfig.CpuPeriod == wantPeriod && got.HostConfig.CpuQuota == wantQuota
	})
	if initPeriod, initQuota := container.CFSQuota(container.InitCPUs(share, runtime.NumCPU())); initQuota*wantPeriod <= wantQuota*initPeriod {
		t.Errorf("INIT's CPU %d/%d is not above the share %d/%d", initQuota, initPeriod, wantQuota, wantPeriod)
	}
}
