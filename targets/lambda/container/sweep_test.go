package container_test

import (
	"context"
	"errors"
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
	env, swept := startMaybeSwept(t, owner)
	if swept {
		t.Fatalf("the container of live owner %q was removed during its start", owner)
	}
	return env
}

// startMaybeSwept starts an environment in a container labelled as owned
// by owner, which may be a dead process: any coldbench run that starts
// meanwhile (another test package's, go test runs them at once) sweeps
// such a container, even during its start. It reports swept if that
// happened: the start failed and the container is gone.
func startMaybeSwept(t *testing.T, owner string) (env lambda.Environment, swept bool) {
	t.Helper()
	var opts []container.Option
	if owner != "" {
		opts = append(opts, container.WithOwner(owner))
	}
	p, d, _ := newProvider(t, opts...)
	env, err := p.Start(context.Background(), lambda.Spec{})
	if err == nil {
		return env, false
	}
	if env == nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	id := env.(*container.Environment).ContainerID()
	var c inspected
	for {
		gerr := d.Get(ctx, "/containers/"+id+"/json", &c)
		if errors.Is(gerr, testkit.ErrNotFound) {
			t.Logf("%s: another run swept container %.12s during its start (%v)", env.ID(), id, err)
			return env, true
		}
		if ctx.Err() != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond) // a removal may be under way
	}
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

	gone, goneSwept := startMaybeSwept(t, fmt.Sprintf("%s:%d:%d", host, testkit.ExitedPID(t), start)) // the process is gone
	reused, reusedSwept := startMaybeSwept(t, fmt.Sprintf("%s:%d:%d", host, os.Getpid(), start+1))    // its pid is another process now
	alive := startOwnedBy(t, "")                                                                      // this process: alive
	elsewhere := startOwnedBy(t, fmt.Sprintf("%s-other:%d:%d", host, testkit.ExitedPID(t), 1))        // another host: cannot tell

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	removed, err := container.Sweep(ctx)
	if err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	// Another run may have swept these containers first (go test runs
	// packages at once), so the count proves nothing: each must be gone.
	t.Logf("Sweep removed %d containers (swept by another run during their start: gone %v, reused %v)", removed, goneSwept, reusedSwept)
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
