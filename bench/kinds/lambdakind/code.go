package lambdakind

import (
	"bytes"
	"context"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"runtime"

	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
)

// code is what one function runs, ready for a provider.
type code struct {
	form      CodeForm
	bootstrap string       // the file the RIE starts, on this machine (not for an image)
	image     string       // the image to run, for the image form
	handler   *handlerCode // a handler's code on a managed runtime
	record    *record.Code
	tmp       []string // a zip's extracted folder, a runtime client's: removed by close
}

// close removes what opening the code made.
func (c *code) close() error {
	if c == nil {
		return nil
	}
	var errs []error
	for _, d := range c.tmp {
		errs = append(errs, os.RemoveAll(d))
	}
	return errors.Join(errs...)
}

// elfMachine is the ELF machine of Go's architecture goarch, for the two
// Lambda runs; false for any other.
func elfMachine(goarch string) (elf.Machine, bool) {
	switch goarch {
	case "amd64":
		return elf.EM_X86_64, true
	case "arm64":
		return elf.EM_AARCH64, true
	}
	return 0, false
}

// archName is how Lambda names an ELF machine.
func archName(m elf.Machine) string {
	switch m {
	case elf.EM_X86_64:
		return "x86_64 (amd64)"
	case elf.EM_AARCH64:
		return "arm64"
	}
	return m.String()
}

// buildHint is how to build a Go bootstrap that runs here, in containers.
const buildHint = "CGO_ENABLED=0 GOOS=linux GOARCH=" + runtime.GOARCH + " go build -tags lambda.norpc -o bootstrap"

// checkBootstrap checks the executable at path, which name names in
// messages (the scenario's path, or the zip's entry): a regular,
// executable file, an ELF binary for this machine's architecture or a
// script, and, for containers (static), a statically linked ELF binary,
// since the image is FROM scratch. Each error says how to fix it.
func checkBootstrap(target, name, path string, static bool) error {
	bad := func(format string, args ...any) error {
		return &kinds.InputError{Target: target, Msg: name + ": " + fmt.Sprintf(format, args...)}
	}
	fi, err := os.Stat(path)
	switch {
	case os.IsNotExist(err):
		return bad("no such file; build the function there (%s) or fix the path, which is relative to the scenario file", buildHint)
	case err != nil:
		return bad("%v", err)
	case fi.IsDir():
		return bad("is a folder, not the bootstrap executable; name the file itself")
	case fi.Mode().Perm()&0o111 == 0:
		return bad("is not executable; chmod +x it (Lambda needs the bootstrap executable too)")
	}
	head := make([]byte, 4)
	if f, err := os.Open(path); err != nil {
		return bad("%v", err)
	} else {
		n, _ := f.Read(head)
		head = head[:n]
		f.Close()
	}
	if bytes.HasPrefix(head, []byte("#!")) {
		if static {
			return bad("is a script; a container here is FROM scratch and has no interpreter: use runtime: process, or an image: that has one")
		}
		return nil
	}
	if !bytes.Equal(head, []byte(elf.ELFMAG)) {
		return bad("is neither a Linux executable (ELF) nor a script; build it for Linux (%s)", buildHint)
	}
	f, err := elf.Open(path)
	if err != nil {
		return bad("cannot read it as an ELF binary: %v; rebuild it (%s)", err, buildHint)
	}
	defer f.Close()
	if want, ok := elfMachine(runtime.GOARCH); ok && f.Machine != want {
		return bad("is built for %s, this machine runs %s; rebuild it with GOARCH=%s (%s)", archName(f.Machine), archName(want), runtime.GOARCH, buildHint)
	}
	if static {
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				return bad("is dynamically linked; a container here is FROM scratch and has no libraries: build it static (%s), or use runtime: process, or an image: with its libraries", buildHint)
			}
		}
	}
	return nil
}

// open returns the code target t runs, as Prepare checked it: a zip is
// extracted again, into a folder of its own that close removes.
func (k *Kind) open(ctx context.Context, t scenario.Target) (*code, error) {
	pc, ok := k.codes[t.Name]
	if !ok {
		return nil, fmt.Errorf("lambda kind: target %s was not prepared", t.Name)
	}
	c := &code{form: Settings(t).Code.Form, record: pc.record, image: pc.image}
	if Settings(t).Code.Handler != "" {
		if err := openHandler(ctx, t, c); err != nil {
			return nil, errors.Join(err, c.close())
		}
		return c, nil
	}
	switch c.form {
	case BootstrapCode:
		c.bootstrap = Settings(t).Code.Path
	case ZipCode:
		dir, bootstrap, err := extractZip(t.Name, Settings(t).Code.Path)
		if err != nil {
			return nil, err
		}
		c.tmp, c.bootstrap = []string{dir}, bootstrap
	case BuiltIn:
		c.bootstrap = k.rt.bins.bootstrap
	}
	return c, nil
}

// runsIn reports whether c can run in runtime name: an image only in
// containers, a bootstrap there only if it is static.
func (c *code) runsIn(name Sandbox) bool {
	if c.handler != nil {
		return true
	}
	if c.image != "" {
		return name == Container
	}
	return name != Container || checkBootstrap("", "", c.bootstrap, true) == nil
}

// CheckBootstrap is the check of a function's bootstrap the lambda kind
// makes before the load (see checkBootstrap), for the other kinds that
// run a Lambda function's bootstrap (lmikind): a *kinds.InputError that
// says how to fix it, or nil.
func CheckBootstrap(target, name, path string, static bool) error {
	return checkBootstrap(target, name, path, static)
}
