package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coldbench/coldbench/targets/build"
)

// TestPackageArm64 builds the function's zip in the checkout, cross-compiled
// for arm64: one file, bootstrap, 0755, a static arm64 executable.
func TestPackageArm64(t *testing.T) {
	out := filepath.Join(t.TempDir(), "fn.zip")
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), &stdout, &stderr, []string{"package", "-arch", "arm64", "-o", out}); err != nil {
		t.Fatalf("package: %v\n%s", err, stderr.String())
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) != 1 || zr.File[0].Name != "bootstrap" || zr.File[0].Mode().Perm() != 0o755 {
		t.Fatalf("zip holds %v, want bootstrap 0755 alone", zr.File)
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	bootstrap := filepath.Join(t.TempDir(), "bootstrap")
	f, _ := os.Create(bootstrap)
	io.Copy(f, rc)
	f.Close()
	if arch, err := build.Arch(bootstrap); err != nil || arch != "arm64" {
		t.Errorf("bootstrap is %q (%v), want arm64", arch, err)
	}
	if err := build.Static(bootstrap); err != nil {
		t.Error(err)
	}
}

func TestPackageAndVersionBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"package", "-arch", "386"},
		{"package", "extra"},
		{"version", "extra"},
	} {
		err := run(context.Background(), io.Discard, io.Discard, args)
		if exitCode(err) != 2 {
			t.Errorf("%v: exit code %d (%v), want 2", args, exitCode(err), err)
		}
	}
	var stdout bytes.Buffer
	if err := run(context.Background(), &stdout, io.Discard, []string{"version"}); err != nil || !strings.HasPrefix(stdout.String(), "coldbench ") {
		t.Errorf("version: %v, %q", err, stdout.String())
	}
}
