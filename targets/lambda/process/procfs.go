package process

import (
	"bytes"
	"os"
	"strconv"
	"strings"
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

// listening reports whether process pid holds the socket listening on
// 127.0.0.1:port: the inode of that listener in /proc/net/tcp is one of
// the sockets of /proc/PID/fd. A readiness check that connected to the
// port does not prove it: another process (another provider's RIE, in
// the window between a reservation's close and this RIE's bind) may hold
// it, and this RIE then exits with "address already in use".
func listening(pid, port int) (bool, error) {
	tcp, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		return false, err
	}
	inode := listenInode(tcp, port)
	if inode == "" {
		return false, nil
	}
	dir := "/proc/" + strconv.Itoa(pid) + "/fd"
	fds, err := os.ReadDir(dir)
	if err != nil {
		return false, err
	}
	want := "socket:[" + inode + "]"
	for _, fd := range fds {
		if link, err := os.Readlink(dir + "/" + fd.Name()); err == nil && link == want {
			return true, nil
		}
	}
	return false, nil
}

// listenInode returns the inode of the socket listening on 127.0.0.1:port
// in the text of /proc/net/tcp ("sl local_address rem_address st ...
// inode", addresses as little-endian hex IP:port, state 0A LISTEN), or "".
func listenInode(tcp []byte, port int) string {
	local := []byte("0100007F:" + strings.ToUpper(strconv.FormatInt(int64(port)|0x10000, 16)[1:]))
	for _, line := range bytes.Split(tcp, []byte("\n"))[1:] {
		f := bytes.Fields(line)
		if len(f) >= 10 && bytes.Equal(f[1], local) && string(f[3]) == "0A" {
			return string(f[9])
		}
	}
	return ""
}
