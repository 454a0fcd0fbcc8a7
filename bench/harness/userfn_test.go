package harness_test

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/harness"
	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/kinds/lambdakind"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/testkit"
)

// userScenario writes a small scenario running one function named fn whose
// code is the line code (such as "bootstrap: /x/bootstrap") and loads it.
func userScenario(t *testing.T, code string) *scenario.Scenario {
	t.Helper()
	return writeScenario(t, "name: userfn\ntargets:\n  fn:\n    kind: lambda\n    keepalive: 300ms\n    concurrency: 10\n    "+code+"\n"+
		"phases:\n  - {name: steady, duration: 1500ms, shape: constant, rate: 6}\n")
}

// runUser runs sc in runtime rt into a new reports folder and returns the
// result, the folder and the run's error.
func runUser(t *testing.T, sc *scenario.Scenario, rt lambdakind.Sandbox) (*harness.Result, string, error) {
	t.Helper()
	kit.Binaries(t)
	reports := t.TempDir()
	res, err := harness.Run(context.Background(), harness.Config{
		Scenario: sc, ReportsDir: reports, BinDir: kit.Dir(), RunID: "userfn", Progress: testWriter{t}, Kinds: sandboxed(t, rt), Probes: 1,
	})
	testkit.AwaitNoProcesses(t, kit.Dir())
	return res, reports, err
}

// checkUserRun checks that every success of a run of echofn is echofn's
// own answer, nothing failed but throttles, and that the summary and the report name its code
// by form, path and sha256.
func checkUserRun(t *testing.T, res *harness.Result, form, path, sha string) {
	t.Helper()
	var sum runs.Summary
	readJSON(t, filepath.Join(res.Dir, runs.SummaryFile), &sum)
	ts, ok := sum.Targets["fn"]
	if !ok {
		t.Fatalf("summary has no fn: %v", sum.Targets)
	}
	all := ts.Classes["all"]
	// Throttling (429) is the emulated service's answer to a busy
	// machine, not a failure of the function.
	if all.OK == 0 || all.Errors != all.Codes["429"] {
		t.Errorf("fn: %+v, want successes and no errors but throttles", all)
	}
	echoed := 0
	for _, r := range decodeResults(t, filepath.Join(res.Dir, runs.ResultsFile)) {
		if strings.HasPrefix(string(r.Body), testkit.EchofnGreeting) {
			echoed++
		}
	}
	if echoed == 0 || int64(echoed) != all.OK {
		t.Errorf("%d of %d successful answers are echofn's (%q)", echoed, all.OK, testkit.EchofnGreeting)
	}
	if c := ts.Code; c == nil || c.Form != form || c.Path != path || c.SHA256 != sha {
		t.Errorf("summary code %+v, want %s %s sha256 %s", ts.Code, form, path, sha)
	}
	page, err := os.ReadFile(res.Report)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), path) || !strings.Contains(string(page), "sha256 "+sha[:12]) {
		t.Errorf("report does not name the code %s sha256 %.12s", path, sha)
	}
}

func fileSHA(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// writeZip writes a deployment package of files (name → source file,
// executable) to a new file and returns its path.
func writeZip(t *testing.T, files map[string]string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fn.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, src := range files {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(0o755)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		in, err := os.Open(src)
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.Copy(w, in)
		in.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := errors.Join(zw.Close(), f.Close()); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestUserBootstrap runs the example function echofn, built as a user
// builds it, as a bootstrap, with real RIE processes and in containers.
// It sleeps initSleep in init() and says nothing of it: the anatomy's
// INIT comes from the RIE's own INIT REPORT, and is at least that.
func TestUserBootstrap(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes; skipped with -short")
	}
	const initSleep = 30 * time.Millisecond
	boot := testkit.BuildEchofn(t)
	for _, rt := range []lambdakind.Sandbox{lambdakind.Process, lambdakind.Container} {
		t.Run(string(rt), func(t *testing.T) {
			if rt == lambdakind.Container {
				testkit.RequireDocker(t)
			}
			sc := userScenario(t, "bootstrap: "+boot+"\n    env: {ECHOFN_INIT_SLEEP: "+initSleep.String()+"}")
			res, _, err := runUser(t, sc, rt)
			if err != nil {
				t.Fatal(err)
			}
			checkUserRun(t, res, "bootstrap", boot, fileSHA(t, boot))
			var sum runs.Summary
			readJSON(t, filepath.Join(res.Dir, runs.SummaryFile), &sum)
			a := sum.Targets["fn"].Anatomy
			if a == nil || a.Parts[record.Init].Count == 0 {
				t.Fatalf("no INIT in the anatomy: %+v", a)
			}
			if got := time.Duration(a.Parts[record.Init].P50) * time.Microsecond; got < initSleep {
				t.Errorf("INIT p50 %v, want at least the %v echofn sleeps in init()", got, initSleep)
			}
		})
	}
}

// TestUserZip runs echofn from a deployment package written by the test,
// bootstrap at its root; the extracted folder is gone after the run.
func TestUserZip(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes; skipped with -short")
	}
	zipPath := writeZip(t, map[string]string{"bootstrap": testkit.BuildEchofn(t)})
	before, _ := filepath.Glob(filepath.Join(os.TempDir(), "coldbench-zip-*"))
	res, _, err := runUser(t, userScenario(t, "zip: "+zipPath), lambdakind.Process)
	if err != nil {
		t.Fatal(err)
	}
	checkUserRun(t, res, "zip", zipPath, fileSHA(t, zipPath))
	if after, _ := filepath.Glob(filepath.Join(os.TempDir(), "coldbench-zip-*")); len(after) > len(before) {
		t.Errorf("extracted folders left behind: %v (before: %v)", after, before)
	}
}

// TestUserCodeErrors checks that each bad bootstrap or zip is a
// kinds.InputError (exit code 2) that names the file, found before the
// run folder exists.
func TestUserCodeErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes; skipped with -short")
	}
	dir := t.TempDir()
	notExec := filepath.Join(dir, "bootstrap")
	if err := os.WriteFile(notExec, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	exits := testkit.Script(t, "bootstrap", "echo bye; exit 1")
	sleeps := testkit.Script(t, "bootstrap", "exec sleep 600")
	boot := testkit.BuildEchofn(t)
	for _, tt := range []struct{ name, code, file, want string }{
		{"missing", "bootstrap: " + filepath.Join(dir, "nope"), filepath.Join(dir, "nope"), "no such file"},
		{"not executable", "bootstrap: " + notExec, notExec, "chmod +x"},
		{"exits at once", "bootstrap: " + exits, exits, "without asking the Runtime API for work"},
		{"never asks", "bootstrap: " + sleeps, sleeps, "did not ask the Runtime API for work"},
		{"zip missing", "zip: " + filepath.Join(dir, "nope.zip"), filepath.Join(dir, "nope.zip"), "no such file"},
		{"zip without bootstrap", "zip: " + writeZip(t, map[string]string{"fn/bootstrap": boot}), "fn.zip", "no bootstrap at the root"},
		{"image in process mode", "image: echofn:none", "echofn:none", "only in containers"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, reports, err := runUser(t, userScenario(t, tt.code), lambdakind.Process)
			checkInputError(t, err, reports, tt.file, tt.want)
		})
	}
}

// checkInputError checks that err is an InputError naming file and saying
// want, and that reports has no run folder.
func checkInputError(t *testing.T, err error, reports, file, want string) {
	t.Helper()
	var ie *kinds.InputError
	if !errors.As(err, &ie) || ie.Target != "fn" || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want an InputError of fn naming %s and saying %q", err, file, want)
	}
	if entries, _ := os.ReadDir(reports); len(entries) != 0 {
		t.Errorf("reports folder holds %v, want nothing", entries)
	}
}
