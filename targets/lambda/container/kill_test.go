package container_test

import (
	"context"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/container"
	"github.com/coldbench/coldbench/targets/testkit"
)

// TestKillOne kills an idle environment's container through the router, as
// a host failure would: the router counts a crash, the container is removed
// and the next request starts a new environment.
func TestKillOne(t *testing.T) {
	r, d, _ := startRouter(t, lambda.Config{Keepalive: time.Minute})
	warm := post(t, r, "")
	if warm.status != 201 {
		t.Fatalf("first request: %v", warm)
	}
	id, err := r.KillOne(func(n int) int {
		if n != 1 {
			t.Errorf("%d live environments, want 1", n)
		}
		return 0
	})
	if err != nil || id != warm.env() {
		t.Fatalf("KillOne: %q, %v; want %s", id, err, warm.env())
	}
	next := post(t, r, "")
	if next.status != 201 || next.cold() != "true" || next.env() == id {
		t.Errorf("after the kill: %v, want a cold 201 on a new environment", next)
	}
	testkit.Eventually(t, "crash noticed", func() bool {
		s := r.Stats()
		return s.Crashed == 1 && s.Killed == 1 && s.Live == 1
	})
	owner, _ := container.Owner()
	testkit.AwaitNoContainers(t, d, container.LabelOwner+"="+owner, container.LabelEnv+"="+id)
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	testkit.AwaitNoContainers(t, d, container.LabelOwner+"="+owner)
}
