package runtimes_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda/runtimes"
)

// TestPublished checks runtimes.json: every runtime that takes a handler
// has an interpreter and the Debian package that installs it, and the
// published figures are where the brief has them.
func TestPublished(t *testing.T) {
	d := runtimes.Published()
	if d.Version == "" || d.PublishedSource.Source == "" || d.PublishedSource.Date == "" {
		t.Errorf("runtimes.json lacks its version or its source: %+v", d.PublishedSource)
	}
	for _, name := range runtimes.Names() {
		r, ok := runtimes.Lookup(name)
		if !ok || r.Interpreter == "" || r.DebianPackage == "" {
			t.Errorf("%s: %+v, want an interpreter and its package", name, r)
		}
	}
	r, _ := runtimes.Lookup("nodejs22.x")
	if d, size, ok := r.PublishedInit(1024); !ok || size != 1024 || d != 139*time.Millisecond {
		t.Errorf("nodejs22.x at 1024 MB: %v at %d MB, %v; want 139ms", d, size, ok)
	}
	if d, size, _ := r.PublishedInit(512); size != 128 || d != 138*time.Millisecond {
		t.Errorf("nodejs22.x at 512 MB: %v at %d MB; want the nearest, 138ms at 128 MB", d, size)
	}
	if _, _, ok := (runtimes.Runtime{}).PublishedInit(128); ok {
		t.Error("a runtime with no figures has one")
	}
}

// TestMissingInterpreter checks that a runtime whose interpreter is not
// installed says which Debian package installs it.
func TestMissingInterpreter(t *testing.T) {
	r := runtimes.Runtime{Name: "nodejs99.x", Language: runtimes.Node, Interpreter: "coldbench-no-such-node", DebianPackage: "nodejs"}
	_, err := r.Find(context.Background())
	var missing *runtimes.MissingError
	if !errors.As(err, &missing) || !strings.Contains(err.Error(), "apt-get install nodejs") {
		t.Errorf("Find = %v, want a MissingError naming apt-get install nodejs", err)
	}
}
