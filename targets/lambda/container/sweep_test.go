package container_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/container"
	"github.com/coldbench/coldbench/targets/testkit"
)

// startOwnedBy starts an environment in a container labelled as owned by
// owner, through a provider of its own.
func startOwnedBy(t *testing.T, owner string) lambda.Environment {
	t.Helper()
	var opts []container.Option
	if owner != "" {
		opts = append(opts, container.WithOwner(owner))
	}
	p, _, _ := newProvider(t, opts...)
	env, err := p.Start(context.Background(), lambda.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	return env
}

func TestSweep(t *testing.T) {
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	owner, err := container.Owner()
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	var start uint64
	if _, err := fmt.Sscanf(owner[len(host)+1:], "%d:%d", &pid, &start); err != nil || pid != os.Getpid() {
		t.Fatalf("Owner() = %q, want %s:%d:START (%v)", owner, host, os.Getpid(), err)
	}

	gone := startOwnedBy(t, fmt.Sprintf("%s:%d:%d", host, testkit.ExitedPID(t), start))        // the process is gone
	reused := startOwnedBy(t, fmt.Sprintf("%s:%d:%d", host, os.Getpid(), start+1))             // its pid is another process now
	alive := startOwnedBy(t, "")                                                               // this process: alive
	elsewhere := startOwnedBy(t, fmt.Sprintf("%s-other:%d:%d", host, testkit.ExitedPID(t), 1)) // another host: cannot tell

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	removed, err := container.Sweep(ctx)
	if err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	// Another coldbench that died may have left containers too.
	if removed < 2 {
		t.Errorf("Sweep removed %d containers, want at least 2", removed)
	}
	for _, e := range []lambda.Environment{gone, reused} {
		select {
		case <-e.Done():
		case <-time.After(20 * time.Second):
			t.Errorf("%s: Done not closed after Sweep removed its container", e.ID())
		}
	}
	for _, e := range []lambda.Environment{alive, elsewhere} {
		select {
		case <-e.Done():
			t.Errorf("%s: Sweep removed the container of a live or foreign owner", e.ID())
		default:
		}
		if status, body := testkit.Invoke(t, e.InvokeURL(), testkit.OrderEvent); status != 200 {
			t.Errorf("%s after Sweep: %d %q", e.ID(), status, body)
		}
	}
}
