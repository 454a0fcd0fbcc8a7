// Package build builds the static binaries of the benchmark targets with
// the go command: the AWS Lambda Runtime Interface Emulator, the Lambda
// function's bootstrap and the dedicated server. The Go build cache makes
// rebuilds fast.
package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// Packages built by Targets.
const (
	RIEPackage       = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"
	BootstrapPackage = "github.com/coldbench/coldbench/targets/cmd/bootstrap"
	ServerPackage    = "github.com/coldbench/coldbench/targets/cmd/server"
)

// Binaries are the absolute paths of the built targets.
type Binaries struct {
	RIE       string // aws-lambda-rie
	Bootstrap string // the Lambda function, named exactly "bootstrap"
	Server    string // the dedicated server
}

// Targets builds the three binaries into dir, which it creates if needed,
// each with CGO_ENABLED=0 go build -trimpath, from the module root. The
// bootstrap is built with -tags lambda.norpc, as AWS recommends for the
// provided.al2023 runtime.
func Targets(ctx context.Context, dir string) (Binaries, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return Binaries{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Binaries{}, err
	}
	root, err := ModuleRoot(ctx)
	if err != nil {
		return Binaries{}, err
	}
	b := Binaries{
		RIE:       filepath.Join(dir, "aws-lambda-rie"),
		Bootstrap: filepath.Join(dir, "bootstrap"),
		Server:    filepath.Join(dir, "coldbench-server"),
	}
	jobs := []struct {
		out, pkg string
		flags    []string
	}{
		{b.RIE, RIEPackage, nil},
		{b.Bootstrap, BootstrapPackage, []string{"-tags", "lambda.norpc"}},
		{b.Server, ServerPackage, nil},
	}
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() { errs[i] = goBuild(ctx, root, j.out, j.pkg, j.flags...) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return Binaries{}, err
	}
	return b, nil
}

// ModuleRoot is the directory of the main module's go.mod, as the go command
// run from the working directory finds it.
func ModuleRoot(ctx context.Context) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "env", "GOMOD")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("go env GOMOD: not inside the coldbench module")
	}
	return filepath.Dir(gomod), nil
}

// goBuild runs CGO_ENABLED=0 go build -trimpath [flags] -o out pkg in dir.
func goBuild(ctx context.Context, dir, out, pkg string, flags ...string) error {
	args := append([]string{"build", "-trimpath"}, flags...)
	args = append(args, "-o", out, pkg)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if output, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, bytes.TrimSpace(output))
	}
	return nil
}
