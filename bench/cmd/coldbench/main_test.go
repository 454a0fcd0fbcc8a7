package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/kinds/all"

	"github.com/coldbench/coldbench/bench/scenario"
)

// TestBadInput checks that mistakes in how coldbench is called or in the
// scenario exit with code 2 and a message that says where, and that nothing
// is written or built before the mistake is found.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("phases:\n  - {name: a, duration: 1s, shape: constant, rate: 10}\n  - {name: b, duration: 10, shape: wobble}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.yaml")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	reports, bin := filepath.Join(dir, "reports"), filepath.Join(dir, "bin")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "-reports", reports, "-bin", bin, bad}, bad + ":3: "},
		{[]string{"run", "-reports", reports, "-bin", bin, filepath.Join(dir, "missing.yaml")}, "missing.yaml"},
		{[]string{"run", "-reports", reports, "-bin", bin, dir}, dir + " is a folder, not a file; give the path of a scenario .yaml file, such as " + bad},
		{[]string{"run", "-reports", reports, "-bin", bin, empty}, empty + ":1: empty scenario file"},
		{[]string{"run", "-no-such-flag"}, "flag provided but not defined"},
		{[]string{"run", "a.yaml", "b.yaml"}, "one scenario file"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"run", "-sandbox", "docker", bad}, `-sandbox must be auto, container or process, not "docker"`},
		{[]string{"run", "-runtime", "process", "-sandbox", "container", bad}, "-runtime is the old name of -sandbox; give one of them"},
		{nil, "no command"},
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
	for _, p := range []string{reports, bin} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists after bad input (%v); nothing should be written", p, err)
		}
	}
}

func TestHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), &stdout, &stderr, []string{"help"}); err != nil || !strings.Contains(stdout.String(), "coldbench <command> -h") {
		t.Errorf("help: %v, %q", err, stdout.String())
	}
	err := run(context.Background(), &stdout, &stderr, []string{"run", "-h"})
	if exitCode(err) != 0 || !strings.Contains(stderr.String(), "-reports") {
		t.Errorf("run -h: code %d, %q", exitCode(err), stderr.String())
	}
}

// TestShippedScenarios checks that every scenario in scenarios/ is valid.
func TestShippedScenarios(t *testing.T) {
	files, err := filepath.Glob("../../../scenarios/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios found: %v", err)
	}
	for _, f := range files {
		if _, err := scenario.Load(f, all.Specs()); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
