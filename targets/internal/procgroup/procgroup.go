// Package procgroup stops a server started in a process group of its own,
// and keeps the tail of what it writes for error messages: what the
// built-in server (targets/server) and a user's server command
// (targets/userserver) share.
package procgroup

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ReapTimeout bounds the wait for a killed process to be reaped.
const ReapTimeout = 10 * time.Second

// Stop stops the process pid, the leader of its process group, which has
// exited once done is closed: SIGTERM (to pid alone, or to the whole
// group with group), a wait until it exits or ctx is done, then SIGKILL
// to whatever is left of the group, and a wait of up to ReapTimeout for
// it to be reaped. graceful says it exited before ctx was done; exited
// that it had exited before Stop was called.
func Stop(ctx context.Context, pid int, done <-chan struct{}, group bool) (graceful, exited bool, err error) {
	graceful = true
	select {
	case <-done:
		exited = true
	default:
		target := pid
		if group {
			target = -pid
		}
		_ = syscall.Kill(target, syscall.SIGTERM)
		select {
		case <-done:
		case <-ctx.Done():
			graceful = false
		}
	}
	// Whatever is left in the group goes now; ESRCH means nothing was.
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	deadline := time.After(ReapTimeout)
	select {
	case <-done:
	case <-deadline:
		return graceful, exited, fmt.Errorf("server pid %d not reaped %v after SIGKILL", pid, ReapTimeout)
	}
	// SIGKILL is delivered asynchronously: the group's other processes
	// may still be running when the leader has been reaped.
	for len(members(pid)) > 0 {
		select {
		case <-deadline:
			return graceful, exited, fmt.Errorf("processes %v of server pid %d's group still alive %v after SIGKILL", members(pid), pid, ReapTimeout)
		case <-time.After(time.Millisecond):
		}
	}
	return graceful, exited, nil
}

// members lists the live (not zombie) processes of process group pgid,
// from /proc.
func members(pgid int) []int {
	names, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var pids []int
	for _, d := range names {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + d.Name() + "/stat")
		if err != nil {
			continue
		}
		// "pid (comm) state ppid pgrp ...", comm may hold anything.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		f := bytes.Fields(stat[i+1:])
		if len(f) >= 3 && string(f[0]) != "Z" && string(f[2]) == strconv.Itoa(pgid) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// TailBytes is how much of its output a Tail keeps.
const TailBytes = 2048

// Tail is a writer that keeps the last TailBytes written to it.
type Tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *Tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > TailBytes {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-TailBytes:]...)
	}
	return len(p), nil
}

// String returns what it kept, trimmed.
func (t *Tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.buf))
}
