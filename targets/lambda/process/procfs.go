package process

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
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
// 127.0.0.1:port. A readiness check that connected to the port does not
// prove it: another process (another provider's RIE, in the window
// between a reservation's close and this RIE's bind) may hold it, and
// this RIE then exits with "address already in use". It asks the sockets
// themselves: each socket of /proc/PID/fd is copied into this process
// (pidfd_getfd, which a parent may do to its child) and asked its address
// and whether it listens; /proc/net/tcp would say the same but takes
// milliseconds to read on this path. An error means it could not tell
// (a kernel before 5.6, no permission).
func listening(pid, port int) (bool, error) {
	pfd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return false, err
	}
	defer unix.Close(pfd)
	dir := "/proc/" + strconv.Itoa(pid) + "/fd"
	fds, err := os.ReadDir(dir)
	if err != nil {
		return false, err
	}
	for _, d := range fds {
		if link, err := os.Readlink(dir + "/" + d.Name()); err != nil || !strings.HasPrefix(link, "socket:") {
			continue
		}
		n, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		fd, err := unix.PidfdGetfd(pfd, n, 0)
		if err != nil {
			return false, err
		}
		ok := listensOn(fd, port)
		unix.Close(fd)
		if ok {
			return true, nil
		}
	}
	return false, nil
}

// listensOn reports whether socket fd listens on 127.0.0.1:port.
func listensOn(fd, port int) bool {
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return false
	}
	in4, ok := sa.(*unix.SockaddrInet4)
	if !ok || in4.Port != port || in4.Addr != [4]byte{127, 0, 0, 1} {
		return false
	}
	accepting, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ACCEPTCONN)
	return err == nil && accepting == 1
}
