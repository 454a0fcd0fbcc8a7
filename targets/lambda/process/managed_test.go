package process_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
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
// at once, each waiting 300 ms: three are served together, the other two
// are refused at once with the RIE's 400 Runtime.Unavailable; the host's
// /var is left as it was.
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
	codes := make([]int, 5)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Go(func() {
			body := `{"version":"2.0","rawPath":"/order","requestContext":{"http":{"method":"GET","path":"/order"}}}`
			resp, err := http.Post(env.InvokeURL(), "application/json", strings.NewReader(body))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes[i] = resp.StatusCode
		})
	}
	wg.Wait()
	ok, refused := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusOK:
			ok++
		case http.StatusBadRequest:
			refused++
		}
	}
	if ok != 3 || refused != 2 {
		t.Errorf("codes %v: want 3 served at once and 2 refused (400)", codes)
	}
}
