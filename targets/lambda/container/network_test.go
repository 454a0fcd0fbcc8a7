package container_test

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda/container"
	"github.com/coldbench/coldbench/targets/testkit"
)

// TestHostNetwork and TestPublishedPorts start environments both ways the
// provider reaches them: on the host's network where this engine allows it
// (each RIE on loopback ports of its own: two at once must not collide),
// and with the RIE's port published; both answer invokes on 127.0.0.1.
// (No subtests: the request id of testkit.Invoke is the test's name, and
// a "/" in it breaks the Runtime API's URLs.)
func TestHostNetwork(t *testing.T) { testNetwork(t) }

func TestPublishedPorts(t *testing.T) { testNetwork(t, container.WithPublishedPorts()) }

func testNetwork(t *testing.T, opts ...container.Option) {
	p, _, _ := newProvider(t, opts...)
	if len(opts) > 0 && p.Network() != "published" {
		t.Fatalf("Network() = %q with WithPublishedPorts", p.Network())
	}
	t.Logf("network: %s", p.Network())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	envs := testkit.StartAtOnce(t, ctx, p, 2)
	for _, e := range envs {
		host, port, err := net.SplitHostPort(e.InvokeURL()[len("http://") : len(e.InvokeURL())-len("/2015-03-31/functions/function/invocations")])
		if err != nil || host != "127.0.0.1" {
			t.Fatalf("invoke URL %s: not on 127.0.0.1 (%v)", e.InvokeURL(), err)
		}
		if _, err := strconv.Atoi(port); err != nil {
			t.Fatalf("invoke URL %s: port %q", e.InvokeURL(), port)
		}
	}
	for _, e := range envs {
		if err := e.Stop(ctx); err != nil {
			t.Error(err)
		}
	}
}
