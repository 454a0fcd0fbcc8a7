package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/harness"
	"github.com/coldbench/coldbench/targets/testkit"
)

// TestInterrupt runs the real coldbench binary, sends it SIGINT (Ctrl-C) in
// the middle of a run and checks that it exits 130, keeps what it measured
// in a complete run folder, and leaves no RIE, bootstrap or server process
// behind.
func TestInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary; skipped with -short")
	}
	dir := t.TempDir()
	exe, bin, reports := filepath.Join(dir, "coldbench"), filepath.Join(dir, "bin"), filepath.Join(dir, "reports")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", exe, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	cmd := exec.CommandContext(ctx, exe, "run", "-bin", bin, "-reports", reports, "-id", "cut", "-progress", "200ms", "testdata/long.yaml")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		testkit.AwaitNoProcesses(t, bin)
	})

	// Wait until the function has served requests, then press Ctrl-C. If
	// that never shows, the kill below ends the scan and the test fails.
	watchdog := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
	defer watchdog.Stop()
	served := regexp.MustCompile(`^lambda .* sent\s+(\d+)`)
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		t.Log(lines.Text())
		if m := served.FindStringSubmatch(lines.Text()); m != nil {
			if n, _ := strconv.Atoi(m[1]); n >= 20 {
				break
			}
		}
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() {
		t.Log(lines.Text())
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("exit: %v, want code 130", err)
	}

	testkit.AwaitNoProcesses(t, bin)
	var sum harness.Summary
	b, err := os.ReadFile(filepath.Join(reports, "cut", harness.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if !sum.Interrupted || sum.Targets["lambda"].Classes["all"].Requests < 20 {
		t.Errorf("summary: interrupted %v, %+v; want interrupted with the requests sent", sum.Interrupted, sum.Targets["lambda"].Classes["all"])
	}
	for _, f := range []string{harness.ReportFile, harness.ResultsFile, harness.HistogramsFile} {
		if fi, err := os.Stat(filepath.Join(reports, "cut", f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
}
