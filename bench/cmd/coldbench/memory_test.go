package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/targets/build"
	"github.com/coldbench/coldbench/targets/testkit"
)

// millionRequests is how many requests TestMemoryStaysFlat records.
const millionRequests = 1_000_000

// maxRSS is the most memory coldbench may hold at its peak while recording
// them: results stream into fixed-size histograms and out to results.bin,
// so memory must not grow with the number of requests.
const maxRSS = 200 << 20 // bytes

// millionScenario drives the server alone as fast as 32 requests in flight
// allow, for longer than a million requests take on a slow or busy machine
// (about a minute here alone, four beside another make test); the test
// stops the run once they are recorded.
const millionScenario = `name: million
targets: [server]
phases:
  - {name: max, duration: 10m, shape: constant, rate: max, workers: 32}
`

// millionLimit is the watchdog of TestMemoryStaysFlat's run: past the
// scenario's end, so that only a run that stops progressing is killed.
const millionLimit = 11 * time.Minute

// TestMemoryStaysFlat records a million requests with the real binary and
// checks that coldbench's peak resident memory stays under maxRSS. The run
// is stopped with SIGINT (Ctrl-C) as soon as its progress lines say a
// million requests were recorded, so it takes as long as a million requests
// take here (about a minute on 2 cores), not a fixed time; the partial run
// is written out like any other, report included. Skipped with -short.
func TestMemoryStaysFlat(t *testing.T) {
	c := buildCLI(t)
	sc := filepath.Join(t.TempDir(), "million.yaml")
	if err := os.WriteFile(sc, []byte(millionScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	// Built now, the targets are up to date when coldbench builds them, so
	// no linker runs under it: the peak below, which counts the children
	// coldbench waited for, is coldbench's own (or its server's).
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, err := build.Targets(ctx, c.bin); err != nil {
		t.Fatal(err)
	}
	cmd, lines := c.startFor(t, millionLimit, "-progress", "1s", "-runtime", "process", "-id", "million", sc)
	t.Cleanup(func() { testkit.AwaitNoProcesses(t, c.bin) })
	own := ownPeak(cmd.Process.Pid)

	sent := regexp.MustCompile(`^server .* sent\s+(\d+)`)
	reached, logged := false, 0
	for !reached && lines.Scan() {
		m := sent.FindStringSubmatch(lines.Text())
		if m == nil {
			t.Log(lines.Text())
			continue
		}
		n, _ := strconv.Atoi(m[1])
		if reached = n >= millionRequests; reached || n >= logged+200_000 {
			t.Log(lines.Text())
			logged = n
		}
	}
	if !reached {
		t.Fatalf("the run ended before %d requests were recorded", millionRequests)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	awaitExit(t, cmd, lines, 130)

	var sum runs.Summary
	dir := filepath.Join(c.reports, "million")
	b, err := os.ReadFile(filepath.Join(dir, runs.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	all := sum.Targets["server"].Classes["all"]
	if all.Requests < millionRequests || all.Errors > 0 {
		t.Errorf("summary: %d requests, %d errors; want at least %d, no error", all.Requests, all.Errors, millionRequests)
	}
	if fi, err := os.Stat(filepath.Join(dir, runs.ResultsFile)); err == nil {
		t.Logf("%s: %d MB for %d results", runs.ResultsFile, fi.Size()>>20, all.Requests)
	}

	// Maxrss is in KiB on Linux: the peak of coldbench and of the children
	// it waited for (go build with nothing to do, the server), whichever
	// was highest.
	peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10
	t.Logf("peak RSS of coldbench over %d requests: %d MB (bound %d MB); of its process alone, read last %d MB",
		all.Requests, peak>>20, maxRSS>>20, <-own>>20)
	if peak >= maxRSS {
		t.Errorf("peak RSS %d MB, want under %d MB", peak>>20, maxRSS>>20)
	}
}

// ownPeak reads the peak resident memory of process pid alone, without its
// children (VmHWM in /proc/pid/status), every 200 ms until the process has
// exited, and then sends the last reading, in bytes, on the channel it
// returns.
func ownPeak(pid int) <-chan int64 {
	out := make(chan int64, 1)
	status := "/proc/" + strconv.Itoa(pid) + "/status"
	go func() {
		var last int64
		for {
			b, err := os.ReadFile(status)
			_, rest, found := strings.Cut(string(b), "VmHWM:")
			if err != nil || !found { // gone, or a zombie, which has no memory
				break
			}
			if f := strings.Fields(rest); len(f) > 0 { // "27388 kB"
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				last = kb << 10
			}
			time.Sleep(200 * time.Millisecond)
		}
		out <- last
	}()
	return out
}
