package docker

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// owner identifies a process across pid reuse: the host, the pid and the
// process's start time in clock ticks after boot (field 22 of
// /proc/PID/stat). Its label form is "host:pid:start".
type owner struct {
	host  string
	pid   int
	start uint64
}

func (o owner) String() string { return fmt.Sprintf("%s:%d:%d", o.host, o.pid, o.start) }

// self is the owner of the containers this process starts.
func self() (owner, error) {
	host, err := os.Hostname()
	if err != nil {
		return owner{}, err
	}
	pid := os.Getpid()
	start, ok := processStart(pid)
	if !ok {
		return owner{}, fmt.Errorf("cannot read the start time of process %d from /proc", pid)
	}
	return owner{host: host, pid: pid, start: start}, nil
}

// parseOwner parses an owner label. The host may contain ':'; the last
// two fields are numbers.
func parseOwner(s string) (owner, bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return owner{}, false
	}
	j := strings.LastIndexByte(s[:i], ':')
	if j <= 0 {
		return owner{}, false
	}
	pid, err1 := strconv.Atoi(s[j+1 : i])
	start, err2 := strconv.ParseUint(s[i+1:], 10, 64)
	if err1 != nil || err2 != nil || pid <= 0 {
		return owner{}, false
	}
	return owner{host: s[:j], pid: pid, start: start}, true
}

// alive says whether o's process still runs on this host: its pid exists,
// is no zombie and started at o's start time (else the pid was reused).
func (o owner) alive() bool {
	start, ok := processStart(o.pid)
	return ok && start == o.start
}

// processStart is the start time of live (not zombie) process pid, in clock
// ticks after boot.
func processStart(pid int) (uint64, bool) {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	return parseStart(stat)
}

// parseStart reads the state and start time out of a /proc/PID/stat line:
// "pid (comm) state ppid ... starttime ...", where comm may hold anything
// and starttime is field 22.
func parseStart(stat []byte) (uint64, bool) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, false
	}
	f := bytes.Fields(stat[i+1:]) // f[0] is field 3, the state
	if len(f) < 20 || len(f[0]) != 1 || f[0][0] == 'Z' || f[0][0] == 'X' {
		return 0, false
	}
	start, err := strconv.ParseUint(string(f[19]), 10, 64)
	return start, err == nil
}

// Owner is the LabelOwner value of the containers this process starts,
// "host:pid:start".
func Owner() (string, error) {
	o, err := self()
	if err != nil {
		return "", err
	}
	return o.String(), nil
}

// OwnerLabels returns the labels that make a container coldbench's and
// this process's (LabelApp, LabelOwner): Sweep removes it once this
// process is gone, whoever started it.
func OwnerLabels() (map[string]string, error) {
	o, err := self()
	if err != nil {
		return nil, err
	}
	return map[string]string{LabelApp: "1", LabelOwner: o.String()}, nil
}
