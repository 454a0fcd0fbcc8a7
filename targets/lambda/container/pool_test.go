package container_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/container"
	"github.com/coldbench/coldbench/targets/testkit"
)

// TestPoolNeverReusesSandbox: over three rounds of a cold start followed
// by the environment's reaping, each cold start takes a pooled sandbox
// (a container already running), each round's container is one never seen
// before, and the container of a reaped environment is removed: a sandbox
// leaves with its environment and is never handed out again. The pool's
// containers are removed by Close (startRouter's cleanup and newProvider's
// check that nothing is left).
func TestPoolNeverReusesSandbox(t *testing.T) {
	r, d, _ := startRouter(t, lambda.Config{Pool: 2, Keepalive: 300 * time.Millisecond})
	owner, _ := container.Owner()
	if s := r.Stats(); s.PoolReady != 2 {
		t.Fatalf("after Run: %+v, want 2 sandboxes ready", s)
	}
	seen := map[string]bool{}
	for round := range 3 {
		res := post(t, r, "")
		if res.status != http.StatusCreated || res.cold() != "true" || res.header.Get(lambda.HeaderPool) != "hit" {
			t.Fatalf("round %d: %v pool=%q, want a cold 201 from the pool", round, res, res.header.Get(lambda.HeaderPool))
		}
		c := envContainers(t, d, res.env())
		if len(c) != 1 || c[0].State != "running" {
			t.Fatalf("round %d: containers of %s: %+v, want one running", round, res.env(), c)
		}
		if seen[c[0].ID] {
			t.Fatalf("round %d: container %.12s handed out twice", round, c[0].ID)
		}
		seen[c[0].ID] = true
		testkit.Eventually(t, "environment reaped, pool refilled", func() bool {
			s := r.Stats()
			return s.Reaped == round+1 && s.Live == 0 && s.PoolReady == 2
		})
		testkit.AwaitNoContainers(t, d, container.LabelOwner+"="+owner, container.LabelEnv+"="+res.env())
	}
	if s := r.Stats(); s.PoolHits != 3 || s.PoolMisses != 0 || s.PoolStarted != 5 {
		t.Errorf("stats %+v, want 3 hits and 5 sandboxes started", s)
	}
}
