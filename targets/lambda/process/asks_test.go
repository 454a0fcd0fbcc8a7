package process_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/process"
	"github.com/coldbench/coldbench/targets/testkit"
)

// TestAwaitNext checks the readiness check of a user's bootstrap with real
// programs: a Go function asks for work; a script that exits at once, and
// one that never asks, fail with what they printed; none is left running.
func TestAwaitNext(t *testing.T) {
	ctx := context.Background()
	spec := lambda.Spec{MemoryMB: 128, Timeout: 3 * time.Second}
	if err := process.AwaitNext(ctx, testkit.BuildEchofn(t), spec, time.Minute); err != nil {
		t.Errorf("echofn: %v", err)
	}
	exits := testkit.Script(t, "bootstrap", "echo leaving now; exit 3")
	if err := process.AwaitNext(ctx, exits, spec, time.Minute); err == nil || !strings.Contains(err.Error(), "exited") || !strings.Contains(err.Error(), "leaving now") {
		t.Errorf("a bootstrap that exits: %v", err)
	}
	// The bound is what is tested, not a duration: the script never asks.
	sleeps := testkit.Script(t, "bootstrap", "echo waiting; sleep 600")
	if err := process.AwaitNext(ctx, sleeps, spec, 500*time.Millisecond); err == nil || !strings.Contains(err.Error(), "did not ask") {
		t.Errorf("a bootstrap that never asks: %v", err)
	}
	if pids := running(sleeps); len(pids) > 0 {
		t.Errorf("processes of %s left running: %v", sleeps, pids)
	}
	if err := process.AwaitNext(ctx, filepath.Join(t.TempDir(), "missing"), spec, time.Minute); err == nil {
		t.Error("a missing bootstrap: no error")
	}
}

// running lists the processes whose command line names path (a script's
// shell does).
func running(path string) []string {
	var pids []string
	files, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil && strings.Contains(string(b), path) {
			pids = append(pids, strings.Split(f, "/")[2])
		}
	}
	return pids
}
