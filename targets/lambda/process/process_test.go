package process_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/process"
	"github.com/coldbench/coldbench/targets/testkit"
)

var kit *testkit.Kit

func TestMain(m *testing.M) {
	if n := os.Getenv(starterEnv); n != "" {
		os.Exit(runStarter(n))
	}
	kit = testkit.Build()
	defer kit.Close()
	m.Run()
}

func TestStartInvokeStop(t *testing.T) {
	b := kit.Binaries(t)
	var out testkit.Buffer
	p := process.New(b.RIE, b.Bootstrap, process.WithOutput(&out))
	if p.Name() != "process" {
		t.Errorf("Name() = %q", p.Name())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	env, err := p.Start(ctx, lambda.Spec{ID: "e1", MemoryMB: 256, Timeout: 2 * time.Second})
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
	if env.ID() != "e1" || !strings.HasPrefix(env.InvokeURL(), "http://127.0.0.1:") {
		t.Errorf("ID %q, InvokeURL %q", env.ID(), env.InvokeURL())
	}

	testkit.InvokeColdThenWarm(t, env.InvokeURL())

	// The RIE's REPORT line of the invoke, prefixed with the id.
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "[e1] REPORT RequestId: req-"+t.Name()) {
		if time.Now().After(deadline) {
			t.Fatalf("no REPORT line in output:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.Contains(line, "Memory Size:") {
			if id, text, ok := lambda.ParseLogLine(line); !ok || id != "e1" || !strings.Contains(text, "Memory Size: 256 MB") {
				t.Errorf("ParseLogLine(%q) = %q, %q, %v", line, id, text, ok)
			}
		}
	}

	t0 := time.Now()
	if err := env.Stop(ctx); err != nil {
		t.Errorf("Stop: %v", err)
	}
	t.Logf("Stop took %v", time.Since(t0))
	select {
	case <-env.Done():
	default:
		t.Error("Done not closed after Stop")
	}
	if err := env.Stop(ctx); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	testkit.AwaitNoProcesses(t, filepath.Dir(b.RIE))
}

func TestStartFails(t *testing.T) {
	b := kit.Binaries(t)
	p := process.New(b.RIE, filepath.Join(t.TempDir(), "missing"))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// The RIE starts without its bootstrap (init is lazy); the invoke fails.
	env, err := p.Start(ctx, lambda.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Stop(context.Background()) })
	if status, body := testkit.Invoke(t, env.InvokeURL(), testkit.OrderEvent); status == 200 {
		t.Errorf("invoke without bootstrap: %d %q", status, body)
	}

	p = process.New(filepath.Join(t.TempDir(), "no-rie"), b.Bootstrap)
	if env, err := p.Start(ctx, lambda.Spec{}); err == nil {
		env.Stop(ctx)
		t.Fatal("Start with a missing RIE: no error")
	}
}

func TestStartManyAtOnce(t *testing.T) {
	b := kit.Binaries(t)
	p := process.New(b.RIE, b.Bootstrap)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	t.Cleanup(func() { testkit.AwaitNoProcesses(t, filepath.Dir(b.RIE)) }) // after the environments stop
	testkit.StartAtOnce(t, ctx, p, 6)
}
