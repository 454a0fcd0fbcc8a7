package testkit

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// EchofnPackage is the example of a user's own function (targets/examples/echofn).
const EchofnPackage = "github.com/coldbench/coldbench/targets/examples/echofn"

// EchofnGreeting starts every answer of echofn.
const EchofnGreeting = "echofn says: "

// BuildEchofn builds echofn as a user builds a function for provided.al2023,
// CGO_ENABLED=0 GOOS=linux go build -tags lambda.norpc -o bootstrap, into a
// new folder of t's, and returns the bootstrap's path.
func BuildEchofn(t testing.TB) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "bootstrap")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-tags", "lambda.norpc", "-o", out, EchofnPackage)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building echofn: %v\n%s", err, b)
	}
	return out
}

// Script writes an executable shell script of body to a new file of t's
// called name and returns its path.
func Script(t testing.TB, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}
