package main

import (
	"archive/zip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/coldbench/coldbench/targets/build"
)

// packageCmd writes the built-in function's deployment package: a zip with
// the static bootstrap at its root, mode 0755, for the provided.al2023
// runtime on x86_64 (amd64) or arm64, ready for aws lambda
// create-function --zip-file fileb://function.zip.
func packageCmd(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	flags := flag.NewFlagSet("coldbench package", flag.ContinueOnError)
	flags.SetOutput(stderr)
	out := flags.String("o", "function.zip", "the zip file to write")
	arch := flags.String("arch", "amd64", "the function's architecture: amd64 (Lambda's x86_64) or arm64")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err.Error()}
	}
	if flags.NArg() > 0 {
		return &usageError{fmt.Sprintf("package takes no arguments, got %v (the file is -o)", flags.Args())}
	}
	if *arch != "amd64" && *arch != "arm64" {
		return &usageError{fmt.Sprintf("-arch must be amd64 or arm64, not %q", *arch)}
	}
	tmp, err := os.MkdirTemp("", "coldbench-package-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bootstrap := filepath.Join(tmp, build.BootstrapName)
	how, err := build.Function(ctx, "", "", bootstrap, *arch)
	if err != nil {
		return fmt.Errorf("packaging the function: %w", err)
	}
	if err := writeZip(*out, bootstrap); err != nil {
		return fmt.Errorf("writing %s: %w", *out, err)
	}
	fmt.Fprintf(stderr, "bootstrap: %s\n", how)
	fmt.Fprintf(stdout, "%s: the built-in function for provided.al2023 on linux/%s (handler: bootstrap)\n", *out, *arch)
	return nil
}

// writeZip writes a zip at path holding the file bootstrap as "bootstrap"
// at its root, mode 0755, through a temporary file renamed into place.
func writeZip(path, bootstrap string) error {
	in, err := os.Open(bootstrap)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".coldbench-package-*.zip")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	zw := zip.NewWriter(tmp)
	h := &zip.FileHeader{Name: build.BootstrapName, Method: zip.Deflate, Modified: fi.ModTime()}
	h.SetMode(0o755)
	w, err := zw.CreateHeader(h)
	if err == nil {
		_, err = io.Copy(w, in)
	}
	if err == nil {
		err = zw.Close()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
