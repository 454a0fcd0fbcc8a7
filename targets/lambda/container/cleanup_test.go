package container_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/testkit"
)

// failingChildEnv makes TestFailingChild run, in a test process of its own.
const failingChildEnv = "COLDBENCH_FAILING_CHILD"

// TestFailingChild starts a container and fails. It runs only inside
// TestCleanupAfterFailingTest.
func TestFailingChild(t *testing.T) {
	if os.Getenv(failingChildEnv) == "" {
		t.Skip("run by TestCleanupAfterFailingTest in a process of its own")
	}
	p, _, _ := newProvider(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	env, err := p.Start(ctx, lambda.Spec{ID: "env-1", MemoryMB: 128})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("started container %s", env.(interface{ ContainerID() string }).ContainerID())
	t.Fatal("failing on purpose with a container running")
}

// TestCleanupAfterFailingTest runs a test that fails while its container
// runs, in a test process of its own whose last-resort sweep is off, and
// checks that the test's own cleanup removed the container.
func TestCleanupAfterFailingTest(t *testing.T) {
	d := testkit.RequireDocker(t)
	requireImage(t) // build the image here, once, and skip without Docker
	cmd := exec.Command(os.Args[0], "-test.run=^TestFailingChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), failingChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("child:\n%s", out)
	if err == nil {
		t.Fatal("the failing child test passed")
	}
	m := regexp.MustCompile(`started container ([0-9a-f]{64})`).FindSubmatch(out)
	if m == nil {
		t.Fatal("the child started no container")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var info map[string]any
	if err := d.Get(ctx, "/containers/"+string(m[1])+"/json", &info); !errors.Is(err, testkit.ErrNotFound) {
		d.Delete(ctx, "/containers/"+string(m[1])+"?force=1")
		t.Errorf("container of the failed test still there (%v)", err)
	}
}
