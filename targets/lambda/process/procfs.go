package process

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
	"time"
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
