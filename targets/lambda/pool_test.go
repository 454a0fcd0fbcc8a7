package lambda_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/process"
	"github.com/coldbench/coldbench/targets/order"
	"github.com/coldbench/coldbench/targets/testkit"
)

// TestPoolHandsOutEachSandboxOnce fills a pool of 2 real RIE processes,
// sends 4 requests at once (so 4 cold starts: at least the 2 pooled
// sandboxes, then the refilled or on-demand ones), lets the fleet be
// reaped, and sends 4 more: every cold start is on an environment never
// seen before, the header and the counters agree on hits and misses, the
// pool is refilled to its target, and Close leaves no process (see
// startRouter).
func TestPoolHandsOutEachSandboxOnce(t *testing.T) {
	r, _ := startRouter(t, lambda.Config{Concurrency: 10, Pool: 2, Keepalive: 200 * time.Millisecond,
		Function: lambda.Spec{Timeout: time.Minute}}, order.Work{})
	if s := r.Stats(); s.PoolReady != 2 || s.PoolTarget != 2 || s.PoolStarted != 2 || s.Live != 0 {
		t.Fatalf("after Run: %+v, want 2 sandboxes ready and no environment", s)
	}
	seen := map[string]bool{}
	hits, misses := 0, 0
	for round := range 2 {
		for _, res := range postAllFault(r.URL(), 4, "sleep=300ms") {
			if res.status != http.StatusCreated || res.cold() != "true" || res.fnCold() != "true" {
				t.Fatalf("round %d: %v, want a cold 201", round, res)
			}
			if seen[res.env()] {
				t.Errorf("round %d: environment %s handed out twice", round, res.env())
			}
			seen[res.env()] = true
			switch p := res.header.Get(lambda.HeaderPool); p {
			case "hit":
				hits++
			case "miss":
				misses++
			default:
				t.Errorf("round %d: %s = %q on a cold start", round, lambda.HeaderPool, p)
			}
			if _, err := strconv.Atoi(res.header.Get(lambda.HeaderSandbox)); err != nil {
				t.Errorf("round %d: %s = %q", round, lambda.HeaderSandbox, res.header.Get(lambda.HeaderSandbox))
			}
		}
		testkit.Eventually(t, "environments reaped, pool refilled", func() bool {
			s := r.Stats()
			return s.Live == 0 && s.PoolReady == 2
		})
	}
	s := r.Stats()
	if hits < 4 || s.PoolHits != hits || s.PoolMisses != misses || hits+misses != 8 {
		t.Errorf("hits %d, misses %d; stats %+v; want at least the 2 pooled sandboxes of each round as hits", hits, misses, s)
	}
	// Every sandbox started into the pool was handed out once or is ready.
	if s.PoolStarted != s.PoolHits+s.PoolReady+s.PoolLost || s.Started != 8 {
		t.Errorf("stats %+v: started into the pool %d, want hits + ready + lost", s, s.PoolStarted)
	}
}

// TestPlatformDelayIsWaitedAndReported: a fixed modelled platform part is
// waited on every cold start, reported in its own header, and absent from
// warm requests.
func TestPlatformDelayIsWaitedAndReported(t *testing.T) {
	r, _ := startRouter(t, lambda.Config{Platform: lambda.Delay{Min: 150 * time.Millisecond}, Keepalive: time.Minute},
		order.Work{})
	client := &http.Client{}
	t0 := time.Now()
	cold := post(client, r.URL())
	took := time.Since(t0)
	if cold.status != http.StatusCreated || cold.cold() != "true" {
		t.Fatalf("first request: %v", cold)
	}
	if got := cold.header.Get(lambda.HeaderPlatform); got != "150000" {
		t.Errorf("%s = %q, want 150000", lambda.HeaderPlatform, got)
	}
	if took < 150*time.Millisecond {
		t.Errorf("a cold start with a 150ms platform part took %v", took)
	}
	warm := post(client, r.URL())
	if warm.cold() != "false" || warm.header.Get(lambda.HeaderPlatform) != "" || warm.header.Get(lambda.HeaderSandbox) != "" {
		t.Errorf("warm request: %v, platform %q sandbox %q", warm, warm.header.Get(lambda.HeaderPlatform), warm.header.Get(lambda.HeaderSandbox))
	}
}

// killingProvider starts real RIE processes and, for the starts kill
// picks (numbered from 1), kills the environment (SIGKILL, as a host
// failure would) before Start returns and fails the start, as the real
// provider fails a sandbox that exits during its start-up.
type killingProvider struct {
	lambda.Provider
	kill func(n int64) bool
	n    atomic.Int64
}

func (p *killingProvider) Start(ctx context.Context, spec lambda.Spec) (lambda.Environment, error) {
	n := p.n.Add(1)
	e, err := p.Provider.Start(ctx, spec)
	if err != nil || !p.kill(n) {
		return e, err
	}
	if err := e.(lambda.Killer).Kill(); err != nil {
		return e, err
	}
	<-e.Done()
	return e, fmt.Errorf("environment %s exited at start-up: killed", spec.ID)
}

// TestPoolReplacesFailedStart: sandboxes killed during their start-up
// while the pool fills are counted as failed starts and replaced; the
// pool fills, and every request is answered.
func TestPoolReplacesFailedStart(t *testing.T) {
	b := kit.Binaries(t)
	work := order.Work{Rate: workRate}
	p := &killingProvider{Provider: process.New(b.RIE, b.Bootstrap), kill: func(n int64) bool { return n == 1 || n == 3 }}
	r, err := lambda.Run(context.Background(), p, lambda.Config{Concurrency: 10, Pool: 3, Keepalive: time.Minute,
		Function: lambda.Spec{Timeout: time.Minute, Env: work.EnvMap()}})
	t.Cleanup(func() { closeAndCheck(t, r, b.RIE, b.Bootstrap) })
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if s := r.Stats(); s.PoolReady != 3 || s.PoolStarted != 3 || s.PoolStartFailed != 2 {
		t.Fatalf("after Run: %+v, want 3 sandboxes ready after 2 failed starts", s)
	}
	// Each request holds its environment for 300 ms, so that the three
	// are most likely cold starts from the pool; on a stalled machine one
	// may come late and find another's environment warm, which is no
	// failure.
	for _, res := range postAllFault(r.URL(), 3, "sleep=300ms") {
		if res.status != http.StatusCreated {
			t.Errorf("%v, want a 201", res)
		}
		if res.cold() == "true" && res.header.Get(lambda.HeaderPool) != "hit" {
			t.Errorf("%v: a cold start that missed a full pool", res)
		}
	}
}

// TestPoolFailsWhenStartsKeepFailing: when every start fails, Run fails
// after a few, saying how many in a row and why, and leaves no process.
func TestPoolFailsWhenStartsKeepFailing(t *testing.T) {
	b := kit.Binaries(t)
	p := &killingProvider{Provider: process.New(b.RIE, b.Bootstrap), kill: func(int64) bool { return true }}
	r, err := lambda.Run(context.Background(), p, lambda.Config{Pool: 2, Function: lambda.Spec{Timeout: time.Minute}})
	t.Cleanup(func() { closeAndCheck(t, r, b.RIE, b.Bootstrap) })
	if err == nil || !strings.Contains(err.Error(), "3 starts failed in a row") || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("Run: %v, want the failures in a row and the last one's cause", err)
	}
	if got := p.n.Load(); got != 3 {
		t.Errorf("%d starts, want 3", got)
	}
}
