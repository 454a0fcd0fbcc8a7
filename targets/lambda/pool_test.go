package lambda_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
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
