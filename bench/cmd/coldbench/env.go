package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/coldbench/coldbench/targets/build"
)

// envPriority, set to 0, keeps coldbench run from raising its session's
// CPU priority for the run (harness.Config.Priority); make test sets it.
const envPriority = "COLDBENCH_PRIORITY"

// cacheBinDir is the bin folder outside a checkout, in the user's cache
// folder: never the working folder, whose own bin/ may well hold a
// bootstrap of the user's.
const cacheBinDir = "coldbench/bin"

// defaultBinDir is where target binaries go unless -bin says otherwise:
// bin/ of the working folder in a checkout (ignored by git), so that each
// checkout measures its own code, else cacheBinDir in os.UserCacheDir().
func defaultBinDir(ctx context.Context) (string, error) {
	if _, ok, err := build.Checkout(ctx, ""); err != nil || ok {
		return "bin", err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", &usageError{fmt.Sprintf("no user cache folder for the target binaries (%v): give one with -bin", err)}
	}
	return filepath.Join(cache, cacheBinDir), nil
}

// checkExecutable checks a flag's executable file: a path that is missing,
// not a file or not executable is bad input.
func checkExecutable(flag, path string) error {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return &usageError{fmt.Sprintf("%s %s: %v", flag, path, err)}
	case !fi.Mode().IsRegular():
		return &usageError{fmt.Sprintf("%s %s is not a file; give the path of the aws-lambda-rie executable", flag, path)}
	case fi.Mode()&0o111 == 0:
		return &usageError{fmt.Sprintf("%s %s is not executable; chmod +x %s", flag, path, path)}
	}
	return nil
}

// progressEvery prints progress more often to a terminal than to a log.
func progressEvery(w io.Writer) time.Duration {
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return 2 * time.Second
		}
	}
	return 5 * time.Second
}
