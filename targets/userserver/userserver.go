// Package userserver runs the user's own HTTP server as a benchmark
// target: a command started as a local process (Start) or a local image
// run as a container (StartImage). Either way it gets a loopback port of
// its own (claimed for it, see targets/internal/portclaim, or published by
// the engine), is polled with a readiness request until it answers with a
// status below 500 or its start timeout passes, and its stdout and stderr
// go to files the caller names. Stop leaves nothing running.
package userserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/coldbench/coldbench/targets/internal/portclaim"
	"github.com/coldbench/coldbench/targets/internal/procgroup"
)

// Probe is the readiness request: it is sent to the server's base URL
// followed by Path until the answer's status is below 500.
type Probe struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// Config says how to run a command.
type Config struct {
	// Command is the program and its arguments; "{port}" in an argument
	// becomes the port chosen, which is also PORT in the environment.
	// The program is looked up in PATH, or relative to Dir when it holds
	// a /.
	Command []string
	Dir     string            // working folder; "" is this process's
	Env     map[string]string // on top of this process's environment
	Ready   Probe
	// StartTimeout bounds the wait for Ready; 0 is 30 s.
	StartTimeout time.Duration
	// Stdout and Stderr receive the server's output; nil discards it.
	Stdout, Stderr io.Writer
}

// StartError says that the server did not get ready: it could not be
// started, exited, or did not answer in time. It is a mistake in what the
// user gave, not in coldbench.
type StartError struct {
	Command string // as the user wrote it
	Reason  string // what happened and how to fix it
	Tail    string // the end of its stderr (and stdout), if any
}

func (e *StartError) Error() string {
	s := e.Command + ": " + e.Reason
	if e.Tail != "" {
		s += "; its output ends with:\n" + indent(e.Tail)
	}
	return s
}

func indent(s string) string { return "    " + strings.ReplaceAll(s, "\n", "\n    ") }

// Server is a running command.
type Server struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{} // closed once the process is reaped
	err  error         // Wait's error, set before done is closed
	// claim holds the server's port until Stop has seen every process
	// of its group gone (the listener may be a child of the command).
	claim *portclaim.Claim

	stopOnce sync.Once
	stopErr  error
}

// Resolve returns the path of the program of command run in dir: one with
// a / relative to dir, else looked up in PATH. The error says how to fix it.
func Resolve(command []string, dir string) (string, error) {
	if len(command) == 0 {
		return "", errors.New("no command")
	}
	prog := command[0]
	if strings.ContainsRune(prog, '/') {
		if !filepath.IsAbs(prog) {
			prog = filepath.Join(dir, prog)
		}
		fi, err := os.Stat(prog)
		switch {
		case err != nil:
			return "", fmt.Errorf("program %s not found (%v); fix the path, which is relative to the command's dir %s", command[0], errors.Unwrap(err), dir)
		case fi.IsDir():
			return "", fmt.Errorf("program %s is a folder; name the executable in it", prog)
		case fi.Mode()&0o111 == 0:
			return "", fmt.Errorf("program %s is not executable; chmod +x it, or run it with its interpreter, such as [node, %s]", prog, command[0])
		}
		return prog, nil
	}
	path, err := exec.LookPath(prog)
	if err != nil {
		return "", fmt.Errorf("program %q not found in PATH; install it, or give its path (./%s for one in the command's dir %s)", prog, prog, dir)
	}
	return filepath.Abs(path)
}

// Start starts cfg.Command on a loopback port claimed for it (see
// targets/internal/portclaim) and returns once it
// answers cfg.Ready. Like testcontainers-go's Run it returns the Server
// it started even on error, possibly nil, so that the caller can Stop it.
// A server that cannot start, exits or does not get ready in time is a
// *StartError.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	quoted := strings.Join(cfg.Command, " ")
	prog, err := Resolve(cfg.Command, cfg.Dir)
	if err != nil {
		return nil, &StartError{Command: quoted, Reason: err.Error()}
	}
	claim, err := portclaim.Take(1)
	if err != nil {
		return nil, fmt.Errorf("choosing a port for %s: %w", quoted, err)
	}
	ps := strconv.Itoa(claim.Ports()[0])
	args := make([]string, len(cfg.Command)-1)
	for i, a := range cfg.Command[1:] {
		args[i] = strings.ReplaceAll(a, "{port}", ps)
	}
	cmd := exec.Command(prog, args...)
	cmd.Args[0] = cfg.Command[0]
	cmd.Dir = cfg.Dir
	cmd.Env = os.Environ()
	for k, v := range cfg.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, "PORT="+ps)
	// A process group of its own, so that Stop reaches what it starts;
	// killed with coldbench if coldbench dies.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	tail := &procgroup.Tail{}
	cmd.Stdout = io.MultiWriter(orDiscard(cfg.Stdout), tail)
	cmd.Stderr = io.MultiWriter(orDiscard(cfg.Stderr), tail)
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		claim.Release()
		return nil, &StartError{Command: quoted, Reason: fmt.Sprintf("cannot start: %v", err)}
	}
	s := &Server{cmd: cmd, url: "http://127.0.0.1:" + ps, done: make(chan struct{})}
	s.claim = claim
	go func() {
		s.err = cmd.Wait()
		close(s.done)
	}()
	timeout := cfg.StartTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	if err := AwaitReady(ctx, s.url, cfg.Ready, timeout, s.done); err != nil {
		if errors.Is(err, errExited) {
			<-s.done
			return s, &StartError{Command: quoted, Tail: tail.String(),
				Reason: fmt.Sprintf("exited (%v) before answering %s %s; run it by hand to see why", s.err, cfg.Ready.Method, cfg.Ready.Path)}
		}
		var se *StartError
		if errors.As(err, &se) {
			se.Command, se.Tail = quoted, tail.String()
		}
		return s, err
	}
	return s, nil
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

// errExited is AwaitReady's error when exited was closed.
var errExited = errors.New("the server exited")

// AwaitReady sends the probe to base every 50 ms until it is answered with
// a status below 500. It returns errExited if exited is closed first, a
// *StartError (without Command) once timeout has passed, or ctx's error.
func AwaitReady(ctx context.Context, base string, r Probe, timeout time.Duration, exited <-chan struct{}) error {
	deadline := time.Now().Add(timeout)
	client := &http.Client{Timeout: 2 * time.Second}
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	var last string
	for {
		req, err := http.NewRequestWithContext(ctx, method, base+r.Path, bytes.NewReader(r.Body))
		if err != nil {
			return fmt.Errorf("readiness request: %w", err)
		}
		for k, v := range r.Header {
			req.Header[k] = v
		}
		resp, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
			if resp.StatusCode < 500 {
				return nil
			}
			last = "the last answer was " + resp.Status
		} else {
			last = "the last try: " + err.Error()
		}
		select {
		case <-exited:
			return errExited
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return &StartError{Reason: fmt.Sprintf("not ready after start_timeout %v: %s %s got no answer below 500 (%s); "+
				"check that it listens on PORT (or {port}) on 127.0.0.1, set ready: to a request it answers, or raise start_timeout", timeout, method, r.Path, last)}
		}
	}
}

// URL is the server's base URL, http://127.0.0.1:PORT.
func (s *Server) URL() string { return s.url }

// PID is the server's process id, which is also its process group id.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Done is closed once the server's process has exited.
func (s *Server) Done() <-chan struct{} { return s.done }

// Stop sends SIGTERM to the server's process group, waits until the
// process exits or ctx is done, then kills what is left of the group and
// waits for the process to be reaped. A server that exited on SIGTERM is
// no error. It is safe to call more than once and on a nil Server.
func (s *Server) Stop(ctx context.Context) error {
	if s == nil {
		return nil
	}
	s.stopOnce.Do(func() { s.stopErr = s.stop(ctx) })
	return s.stopErr
}

func (s *Server) stop(ctx context.Context) error {
	pid := s.cmd.Process.Pid
	_, exited, err := procgroup.Stop(ctx, pid, s.done, true)
	if err != nil {
		return err // the group may live on: its port stays claimed
	}
	s.claim.Release() // every process of the group is gone
	if exited && s.err != nil {
		return fmt.Errorf("server pid %d exited before it was stopped: %w", pid, s.err)
	}
	return nil
}
