package runtimes

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Interpreter is the program on this machine that runs a runtime's code.
type Interpreter struct {
	Path    string // the executable itself, links and pyenv's shims resolved
	Version string // as it says: v20.20.2, 3.11.7
	// Prefix is Python's sys.prefix, the root of its standard library;
	// empty for Node.
	Prefix string
}

// MissingError is an interpreter this machine does not have.
type MissingError struct {
	Runtime Runtime
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("%s runs on %s, which this machine does not have; install it (apt-get install %s) or name another runtime",
		e.Runtime.Name, e.Runtime.Interpreter, e.Runtime.DebianPackage)
}

// askTimeout bounds each question put to an interpreter.
const askTimeout = 20 * time.Second

// Find finds the interpreter of r on the PATH and asks it where it is and
// which version it is.
func (r Runtime) Find(ctx context.Context) (Interpreter, error) {
	if !r.TakesHandler() {
		return Interpreter{}, fmt.Errorf("runtime %s takes a bootstrap, not a handler", r.Name)
	}
	path, err := exec.LookPath(r.Interpreter)
	if err != nil {
		return Interpreter{}, &MissingError{Runtime: r}
	}
	ctx, cancel := context.WithTimeout(ctx, askTimeout)
	defer cancel()
	var cmd *exec.Cmd
	if r.Language == Node {
		cmd = exec.CommandContext(ctx, path, "-p", `process.execPath + "\n" + process.version + "\n"`)
	} else {
		cmd = exec.CommandContext(ctx, path, "-c", "import sys; print(sys.executable); print(sys.version.split()[0]); print(sys.prefix)")
	}
	out, err := cmd.Output()
	if err != nil {
		return Interpreter{}, fmt.Errorf("%s (%s) did not say its version: %v", r.Interpreter, path, err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 2 {
		return Interpreter{}, fmt.Errorf("%s (%s) said %q, not its path and version", r.Interpreter, path, out)
	}
	i := Interpreter{Path: lines[0], Version: lines[1]}
	if len(lines) > 2 {
		i.Prefix = lines[2]
	}
	if real, err := filepath.EvalSymlinks(i.Path); err == nil {
		i.Path = real
	}
	return i, nil
}

// InitError is the error a function's INIT ended with, as Lambda reports
// it: Runtime.ImportModuleError, Runtime.HandlerNotFound,
// Runtime.UserCodeSyntaxError, or what the module threw.
type InitError struct {
	Type    string `json:"errorType"`
	Message string `json:"errorMessage"`
}

func (e *InitError) Error() string { return e.Type + ": " + e.Message }

// Check loads handler from taskRoot as r's INIT does, with env, the
// environment the function's environments get (lambda.Environ), but the
// Runtime API, and stops there. It returns an *InitError if the function
// would fail its INIT (the client's check mode says so), another error if
// the client could not run or took more than askTimeout. The check runs
// in a process group of its own, killed once it is over: a module that
// starts a process as it loads leaves nothing behind.
func (r Runtime) Check(ctx context.Context, i Interpreter, client, taskRoot, handler string, env map[string]string) error {
	tctx, cancel := context.WithTimeout(ctx, askTimeout)
	defer cancel()
	cmd := exec.CommandContext(tctx, i.Path, append(r.flags(), client, "--check", handler)...)
	cmd.Dir = taskRoot
	cmd.Env = []string{"_HANDLER=" + handler}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second // the output pipes, held by what the module started
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case tctx.Err() != nil:
		return fmt.Errorf("loading %s took more than %v", handler, askTimeout)
	case err == nil || !errors.As(err, &exit):
		return err
	}
	// The check's verdict is its last line of JSON; the module may print
	// before it.
	var last []byte
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		if l := bytes.TrimSpace(sc.Bytes()); len(l) > 0 && l[0] == '{' {
			last = append(last[:0], l...)
		}
	}
	var ie InitError
	if json.Unmarshal(last, &ie) == nil && ie.Type != "" {
		return &ie
	}
	return fmt.Errorf("%s %s --check %s: %v: %s", i.Path, filepath.Base(client), handler, err, bytes.TrimSpace(stderr.Bytes()))
}

// File is a file of an interpreter's tree: Src on this machine, its
// content, to be placed at Dst in an image.
type File struct{ Src, Dst string }

// skipStdlib reports whether an image leaves out dir, a folder at the top
// of Python's standard library: tests, tools and what a function does not
// import (the Lambda runtime has no site-packages of the machine's either).
func skipStdlib(dir string) bool {
	switch dir {
	case "test", "tests", "idlelib", "tkinter", "turtledemo", "ensurepip", "site-packages", "lib2to3", "__phello__":
		return true
	}
	return strings.HasPrefix(dir, "config-")
}

// Files lists what an image FROM scratch needs to run i: the executable,
// the shared libraries it and (for Python) its extension modules load,
// the loader, and Python's standard library, each at its path here.
func (i Interpreter) Files(ctx context.Context, lang Language) ([]File, error) {
	files := []File{{Src: i.Path, Dst: i.Path}}
	objects := []string{i.Path}
	if lang == Python {
		if i.Prefix == "" {
			return nil, fmt.Errorf("python at %s: no sys.prefix", i.Path)
		}
		lib, err := stdlib(i)
		if err != nil {
			return nil, err
		}
		err = filepath.WalkDir(lib, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(lib, path)
			if d.IsDir() {
				if skipStdlib(rel) {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
				return nil
			}
			files = append(files, File{Src: path, Dst: path})
			if strings.HasSuffix(path, ".so") {
				objects = append(objects, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	libs, err := sharedLibraries(ctx, objects)
	if err != nil {
		return nil, err
	}
	return append(files, libs...), nil
}

// stdlib is the folder of i's standard library, prefix/lib/pythonX.Y.
func stdlib(i Interpreter) (string, error) {
	parts := strings.SplitN(i.Version, ".", 3)
	if len(parts) < 2 {
		return "", fmt.Errorf("python at %s: version %q", i.Path, i.Version)
	}
	lib := filepath.Join(i.Prefix, "lib", "python"+parts[0]+"."+parts[1])
	if _, err := os.Stat(filepath.Join(lib, "os.py")); err != nil {
		return "", fmt.Errorf("python at %s: no standard library at %s", i.Path, lib)
	}
	return lib, nil
}

// sharedLibraries returns the shared libraries objects load, as ldd
// lists them, and the loader, each once.
func sharedLibraries(ctx context.Context, objects []string) ([]File, error) {
	seen := map[string]bool{}
	var out []File
	for _, o := range objects {
		b, err := exec.CommandContext(ctx, "ldd", o).Output()
		if err != nil {
			if strings.HasSuffix(o, ".so") {
				continue // ldd fails on a module it cannot resolve; it is not loaded here either
			}
			return nil, fmt.Errorf("ldd %s: %v", o, err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			// "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" or
			// "/lib64/ld-linux-x86-64.so.2 (0x…)"
			f := strings.Fields(line)
			var path string
			switch {
			case len(f) >= 3 && f[1] == "=>" && strings.HasPrefix(f[2], "/"):
				path = f[2]
			case len(f) >= 1 && strings.HasPrefix(f[0], "/"):
				path = f[0]
			}
			if path == "" || seen[path] {
				continue
			}
			seen[path] = true
			out = append(out, File{Src: path, Dst: path})
		}
	}
	return out, nil
}
