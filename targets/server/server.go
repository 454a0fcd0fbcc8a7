// Package server starts and stops the dedicated target, the binary built
// from targets/cmd/server, as a local process.
package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/coldbench/coldbench/targets/internal/procgroup"
	"github.com/coldbench/coldbench/targets/order"
)

// Config says how to run the server.
type Config struct {
	// Addr is the listen address; empty means 127.0.0.1:0.
	Addr string
	// Work is passed to the server through its environment.
	Work order.Work
	// Env holds extra NAME=value environment variables (GOMAXPROCS=1, …).
	Env []string
	// Output receives the server's stderr and its stdout after the
	// "listening on" line, one Write at a time; nil discards them.
	Output io.Writer
}

// Server is a running server process.
type Server struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{} // closed once the process is reaped
	err  error         // Wait's error, set before done is closed

	stopOnce sync.Once
	stopErr  error
}

// listeningPrefix starts the line the server prints once it accepts
// connections.
const listeningPrefix = "listening on "

// Run starts the server binary bin and returns once it accepts connections.
// Like testcontainers-go's Run it returns the Server it started even on
// error, possibly nil, so that the caller can Stop it.
func Run(ctx context.Context, bin string, cfg Config) (*Server, error) {
	addr := cfg.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	cmd := exec.Command(bin, "-addr", addr)
	cmd.Env = append(append(environ(), cfg.Work.Env()...), cfg.Env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	out := cfg.Output
	if out == nil {
		out = io.Discard
	}
	tail := &procgroup.Tail{}
	output := io.MultiWriter(out, tail)
	cmd.Stderr = output
	cmd.WaitDelay = time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &Server{cmd: cmd, done: make(chan struct{})}

	lines := make(chan string, 1)
	go func() {
		br := bufio.NewReader(stdout)
		line, err := br.ReadString('\n')
		if err == nil {
			lines <- line
		}
		close(lines)
		io.Copy(output, br)
		s.err = cmd.Wait() // after the pipe is drained, as Wait requires
		close(s.done)
	}()

	select {
	case line, ok := <-lines:
		if u, found := strings.CutPrefix(strings.TrimSpace(line), listeningPrefix); ok && found {
			s.url = u
			return s, nil
		}
		<-s.done
		return s, fmt.Errorf("%s exited before listening (%v): %s", bin, s.err, tail.String())
	case <-ctx.Done():
		return s, fmt.Errorf("%s did not listen: %w", bin, ctx.Err())
	}
}

// environ is this process's environment without the work knobs, which
// come from Config.Work only.
func environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "COLDBENCH_") {
			env = append(env, kv)
		}
	}
	return env
}

// URL is the server's base URL, http://127.0.0.1:PORT.
func (s *Server) URL() string { return s.url }

// Done is closed once the server process has exited.
func (s *Server) Done() <-chan struct{} { return s.done }

// PID is the server's process id, which is also its process group id.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Stop sends SIGTERM, waits for the graceful shutdown until ctx is done,
// then kills the process group and waits for the process to be reaped. It is
// safe to call more than once; a nil Server is stopped.
func (s *Server) Stop(ctx context.Context) error {
	if s == nil {
		return nil
	}
	s.stopOnce.Do(func() { s.stopErr = s.stop(ctx) })
	return s.stopErr
}

func (s *Server) stop(ctx context.Context) error {
	pid := s.cmd.Process.Pid
	// SIGTERM to the server alone, so that it shuts down gracefully
	// before the rest of its group is killed.
	graceful, _, err := procgroup.Stop(ctx, pid, s.done, false)
	if err != nil {
		return err
	}
	if !graceful {
		return fmt.Errorf("server pid %d killed, no graceful shutdown: %w", pid, ctx.Err())
	}
	return s.err
}
