package serverkind

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/userserver"
)

// Log files of a user's server, in its target's folder.
const (
	StdoutFile = "stdout.log"
	StderrFile = "stderr.log"
)

// Prepare checks each user's server before the run folder exists, so that
// a mistake is an exit 2 with nothing written: a command's program must
// be found, and the server is started once, polled until ready and
// stopped (a trial start, which costs one start-up); an image must exist.
// Its errors are *kinds.InputError.
func (Kind) Prepare(ctx context.Context, targets []scenario.Target, env kinds.Env) ([]string, error) {
	var errs []error
	for _, t := range targets {
		switch c := Settings(t); {
		case len(c.Command) > 0:
			srv, err := userserver.Start(ctx, commandConfig(t, nil, nil))
			stopErr := srv.Stop(ctx)
			if err := inputError(t, err); err != nil {
				errs = append(errs, err)
			} else if stopErr != nil {
				errs = append(errs, fmt.Errorf("%s: trial start: %w", t.Name, stopErr))
			}
		case c.Image != "":
			errs = append(errs, inputError(t, prepareImage(ctx, t)))
		}
	}
	return nil, errors.Join(errs...)
}

// inputError makes a *userserver.StartError of target t a
// *kinds.InputError; other errors are returned as they are.
func inputError(t scenario.Target, err error) error {
	var se *userserver.StartError
	if errors.As(err, &se) {
		return &kinds.InputError{Target: t.Name, Msg: se.Error()}
	}
	return err
}

// commandConfig is how the server t runs, its output going to stdout and
// stderr (nil discards it).
func commandConfig(t scenario.Target, stdout, stderr io.Writer) userserver.Config {
	return userserver.Config{
		Command: Settings(t).Command, Dir: Settings(t).Dir, Env: Settings(t).Env,
		Ready: probe(t), StartTimeout: Settings(t).StartTimeout,
		Stdout: stdout, Stderr: stderr,
	}
}

// probe is the readiness request of t: its ready, else its first request.
func probe(t scenario.Target) userserver.Probe {
	r := t.Request.First()
	if Settings(t).Ready != nil {
		r = *Settings(t).Ready
	}
	return userserver.Probe{Method: r.Method, Path: r.Path, Header: r.Header, Body: r.Body}
}

// startCommand starts the user's command t, its output in env.Dir.
func startCommand(ctx context.Context, t scenario.Target, env kinds.Env) (kinds.Running, error) {
	prog, err := userserver.Resolve(Settings(t).Command, Settings(t).Dir)
	if err != nil {
		return nil, &kinds.InputError{Target: t.Name, Msg: err.Error()}
	}
	code, err := commandCode(t, prog)
	if err != nil {
		return nil, err
	}
	stdout, stderr, closeLogs, err := openLogs(env.Dir)
	if err != nil {
		return nil, err
	}
	srv, err := userserver.Start(ctx, commandConfig(t, stdout, stderr))
	if err != nil {
		return nil, errors.Join(inputError(t, err), srv.Stop(ctx), closeLogs())
	}
	notes := []string{
		fmt.Sprintf("%s ran the command %s in %s as a local process, with the whole machine (%s): no instance's vCPU or memory limit applied; its CPU time prices the instances.",
			t.Name, quote(Settings(t).Command), Settings(t).Dir, machine()),
		fmt.Sprintf("%s's stdout and stderr are in %s/%s and %s.", t.Name, t.Name, StdoutFile, StderrFile),
	}
	return &ownRunning{url: srv.URL(), stop: func(ctx context.Context) error { return errors.Join(srv.Stop(ctx), closeLogs()) },
		cpu: meterGroup(srv.PID()), code: code, notes: notes}, nil
}

// quote writes a command as a list.
func quote(cmd []string) string {
	q := make([]string, len(cmd))
	for i, a := range cmd {
		q[i] = fmt.Sprintf("%q", a)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// ownRunning is a user's server, started from a command or an image.
type ownRunning struct {
	url   string
	stop  func(context.Context) error
	cpu   func() *cpuUsage
	code  *record.Code
	notes []string
}

func (r *ownRunning) URL() string            { return r.url }
func (r *ownRunning) Timeout() time.Duration { return 30 * time.Second }

// Stop reads the server's CPU time over the load, stops it and returns
// what it used.
func (r *ownRunning) Stop(ctx context.Context, rec *record.Target) (kinds.Report, error) {
	cpu := r.cpu()
	err := r.stop(ctx)
	rep := kinds.Report{Code: r.code, Notes: r.notes}
	if rec == nil {
		return rep, err
	}
	rep.Usage = serverUsageOf{*serverUsage(rec, cpu)}
	rep.CostNotes = tickNote(rec.Name, cpu)
	return rep, err
}

// commandCode returns the Code of the command t, whose program is prog:
// the first argument that names a file in its folder (the script of an
// interpreter, such as node app.js), else the program itself.
func commandCode(t scenario.Target, prog string) (*record.Code, error) {
	for _, arg := range Settings(t).Command[1:] {
		if strings.HasPrefix(arg, "-") || strings.Contains(arg, "{port}") {
			continue
		}
		path := arg
		if !filepath.IsAbs(path) {
			path = filepath.Join(Settings(t).Dir, arg)
		}
		if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
			return kinds.FileCode("command", prog+" "+arg, path)
		}
	}
	return kinds.FileCode("command", prog, prog)
}

// openLogs creates StdoutFile and StderrFile in dir, the target's folder,
// and returns them with what closes both.
func openLogs(dir string) (stdout, stderr *os.File, closeLogs func() error, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, nil, err
	}
	if stdout, err = os.Create(filepath.Join(dir, StdoutFile)); err != nil {
		return nil, nil, nil, err
	}
	if stderr, err = os.Create(filepath.Join(dir, StderrFile)); err != nil {
		stdout.Close()
		return nil, nil, nil, err
	}
	return stdout, stderr, func() error { return errors.Join(stdout.Close(), stderr.Close()) }, nil
}
