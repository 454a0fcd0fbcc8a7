package harness_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"

	"github.com/coldbench/coldbench/bench/harness"
	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/kinds/serverkind"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda/container"
	"github.com/coldbench/coldbench/targets/testkit"
)

// serverImage builds a local image, FROM scratch, of the built-in order
// server listening on 8080: a user's server image without a registry.
func serverImage(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	bin, err := os.ReadFile(kit.Binaries(t).Server)
	if err != nil {
		t.Fatal(err)
	}
	df := "FROM scratch\nLABEL " + container.LabelApp + "=\"1\"\nCOPY server /server\nENTRYPOINT [\"/server\", \"-addr\", \"0.0.0.0:8080\"]\n"
	if err := errors.Join(os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(df), 0o644),
		os.WriteFile(filepath.Join(dir, "server"), bin, 0o755)); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tc, err := container.Connect(ctx)
	if err != nil {
		testkit.NoDocker(t, err)
	}
	defer tc.Close()
	var log bytes.Buffer
	tag, err := tc.BuildImage(ctx, &testcontainers.ContainerRequest{FromDockerfile: testcontainers.FromDockerfile{
		Context: dir, Repo: "coldbench-test-server", Tag: "latest", KeepImage: true, BuildLogWriter: &log,
	}})
	if err != nil {
		t.Fatalf("build the server image: %v\n%s", err, log.Bytes())
	}
	return tag
}

// TestRunServerImage runs a local server image as an image server target
// on a t4g.small: answered requests, the resources of the instance, CPU
// time from the container's cgroup, the image id as its code, and no
// container left; an image that does not exist is bad input before the
// run folder.
func TestRunServerImage(t *testing.T) {
	if testing.Short() {
		t.Skip("starts containers; skipped with -short")
	}
	d := testkit.RequireDocker(t)
	image := serverImage(t)
	src := "targets:\n  api:\n    kind: server\n    image: " + image + "\n    port: 8080\n    instance: t4g.small\n" +
		"phases:\n  - {duration: 1s, shape: constant, rate: 20}\n"
	sc, err := scenario.Parse(filepath.Join(t.TempDir(), "img.yaml"), []byte(src), all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	sc.Phases[0].Duration = 2 * time.Second
	res, err := harness.Run(context.Background(), harness.Config{Scenario: sc, ReportsDir: t.TempDir(), BinDir: kit.Dir(), RunID: "img", Progress: testWriter{t}})
	if err != nil {
		t.Fatal(err)
	}
	var sum runs.Summary
	readJSON(t, filepath.Join(res.Dir, runs.SummaryFile), &sum)
	ts := sum.Targets["api"]
	if all := ts.Classes[record.All]; all.Requests == 0 || all.Errors != 0 {
		t.Errorf("api: %+v, want requests without errors", all)
	}
	if c := ts.Code; c == nil || c.Form != "image" || len(c.SHA256) != 64 {
		t.Errorf("code %+v, want the image and its id", c)
	}
	if c := sum.Costs["api"]; c == nil || c.Input.Server == nil || c.Input.Server.CPUSeconds <= 0 || !strings.Contains(c.Input.Server.Source, "cgroup") {
		t.Errorf("CPU time not from the container: %+v", c)
	}
	if !strings.Contains(strings.Join(sum.Notes, " "), "2 vCPU and 2 GiB") {
		t.Errorf("notes %v do not give the t4g.small's resources", sum.Notes)
	}
	owner, err := container.OwnerLabels()
	if err != nil {
		t.Fatal(err)
	}
	testkit.AwaitNoContainers(t, d, container.LabelOwner+"="+owner[container.LabelOwner])

	c := serverkind.Settings(sc.Targets[0])
	c.Image = "coldbench-no-such-image:1"
	sc.Targets[0].Settings = c
	reports := t.TempDir()
	_, err = harness.Run(context.Background(), harness.Config{Scenario: sc, ReportsDir: reports, BinDir: kit.Dir(), RunID: "none"})
	var input *kinds.InputError
	if !errors.As(err, &input) || !strings.Contains(err.Error(), "coldbench-no-such-image:1") {
		t.Fatalf("error %v, want an InputError naming the image", err)
	}
	if left, _ := os.ReadDir(reports); len(left) != 0 {
		t.Errorf("reports folder holds %v, want no run folder", left)
	}
}
