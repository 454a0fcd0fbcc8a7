// Package build provides the binaries of the benchmark targets: the AWS
// Lambda Runtime Interface Emulator, the Lambda function's bootstrap and the
// dedicated server.
//
// Inside a checkout of the coldbench module it builds all three from the
// module with the go command, static (CGO_ENABLED=0), as it always did; the
// Go build cache makes rebuilds fast. Anywhere else, an installed coldbench
// provides the function and the server itself, as one multi-call binary
// that runs as the function when invoked as bootstrap and as the server when
// invoked as coldbench-server (see bench/cmd/coldbench): Build links or
// copies the executable into the bin folder under those two names, and finds
// the RIE (see FindRIE).
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
	"strings"
	"sync"
)

// Packages built by Targets.
const (
	Module           = "github.com/coldbench/coldbench"
	RIEPackage       = RIEModule + "/cmd/aws-lambda-rie"
	BootstrapPackage = Module + "/targets/cmd/bootstrap"
	ServerPackage    = Module + "/targets/cmd/server"
	// CommandPackage is the coldbench command, which runs as the function
	// and as the server under the names BootstrapName and ServerName.
	CommandPackage = Module + "/bench/cmd/coldbench"
)

// Names of the binaries in the bin folder. An installed coldbench runs as
// the function when invoked as BootstrapName and as the server when invoked
// as ServerName.
const (
	RIEName       = "aws-lambda-rie"
	BootstrapName = "bootstrap" // the name the provided.al2023 runtime runs
	ServerName    = "coldbench-server"
)

// Binaries are the absolute paths of the built targets.
type Binaries struct {
	RIE       string // aws-lambda-rie
	Bootstrap string // the Lambda function, named exactly "bootstrap"
	Server    string // the dedicated server
}

// Config says where Build puts the binaries and where it takes them from.
type Config struct {
	// Dir is the bin folder, created if needed.
	Dir string
	// RIE is an aws-lambda-rie executable to use (coldbench run -rie);
	// empty: inside the module build it, elsewhere find it (FindRIE).
	RIE string
	// Self is the executable that runs as the function and the server
	// outside the module; empty: os.Executable(), which must then be the
	// coldbench command (CommandPackage).
	Self string
	// WorkDir is the folder whose module decides between building from
	// source and providing the binaries (empty: the working directory).
	WorkDir string
	// Log receives one line per binary that says where it came from
	// (nil: nowhere).
	Log io.Writer
}

// Targets is Build with Config{Dir: dir}: the binaries in dir, built from
// source inside the coldbench module, provided by the running coldbench
// elsewhere.
func Targets(ctx context.Context, dir string) (Binaries, error) {
	return Build(ctx, Config{Dir: dir})
}

// Build puts the three binaries into cfg.Dir. Inside the coldbench module
// (as the go command run from cfg.WorkDir finds it) it builds each with
// CGO_ENABLED=0 go build -trimpath from the module root, the bootstrap with
// -tags lambda.norpc, as AWS recommends for the provided.al2023 runtime.
// Elsewhere it links (or copies) cfg.Self into cfg.Dir as the bootstrap and
// the server, and the RIE that FindRIE finds as aws-lambda-rie, so that
// every process a run starts runs from cfg.Dir.
func Build(ctx context.Context, cfg Config) (Binaries, error) {
	log := cfg.Log
	if log == nil {
		log = io.Discard
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return Binaries{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Binaries{}, err
	}
	b := Binaries{
		RIE:       filepath.Join(dir, RIEName),
		Bootstrap: filepath.Join(dir, BootstrapName),
		Server:    filepath.Join(dir, ServerName),
	}
	root, inModule, err := Checkout(ctx, cfg.WorkDir)
	if err != nil {
		return Binaries{}, err
	}
	if !inModule {
		return b, provide(ctx, cfg, b, log)
	}
	jobs := []struct {
		out, pkg string
		flags    []string
	}{
		{b.Bootstrap, BootstrapPackage, []string{"-tags", "lambda.norpc"}},
		{b.Server, ServerPackage, nil},
	}
	if cfg.RIE == "" {
		jobs = append(jobs, struct {
			out, pkg string
			flags    []string
		}{b.RIE, RIEPackage, nil})
	}
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() { errs[i] = goBuild(ctx, root, j.out, j.pkg, j.flags...) })
	}
	if cfg.RIE != "" {
		errs = append(errs, useRIE(cfg.RIE, "-rie", b.RIE, log))
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return Binaries{}, err
	}
	if cfg.RIE == "" {
		fmt.Fprintf(log, "rie: built from the module (%s %s, pinned in go.mod)\n", RIEModule, RIEVersion)
	}
	fmt.Fprintf(log, "function and server: built from the module in %s\n", root)
	return b, nil
}

// provide fills b outside the module: the RIE found, and the coldbench
// executable as the bootstrap and the server.
func provide(ctx context.Context, cfg Config, b Binaries, log io.Writer) error {
	self, err := selfExecutable(cfg.Self)
	if err != nil {
		return err
	}
	rie, how, err := FindRIE(ctx, cfg.RIE, log)
	if err != nil {
		return err
	}
	if err := useRIE(rie, how, b.RIE, log); err != nil {
		return err
	}
	for _, dst := range []string{b.Bootstrap, b.Server} {
		if err := place(self, dst); err != nil {
			return fmt.Errorf("providing %s: %w", filepath.Base(dst), err)
		}
	}
	fmt.Fprintf(log, "function and server: %s itself (no coldbench checkout here)\n", self)
	if err := Static(self); err != nil {
		fmt.Fprintf(log, "note: %v; environments in containers need static binaries: %s\n", err, StaticHint)
	}
	return nil
}

// useRIE places the RIE rie, found as how says, at dst and says so.
func useRIE(rie, how, dst string, log io.Writer) error {
	if err := executable(rie); err != nil {
		return fmt.Errorf("the RIE (%s): %w", how, err)
	}
	if err := place(rie, dst); err != nil {
		return fmt.Errorf("the RIE (%s): %w", how, err)
	}
	fmt.Fprintf(log, "rie: %s (%s)\n", rie, how)
	return nil
}

// Checkout reports whether dir (empty: the working directory) is inside
// the coldbench module, as the go command finds it there, and its root. A
// folder of another module, or no module, or no go command, is not.
func Checkout(ctx context.Context, dir string) (root string, ok bool, err error) {
	gomod, err := goEnvGOMOD(ctx, dir)
	if err != nil || gomod == "" || gomod == os.DevNull {
		return "", false, nil
	}
	data, err := os.ReadFile(gomod)
	if err != nil {
		return "", false, fmt.Errorf("reading %s: %w", gomod, err)
	}
	if modulePath(data) != Module {
		return "", false, nil
	}
	return filepath.Dir(gomod), true, nil
}

// ModuleRoot is the directory of the coldbench module's go.mod, as the go
// command run from the working directory finds it.
func ModuleRoot(ctx context.Context) (string, error) {
	root, ok, err := Checkout(ctx, "")
	if err != nil {
		return "", err
	}
	if !ok {
		return "", errors.New("go env GOMOD: not inside the coldbench module")
	}
	return root, nil
}

func goEnvGOMOD(ctx context.Context, dir string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "env", "GOMOD")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	return strings.TrimSpace(string(out)), nil
}

// modulePath is the path of the module line of a go.mod file.
func modulePath(gomod []byte) string {
	for line := range strings.SplitSeq(string(gomod), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// goBuild runs CGO_ENABLED=0 go build -trimpath [flags] -o out pkg in dir.
func goBuild(ctx context.Context, dir, out, pkg string, flags ...string) error {
	return goBuildEnv(ctx, dir, out, pkg, nil, flags...)
}

// goBuildEnv is goBuild with more environment variables, such as GOARCH.
func goBuildEnv(ctx context.Context, dir, out, pkg string, env []string, flags ...string) error {
	args := append([]string{"build", "-trimpath"}, flags...)
	args = append(args, "-o", out, pkg)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "CGO_ENABLED=0"), env...)
	if output, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, bytes.TrimSpace(output))
	}
	return nil
}
