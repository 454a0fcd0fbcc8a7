package process_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/process"
	"github.com/coldbench/coldbench/targets/order"
	"github.com/coldbench/coldbench/targets/testkit"
)

// TestManaged runs an environment as Lambda Managed Instances do
// (Spec.MaxConcurrency 3): the real RIE in that mode, the built-in
// function (aws-lambda-go) polling with three goroutines. Five invokes
// at once, each waiting 300 ms: three are served together (two if a
// poller has not polled again yet), the rest refused at once with the
// RIE's 400 Runtime.Unavailable; the host's /var is left as it was.
func TestManaged(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("a managed-instances environment runs in a mount namespace, which needs root")
	}
	b := kit.Binaries(t)
	var out testkit.Buffer
	p := process.New(b.RIE, b.Bootstrap, process.WithOutput(&out))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	env, err := p.Start(ctx, lambda.Spec{ID: "m1", MemoryMB: 2048, Timeout: 5 * time.Second, MaxConcurrency: 3,
		Env: map[string]string{order.EnvRequestWait: "300ms"}})
	t.Cleanup(func() {
		if env != nil {
			env.Stop(context.Background())
		}
		testkit.AwaitNoProcesses(t, filepath.Dir(b.RIE))
		if t.Failed() {
			t.Logf("output:\n%s", out.String())
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat("/var/task"); err == nil {
		t.Errorf("/var/task exists on the host")
	}
	// One invoke first: its answer means the function's pollers are up
	// (the RIE is ready at the first one's /next, the others follow).
	testkit.Invoke(t, env.InvokeURL(), testkit.OrderEvent)
	time.Sleep(100 * time.Millisecond)
	ok, refused := testkit.InvokeManaged(t, env.InvokeURL(), 5)
	if ok < 2 || ok > 3 || ok+refused != 5 {
		t.Errorf("%d served, %d refused: want 3 served at once (2 if one poller had not polled again yet) and the rest refused (400)", ok, refused)
	}
}
