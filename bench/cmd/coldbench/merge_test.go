package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/targets/build"
	"github.com/coldbench/coldbench/targets/testkit"
)

// TestMergeGenerators runs three real load generators at the same time,
// each at a third of the rate (-rate-scale 0.333), merges their run folders
// with coldbench merge and checks the merged run: its request counts are
// the sums of the generators', its percentiles those of one histogram fed
// every interval histogram of the three interval logs, vegeta counts every
// result of its results.bin, and it has a report.
func TestMergeGenerators(t *testing.T) {
	c := buildCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	// Warm the build cache, so that the generators, which build the
	// targets each into a folder of its own, start their loads together.
	if _, err := build.Targets(ctx, filepath.Join(c.bin, "warm")); err != nil {
		t.Fatal(err)
	}

	const n = 3
	dirs := make([]string, n)
	errs := make([]error, n)
	outs := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		bin := filepath.Join(c.bin, strconv.Itoa(i))
		t.Cleanup(func() { testkit.AwaitNoProcesses(t, bin) })
		dirs[i] = filepath.Join(c.reports, fmt.Sprintf("gen-%d", i))
		cmd := exec.CommandContext(ctx, c.exe, "run", "-bin", bin, "-reports", c.reports, "-progress", "1s",
			"-probe", "0", "-runtime", "process", "-rate-scale", "0.333", "-id", filepath.Base(dirs[i]), "testdata/merge.yaml")
		wg.Go(func() { outs[i], errs[i] = cmd.CombinedOutput() })
	}
	wg.Wait()
	var sum [n]*runs.Summary
	for i := range n {
		t.Logf("generator %d:\n%s", i, outs[i])
		if errs[i] != nil {
			t.Fatalf("generator %d: %v", i, errs[i])
		}
		var err error
		if sum[i], err = runs.ReadSummary(dirs[i]); err != nil {
			t.Fatal(err)
		}
		if sum[i].RateScale != 0.333 {
			t.Errorf("generator %d: rate scale %g in its summary, want 0.333", i, sum[i].RateScale)
		}
	}

	merged := filepath.Join(c.reports, "merged")
	out, err := exec.CommandContext(ctx, c.exe, append([]string{"merge", "-o", merged}, dirs...)...).CombinedOutput()
	t.Logf("merge:\n%s", out)
	if err != nil {
		t.Fatalf("merge: %v", err)
	}
	var got runs.Summary
	b, err := os.ReadFile(filepath.Join(merged, runs.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}

	var total int64
	for _, target := range []string{"server", "lambda"} {
		var want int64
		for i := range n {
			want += sum[i].Targets[target].Classes[record.All].Requests
		}
		stats := got.Targets[target].Classes[record.All]
		if stats.Requests != want || want == 0 {
			t.Errorf("%s: %d requests merged, the generators sent %d", target, stats.Requests, want)
		}
		total += want

		// One histogram fed every interval histogram of the three logs.
		one := record.NewHistogram()
		for _, dir := range dirs {
			r, err := runs.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range r.Intervals[target+"/all"] {
				one.Merge(h)
			}
		}
		w := record.LatencyOf(one)
		if stats.OK != one.TotalCount() || stats.P50 != w.P50 || stats.P99 != w.P99 || stats.Max != w.Max {
			t.Errorf("%s: merged ok %d, p50 %d, p99 %d, max %d µs; one histogram of every interval: %d, %d, %d, %d",
				target, stats.OK, stats.P50, stats.P99, stats.Max, one.TotalCount(), w.P50, w.P99, w.Max)
		}
	}

	report := exec.CommandContext(ctx, "go", "tool", "vegeta", "report", filepath.Join(merged, runs.ResultsFile))
	out, err = report.CombinedOutput()
	t.Logf("vegeta report:\n%s", out)
	if err != nil {
		t.Fatalf("go tool vegeta report: %v", err)
	}
	m := regexp.MustCompile(`Requests\s+\[total, rate, throughput\]\s+(\d+),`).FindSubmatch(out)
	if m == nil {
		t.Fatal("vegeta report: no request count")
	}
	if k, _ := strconv.ParseInt(string(m[1]), 10, 64); k != total {
		t.Errorf("vegeta counts %d results in the merged results.bin, want %d", k, total)
	}
	if fi, err := os.Stat(filepath.Join(merged, runs.ReportFile)); err != nil || fi.Size() == 0 {
		t.Errorf("merged report: %v", err)
	}
}

// TestMergeBadInput checks that mistakes in calling merge, and a bad
// -rate-scale, exit with code 2 and say what is wrong.
func TestMergeBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"merge"}, "two generators or more, got 0"},
		{[]string{"merge", dir}, "two generators or more, got 1"},
		{[]string{"merge", dir, filepath.Join(dir, "nope")}, "is not a run folder"},
		{[]string{"merge", "-x", dir, dir}, "flag provided but not defined"},
		{[]string{"run", "-rate-scale", "0", "testdata/tiny.yaml"}, "-rate-scale must be more than 0 and at most 1"},
		{[]string{"run", "-rate-scale", "1.5", "testdata/tiny.yaml"}, "not 1.5"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), &stdout, &stderr, tc.args)
		if code := exitCode(err); code != 2 {
			t.Errorf("%v: exit code %d (%v), want 2", tc.args, code, err)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want it to contain %q", tc.args, err, tc.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("bad input wrote %v", entries)
	}
}
