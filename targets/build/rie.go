package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// The RIE's module and the version go.mod pins it at (with the tool
// directive). The RIE has no tags, so the pin is a pseudo-version. It is
// not a dependency of the coldbench binary, so debug.ReadBuildInfo does
// not know it: RIEVersion repeats go.mod, and TestRIEVersionMatchesGoMod
// fails when the two differ.
const (
	RIEModule  = "github.com/aws/aws-lambda-runtime-interface-emulator"
	RIEVersion = "v0.0.0-20261030222936-bef5c4ba774d"
)

// How FindRIE found the RIE, as it says it.
const (
	RIEFromFlag   = "-rie"
	RIEFromPath   = "found on PATH"
	RIEFromCache  = "from the cache"
	RIEBuiltCache = "built into the cache"
)

// RIECache is where FindRIE keeps the RIE it builds:
// os.UserCacheDir()/coldbench/<RIEVersion>/aws-lambda-rie
// ($XDG_CACHE_HOME, else ~/.cache, on Linux).
func RIECache() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder for the RIE: %w; give an aws-lambda-rie with -rie", err)
	}
	return filepath.Join(cache, "coldbench", RIEVersion, RIEName), nil
}

// FindRIE finds an aws-lambda-rie executable outside the coldbench module,
// in this order: flag (coldbench run -rie), aws-lambda-rie on PATH, the
// cache (RIECache), else it builds the pinned version into the cache once,
// with CGO_ENABLED=0 go install RIEPackage@RIEVersion, which needs the go
// command and the Go module proxy (or a module cache that holds the RIE's
// module and its dependencies). It returns the path and how it found it,
// one of the RIEFrom constants; progress of a build goes to log.
func FindRIE(ctx context.Context, flag string, log io.Writer) (path, how string, err error) {
	if flag != "" {
		return flag, RIEFromFlag, nil
	}
	if p, err := exec.LookPath(RIEName); err == nil {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		return p, RIEFromPath, nil
	}
	cached, err := RIECache()
	if err != nil {
		return "", "", err
	}
	if executable(cached) == nil {
		return cached, RIEFromCache, nil
	}
	if _, err := exec.LookPath("go"); err != nil {
		return "", "", fmt.Errorf("no %s: not given with -rie, not on PATH, not in %s, and no go command to build it (%v); install Go, or put the RIE (https://github.com/aws/aws-lambda-runtime-interface-emulator/releases) on PATH or pass -rie path", RIEName, filepath.Dir(cached), err)
	}
	fmt.Fprintf(log, "rie: building %s@%s into %s (once)\n", RIEPackage, RIEVersion, filepath.Dir(cached))
	if err := installRIE(ctx, filepath.Dir(cached)); err != nil {
		return "", "", err
	}
	return cached, RIEBuiltCache, nil
}

// installRIE runs CGO_ENABLED=0 go install -trimpath RIEPackage@RIEVersion
// with GOBIN=dir, outside any module.
func installRIE(ctx context.Context, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating the RIE's cache folder: %w", err)
	}
	args := []string{"install", "-trimpath", RIEPackage + "@" + RIEVersion}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOBIN="+dir, "GOWORK=off", "GOFLAGS=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building the RIE: GOBIN=%s go %v: %w\n%s\n(it needs the Go module proxy; without one, put aws-lambda-rie on PATH or pass -rie path)", dir, args, err, bytes.TrimSpace(out.Bytes()))
	}
	return executable(filepath.Join(dir, RIEName))
}

// executable checks that path is a regular file someone may execute.
func executable(path string) error {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return err
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file", path)
	case fi.Mode()&0o111 == 0:
		return fmt.Errorf("%s is not executable (chmod +x %s)", path, path)
	}
	return nil
}

// errNotColdbench says that the running program cannot stand in for the
// function and the server.
var errNotColdbench = errors.New("not the coldbench command")
