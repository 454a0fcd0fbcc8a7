package container_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda/container"
	"github.com/coldbench/coldbench/targets/testkit"
)

// What the tests share: the binaries, built by TestMain, and the image,
// built from them by the first test that needs it.
var (
	kit       *testkit.Kit
	imageOnce sync.Once
	image     string
	imageErr  error
)

func TestMain(m *testing.M) {
	kit = testkit.Build()
	defer kit.Close()
	m.Run()
	if os.Getenv(failingChildEnv) == "" { // that one must clean up by itself
		removeLeftovers()
	}
}

// removeLeftovers removes, as a last resort, any container this test
// process started that its test did not remove (and failed for).
func removeLeftovers() {
	d, err := testkit.NewDocker()
	if err != nil {
		return
	}
	owner, err := container.Owner()
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	left, err := d.Containers(ctx, container.LabelOwner+"="+owner)
	if err != nil {
		return
	}
	for _, c := range left {
		fmt.Fprintf(os.Stderr, "removing leftover container %.12s %v\n", c.ID, c.Labels)
		d.Delete(ctx, "/containers/"+c.ID+"?force=1")
	}
}

// requireImage returns the Docker engine and the function's image, built
// once; without an engine it skips t (fails it with CI=true).
func requireImage(t testing.TB) (*testkit.Docker, string) {
	t.Helper()
	d := testkit.RequireDocker(t)
	b := kit.Binaries(t)
	imageOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		image, imageErr = container.BuildImage(ctx, b.RIE, b.Bootstrap)
	})
	if imageErr != nil {
		t.Fatalf("BuildImage: %v", imageErr)
	}
	return d, image
}

// newProvider returns a Provider of the function's image whose output goes
// to the returned buffer. Cleanup closes it and fails t if any container
// of its owner (this test process, unless WithOwner says otherwise) is
// left, whatever the test did. A test has one provider of this process at
// most.
func newProvider(t testing.TB, opts ...container.Option) (*container.Provider, *testkit.Docker, *testkit.Buffer) {
	t.Helper()
	d, img := requireImage(t)
	out := &testkit.Buffer{}
	p, err := container.New(img, append([]container.Option{container.WithOutput(out)}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := p.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
		testkit.AwaitNoContainers(t, d, container.LabelOwner+"="+p.OwnerLabel())
		if t.Failed() {
			t.Logf("containers' output:\n%s", out.String())
		}
	})
	return p, d, out
}
