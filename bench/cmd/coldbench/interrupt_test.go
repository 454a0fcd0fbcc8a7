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
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/targets/lambda/container"
	"github.com/coldbench/coldbench/targets/testkit"
)

// cli is a coldbench binary built for a test, run in a folder of its own.
type cli struct {
	exe, bin, reports string
	wrap              []string // a command the binary runs under, e.g. setpriv; none if empty
}

func buildCLI(t *testing.T) cli {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the real binary; skipped with -short")
	}
	dir := t.TempDir()
	c := cli{exe: filepath.Join(dir, "coldbench"), bin: filepath.Join(dir, "bin"), reports: filepath.Join(dir, "reports")}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", c.exe, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return c
}

// start runs coldbench run with args and returns it with its stderr lines.
// The process is killed when the test ends, whatever happened.
func (c cli) start(t *testing.T, args ...string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	return c.startFor(t, 3*time.Minute, args...)
}

// startFor is start with a watchdog that kills the run after limit.
func (c cli) startFor(t *testing.T, limit time.Duration, args ...string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	args = append([]string{"run", "-bin", c.bin, "-reports", c.reports, "-progress", "200ms", "-probe", "0"}, args...)
	cmd := exec.Command(c.exe, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	// If the awaited output never shows, the kill ends the scan and the
	// test fails instead of waiting on a run that does not progress.
	watchdog := time.AfterFunc(limit, func() { cmd.Process.Kill() })
	t.Cleanup(func() { watchdog.Stop() })
	return cmd, bufio.NewScanner(stderr)
}

// awaitSent reads progress lines until the Lambda target has been sent at
// least n requests.
func awaitSent(t *testing.T, lines *bufio.Scanner, n int) {
	t.Helper()
	sent := regexp.MustCompile(`^lambda .* sent\s+(\d+)`)
	for lines.Scan() {
		t.Log(lines.Text())
		if m := sent.FindStringSubmatch(lines.Text()); m != nil {
			if k, _ := strconv.Atoi(m[1]); k >= n {
				return
			}
		}
	}
	t.Fatalf("the run ended before %d requests were sent", n)
}

// awaitExit logs the rest of the output and checks the exit code.
func awaitExit(t *testing.T, cmd *exec.Cmd, lines *bufio.Scanner, code int) {
	t.Helper()
	for lines.Scan() {
		t.Log(lines.Text())
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if got := 0; err != nil {
		if !errors.As(err, &exit) {
			t.Fatalf("exit: %v, want code %d", err, code)
		}
		if got = exit.ExitCode(); got != code {
			t.Fatalf("exit: %v, want code %d", err, code)
		}
	} else if code != 0 {
		t.Fatalf("exit code 0, want %d", code)
	}
}

// TestInterrupt sends SIGINT (Ctrl-C) to a running coldbench and checks that
// it exits 130, keeps what it measured in a complete run folder, and leaves
// no RIE, bootstrap or server process behind.
func TestInterrupt(t *testing.T) {
	c := buildCLI(t)
	cmd, lines := c.start(t, "-id", "cut", "-runtime", "process", "testdata/long.yaml")
	t.Cleanup(func() { testkit.AwaitNoProcesses(t, c.bin) })
	awaitSent(t, lines, 20)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	awaitExit(t, cmd, lines, 130)
	testkit.AwaitNoProcesses(t, c.bin)

	var sum runs.Summary
	b, err := os.ReadFile(filepath.Join(c.reports, "cut", runs.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if !sum.Interrupted || sum.Targets["lambda"].Classes["all"].Requests < 20 {
		t.Errorf("summary: interrupted %v, %+v; want interrupted with the requests sent", sum.Interrupted, sum.Targets["lambda"].Classes["all"])
	}
	dir := filepath.Join(c.reports, "cut")
	for _, f := range []string{runs.ReportFile, runs.ResultsFile, runs.HistogramsFile, filepath.Join(runs.TargetDir("", "lambda"), runs.InvocationsFile)} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// ownedBy lists the containers of coldbench process pid.
func ownedBy(t *testing.T, d *testkit.Docker, pid int) []testkit.DockerContainer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	all, err := d.Containers(ctx, container.LabelOwner)
	if err != nil {
		t.Fatal(err)
	}
	var mine []testkit.DockerContainer
	for _, c := range all {
		if strings.Contains(c.Labels[container.LabelOwner], ":"+strconv.Itoa(pid)+":") {
			mine = append(mine, c)
		}
	}
	return mine
}

// TestTerminateRemovesContainers sends SIGTERM to coldbench running its
// Lambda environments as containers and checks that every one is removed.
func TestTerminateRemovesContainers(t *testing.T) {
	d := testkit.RequireDocker(t)
	c := buildCLI(t)
	cmd, lines := c.start(t, "-runtime", "container", "testdata/long.yaml")
	awaitSent(t, lines, 10)
	pid := cmd.Process.Pid
	if len(ownedBy(t, d, pid)) == 0 {
		t.Fatal("no container of the run found while it ran")
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	awaitExit(t, cmd, lines, 130)
	if left := ownedBy(t, d, pid); len(left) > 0 {
		t.Errorf("containers left after SIGTERM: %v", left)
	}
}

// TestKilledRunIsSwept kills coldbench with SIGKILL, which leaves its
// containers behind, and checks that the next run removes them as it starts.
func TestKilledRunIsSwept(t *testing.T) {
	d := testkit.RequireDocker(t)
	c := buildCLI(t)
	cmd, lines := c.start(t, "-runtime", "container", "testdata/long.yaml")
	awaitSent(t, lines, 10)
	pid := cmd.Process.Pid
	cmd.Process.Kill()
	cmd.Wait()
	left := ownedBy(t, d, pid)
	if len(left) == 0 {
		t.Fatal("SIGKILL left no container: nothing to sweep")
	}
	t.Cleanup(func() {
		for _, x := range ownedBy(t, d, pid) { // only if the sweep failed
			d.Delete(context.Background(), "/containers/"+x.ID+"?force=1")
		}
	})

	next, lines := c.start(t, "-runtime", "container", "testdata/tiny.yaml")
	swept := false
	for lines.Scan() {
		t.Log(lines.Text())
		swept = swept || strings.Contains(lines.Text(), "left behind by earlier runs")
	}
	if err := next.Wait(); err != nil {
		t.Fatalf("next run: %v", err)
	}
	left = ownedBy(t, d, pid)
	switch {
	case len(left) > 0:
		t.Errorf("containers of the killed run still there: %v", left)
	case !swept:
		// Tests of other packages run at once, and each coldbench run
		// sweeps what dead runs left: one of them can get there first.
		// If the sweep were broken, the containers would still be there.
		t.Log("the next run removed nothing: another run swept the killed run's containers first")
	}
}
