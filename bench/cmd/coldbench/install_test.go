package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/targets/build"
	"github.com/coldbench/coldbench/targets/testkit"
)

// myScenario is what a new user writes in their own folder: their own
// function (a bootstrap they built, in ./fn), their own server (a command
// they built, in ./api, told its port) and, beside them, the built-in
// server; environments as processes, a few seconds on loopback.
const myScenario = `name: my
targets:
  my-fn:
    kind: lambda
    runtime: process
    bootstrap: ./fn/bootstrap
    pool: 2
  my-api:
    kind: server
    command: [./api/server, -addr, "127.0.0.1:{port}"]
  server:
    kind: server
    request_work: 1ms
phases:
  - {name: steady, duration: 2s, shape: constant, rate: 10}
`

// TestInstalledFromAFreshFolder does what a new user does: go install the
// command (CGO_ENABLED=0, GOBIN a temporary folder), then, in a new folder
// outside the repository, coldbench version, coldbench run my.yaml, which
// must run end to end with no checkout and write reports/ there, and
// coldbench package. The RIE comes from coldbench's cache (a temporary
// XDG_CACHE_HOME), where the test builds it once, so that nothing is
// downloaded; TestBuildOutsideModule (targets/build) covers -rie and PATH.
func TestInstalledFromAFreshFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("installs and runs the real binary; skipped with -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	root, err := build.ModuleRoot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gobin, work, cache := t.TempDir(), t.TempDir(), t.TempDir()
	if _, inside, _ := build.Checkout(ctx, work); inside {
		t.Fatalf("%s is inside the coldbench module; the test needs a folder outside it", work)
	}
	install := exec.CommandContext(ctx, "go", "install", "./bench/cmd/coldbench")
	install.Dir = root
	install.Env = append(os.Environ(), "CGO_ENABLED=0", "GOBIN="+gobin)
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("go install ./bench/cmd/coldbench: %v\n%s", err, out)
	}
	exe := filepath.Join(gobin, "coldbench")
	if err := build.Static(exe); err != nil {
		t.Errorf("CGO_ENABLED=0 go install: %v", err)
	}

	// The RIE, built once into the cache where coldbench looks for it.
	t.Setenv("XDG_CACHE_HOME", cache)
	cachedRIE, err := build.RIECache()
	if err != nil {
		t.Fatal(err)
	}
	rie := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", cachedRIE, build.RIEPackage)
	rie.Dir = root
	rie.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := rie.CombinedOutput(); err != nil {
		t.Fatalf("building the RIE into the cache: %v\n%s", err, out)
	}
	// Nothing on PATH may stand in for the cache.
	var path []string
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(d, build.RIEName)); err != nil {
			path = append(path, d)
		}
	}
	t.Setenv("PATH", strings.Join(path, string(os.PathListSeparator)))

	coldbench := func(args ...string) (stdout, stderr string, err error) {
		t.Helper()
		cmd := exec.CommandContext(ctx, exe, args...)
		cmd.Dir = work
		var o, e strings.Builder
		cmd.Stdout, cmd.Stderr = &o, &e
		err = cmd.Run()
		return o.String(), e.String(), err
	}

	out, _, err := coldbench("version")
	if err != nil || !strings.HasPrefix(out, "coldbench ") || !strings.Contains(out, build.RIEVersion) {
		t.Errorf("coldbench version: %v, %q", err, out)
	}
	t.Logf("coldbench version:\n%s", out)

	// The user's code: a function built for provided.al2023, and a
	// server program (here the order server, built as any Go program).
	for _, dir := range []string{"fn", "api"} {
		if err := os.Mkdir(filepath.Join(work, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Rename(testkit.BuildEchofn(t), filepath.Join(work, "fn", "bootstrap")); err != nil {
		t.Fatal(err)
	}
	api := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", filepath.Join(work, "api", "server"), "./targets/cmd/server")
	api.Dir = root
	api.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := api.CombinedOutput(); err != nil {
		t.Fatalf("building the user's server: %v\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(work, "my.yaml"), []byte(myScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := coldbench("run", "-probe", "0", "-progress", "1s", "my.yaml")
	t.Logf("coldbench run my.yaml:\n%s%s", stderr, out)
	if err != nil {
		t.Fatalf("coldbench run my.yaml in %s: %v", work, err)
	}
	for _, want := range []string{
		"rie: " + cachedRIE + " (from the cache)",
		"function and server: " + exe + " itself",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("coldbench run did not say %q", want)
		}
	}
	if !strings.HasPrefix(out, "report: reports/") {
		t.Errorf("report not under reports/ of the working folder: %q", out)
	}
	latest := filepath.Join(work, "reports", "latest")
	for _, f := range []string{runs.SummaryFile, "index.html"} {
		if _, err := os.Stat(filepath.Join(latest, f)); err != nil {
			t.Errorf("run folder: %v", err)
		}
	}
	var sum runs.Summary
	if b, err := os.ReadFile(filepath.Join(latest, runs.SummaryFile)); err != nil || json.Unmarshal(b, &sum) != nil {
		t.Fatalf("summary.json: %v", err)
	}
	for name, form := range map[string]string{"my-fn": "bootstrap", "my-api": "command", "server": "built-in"} {
		ts := sum.Targets[name]
		if all := ts.Classes["all"]; all.OK == 0 || ts.Code == nil || ts.Code.Form != form {
			t.Errorf("%s: %d answered, code %+v; want answers from its %s code", name, all.OK, ts.Code, form)
		}
	}
	if _, err := os.Stat(filepath.Join(work, "bin")); !os.IsNotExist(err) {
		t.Errorf("coldbench made bin/ in the user's folder (%v); it belongs in the cache", err)
	}
	bin := filepath.Join(cache, cacheBinDir)
	if left := testkit.Processes(bin); len(left) > 0 {
		t.Errorf("processes left running from %s: %v", bin, left)
	}

	out, _, err = coldbench("package")
	if err != nil {
		t.Fatalf("coldbench package: %v\n%s", err, out)
	}
	zr, err := zip.OpenReader(filepath.Join(work, "function.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	names := []string{}
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Name == build.BootstrapName && f.Mode().Perm() != 0o755 {
			t.Errorf("bootstrap in the zip has mode %v, want 0755", f.Mode())
		}
	}
	if !slices.Equal(names, []string{build.BootstrapName}) {
		t.Errorf("function.zip holds %v, want just bootstrap", names)
	}
}
