package container_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/container"
	"github.com/coldbench/coldbench/targets/testkit"
)

// TestPortClaimsHoldAcrossProviders: two providers in one process start
// 10 containers each, all at once, on the host's network (where each RIE
// binds loopback ports the provider claimed): every start succeeds and no
// RIE reports a lost bind. Before ports were claimed, a port chosen free
// could be taken by anything between its choice and the RIE's bind. The
// process provider's test starts 50 each; a hundred containers at once,
// beside the other packages' tests, deadlocked this machine's Docker
// engine (see maxRemovals), so this one starts fewer.
func TestPortClaimsHoldAcrossProviders(t *testing.T) {
	if testing.Short() {
		t.Skip("20 containers")
	}
	d, img := requireImage(t)
	const each = 10
	var outs [2]testkit.Buffer
	var ps [2]*container.Provider
	for i := range ps {
		p, err := container.New(img, container.WithOutput(&outs[i]))
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		ps[i] = p
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		for _, p := range ps {
			if err := p.Close(ctx); err != nil {
				t.Errorf("Close: %v", err)
			}
		}
		testkit.AwaitNoContainers(t, d, container.LabelOwner+"="+ps[0].OwnerLabel())
	})
	if ps[0].Network() != "host" {
		t.Skip("the engine's containers do not share this machine's loopback: ports are published, not claimed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	errs := make(chan error, 2*each)
	var wg sync.WaitGroup
	for _, p := range ps {
		for range each {
			wg.Go(func() {
				_, err := p.Start(ctx, lambda.Spec{MemoryMB: 1769, Timeout: 10 * time.Second})
				errs <- err
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	for i := range outs {
		if s := outs[i].String(); strings.Contains(s, "address already in use") {
			t.Errorf("provider %d: a bind failed:\n%s", i, s)
		}
	}
}
