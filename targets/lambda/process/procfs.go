package process

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/coldbench/coldbench/targets/internal/schedstat"
	"github.com/coldbench/coldbench/targets/lambda"
)

// sessionMembers lists the live (not zombie) processes of session sid but
// process except, from /proc.
func sessionMembers(sid, except int) []int {
	d, err := os.Open("/proc")
	if err != nil {
		return nil
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	var pids []int
	for _, name := range names {
		pid, err := strconv.Atoi(name)
		if err != nil || pid == except {
			continue
		}
		stat, err := os.ReadFile("/proc/" + name + "/stat")
		if err != nil {
			continue
		}
		if s, state, ok := session(stat); ok && s == sid && state != 'Z' {
			pids = append(pids, pid)
		}
	}
	return pids
}

// session parses the session id and state out of a /proc/PID/stat line:
// "pid (comm) state ppid pgrp session ...", where comm may hold anything.
func session(stat []byte) (sid int, state byte, ok bool) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, 0, false
	}
	f := bytes.Fields(stat[i+1:])
	if len(f) < 4 || len(f[0]) != 1 {
		return 0, 0, false
	}
	sid, err := strconv.Atoi(string(f[3]))
	return sid, f[0][0], err == nil
}

// killSession sends SIGKILL to every process of session sid but except.
func killSession(sid, except int) {
	for _, pid := range sessionMembers(sid, except) {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// awaitSessionGone waits up to d until session sid has no live process but
// except.
func awaitSessionGone(sid, except int, d time.Duration) {
	deadline := time.Now().Add(d)
	for len(sessionMembers(sid, except)) > 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
}

// members lists the environment's live processes for Usage: the RIE and,
// once INIT has started it, the bootstrap and whatever it started. A scan
// of /proc costs about a millisecond, so once the bootstrap is found the
// list is kept until one of them exits.
func (e *Environment) members() []int {
	e.pidsMu.Lock()
	defer e.pidsMu.Unlock()
	for _, pid := range e.pids {
		if syscall.Kill(pid, 0) != nil {
			e.pids = nil
			break
		}
	}
	if len(e.pids) > 1 {
		return e.pids
	}
	pids := sessionMembers(e.sid, 0)
	if len(pids) > 1 {
		e.pids = pids
	}
	return pids
}

var _ lambda.Accounted = (*Environment)(nil)

// Usage reads the CPU accounting of every thread of the environment's
// session. A process environment has no CPU quota: nothing is throttled.
func (e *Environment) Usage() (schedstat.Usage, error) {
	return schedstat.PIDs(e.members()...)
}
