package docker_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	dcontainer "github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"

	"github.com/coldbench/coldbench/targets/internal/docker"
	"github.com/coldbench/coldbench/targets/testkit"
)

func TestPublishLoopback(t *testing.T) {
	m := docker.PublishLoopback("8080/tcp")
	if len(m) != 1 {
		t.Fatalf("PublishLoopback = %v, want one port", m)
	}
	for port, bindings := range m {
		if port.String() != "8080/tcp" || len(bindings) != 1 || bindings[0].HostIP.String() != "127.0.0.1" || bindings[0].HostPort != "0" {
			t.Errorf("PublishLoopback = %v, want 8080/tcp on 127.0.0.1, any port", m)
		}
	}
}

// testImage builds, unless it exists, an image of nothing but a file, to
// create containers of (never started) without pulling anything.
func testImage(t *testing.T, ctx context.Context, tc *testcontainers.DockerProvider) string {
	t.Helper()
	const repo, tag = "coldbench-docker-test", "1"
	if _, err := tc.Client().ImageInspect(ctx, repo+":"+tag); err == nil {
		return repo + ":" + tag
	} else if !docker.IsNotFound(err) {
		t.Fatal(err)
	}
	dir := t.TempDir()
	df := "FROM scratch\nLABEL " + docker.LabelApp + "=\"1\"\nCOPY nothing /nothing\nENTRYPOINT [\"/nothing\"]\n"
	for name, body := range map[string]string{"Dockerfile": df, "nothing": "nothing\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	built, err := tc.BuildImage(ctx, &testcontainers.ContainerRequest{FromDockerfile: testcontainers.FromDockerfile{
		Context: dir, Repo: repo, Tag: tag, KeepImage: true,
	}})
	if err != nil {
		t.Fatalf("build the test image: %v", err)
	}
	return built
}

// TestSweep creates containers owned by a process that is gone, by a pid
// now another process's, by this process, by another host and by no one,
// and checks that Sweep removes the first two only.
func TestSweep(t *testing.T) {
	testkit.RequireDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	tc, err := docker.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	c := tc.Client()
	image := testImage(t, ctx, tc)

	me, err := docker.Owner()
	if err != nil {
		t.Fatal(err)
	}
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	var start uint64
	if _, err := fmt.Sscanf(me[len(host)+1:], "%d:%d", &pid, &start); err != nil || pid != os.Getpid() {
		t.Fatalf("Owner() = %q, want %s:%d:START (%v)", me, host, os.Getpid(), err)
	}
	owners := map[string]string{
		"gone":      fmt.Sprintf("%s:%d:%d", host, testkit.ExitedPID(t), start),
		"reused":    fmt.Sprintf("%s:%d:%d", host, os.Getpid(), start+1),
		"alive":     me,
		"elsewhere": fmt.Sprintf("%s-other:%d:%d", host, testkit.ExitedPID(t), 1),
		"unowned":   "",
	}
	// A label of this test's own, to find its containers and remove the
	// ones Sweep must keep.
	const runLabel = "org.coldbench.test.sweep"
	runID := fmt.Sprintf("%d-%d", os.Getpid(), time.Now().UnixNano())
	run := runLabel + "=" + runID
	ids := map[string]string{}
	for name, owner := range owners {
		labels := map[string]string{docker.LabelApp: "1", runLabel: runID}
		if owner != "" {
			labels[docker.LabelOwner] = owner
		}
		created, err := c.ContainerCreate(ctx, client.ContainerCreateOptions{Config: &dcontainer.Config{Image: image, Labels: labels}})
		if err != nil {
			t.Fatalf("create the %s container: %v", name, err)
		}
		ids[name] = created.ID
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for _, id := range ids {
			if err := docker.Remove(ctx, c, id); err != nil {
				t.Error(err)
			}
		}
		if left, err := docker.ListByLabel(ctx, c, run); err != nil || len(left) != 0 {
			t.Errorf("containers left: %v (%v)", left, err)
		}
	})

	found, err := docker.ListByLabel(ctx, c, run)
	if err != nil || len(found) != len(owners) {
		t.Fatalf("ListByLabel found %d containers (%v), want %d", len(found), err, len(owners))
	}
	removed, err := docker.Sweep(ctx)
	if err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	// Another test package's run may sweep these containers first (go
	// test runs packages at once), so the count proves nothing: each must
	// be gone, or there, as its owner says.
	t.Logf("Sweep removed %d containers", removed)
	found, err = docker.ListByLabel(ctx, c, run)
	if err != nil {
		t.Fatal(err)
	}
	for name, id := range ids {
		_, there := found[id]
		if want := name != "gone" && name != "reused"; there != want {
			t.Errorf("the %s container (owner %q): there %v after Sweep, want %v", name, owners[name], there, want)
		}
	}
	// Removing what is gone is no error.
	if err := docker.Remove(ctx, c, ids["gone"]); err != nil {
		t.Errorf("Remove of a removed container: %v", err)
	}
	if _, err := c.ImageInspect(ctx, "coldbench-no-such-image:never"); !docker.IsNotFound(err) {
		t.Errorf("ImageInspect of a missing image: %v, not IsNotFound", err)
	}
}
