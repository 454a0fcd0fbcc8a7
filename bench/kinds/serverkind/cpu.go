package serverkind

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/record"
)

// cpuUsage is the CPU time a server process used while the schedule ran.
type cpuUsage struct {
	used time.Duration
	tick time.Duration // what /proc counts it in
	how  string        // how it was measured, or why it could not be
	err  error
}

// meter reads the CPU time of the process pid now, before the load, and
// returns what reads it again after the load and returns the difference.
func meter(pid int) func() *cpuUsage {
	hz, hzHow := clockTicks()
	before, errBefore := procCPU(pid, hz)
	return func() *cpuUsage {
		after, errAfter := procCPU(pid, hz)
		return &cpuUsage{used: after - before, err: errors.Join(errBefore, errAfter), tick: time.Second / time.Duration(hz),
			how: fmt.Sprintf("utime+stime of /proc/%d/stat before and after the load, %d ticks a second (%s)", pid, hz, hzHow)}
	}
}

// procCPU returns the user and system CPU time the process pid has used,
// from /proc/<pid>/stat, whose times count clock ticks of hz a second.
func procCPU(pid int, hz int64) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// pid (comm) state ppid …: comm may hold spaces and parentheses, so
	// the fields are counted from the last ')'. After it, utime and stime
	// are the 12th and 13th (fields 14 and 15 of proc(5)).
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no ')' in %q", pid, s)
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields after the command name, want at least 13", pid, len(f))
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
	}
	return time.Duration(utime+stime) * time.Second / time.Duration(hz), nil
}

// atClkTck is the key of the clock-tick rate in the auxiliary vector, the
// value sysconf(_SC_CLK_TCK) returns (AT_CLKTCK in <elf.h>).
const atClkTck = 17

// clockTicks returns the rate of the clock ticks /proc counts CPU time in,
// and how it knows: from the auxiliary vector the kernel gave this process
// (/proc/self/auxv), as C's sysconf(_SC_CLK_TCK) does, or else Linux's
// USER_HZ, 100, which every architecture Go runs on uses.
func clockTicks() (int64, string) {
	b, err := os.ReadFile("/proc/self/auxv")
	if err == nil {
		word := strconv.IntSize / 8
		read := func(p []byte) uint64 {
			if word == 4 {
				return uint64(binary.NativeEndian.Uint32(p))
			}
			return binary.NativeEndian.Uint64(p)
		}
		for i := 0; i+2*word <= len(b); i += 2 * word {
			key, val := read(b[i:]), read(b[i+word:])
			if key == 0 {
				break
			}
			if key == atClkTck && val > 0 && val < 1e6 {
				return int64(val), "AT_CLKTCK of /proc/self/auxv"
			}
		}
	}
	return 100, "Linux's USER_HZ: /proc/self/auxv had no AT_CLKTCK"
}

// serverUsage returns what the server t used; cpu is nil if its CPU time
// was not measured.
func serverUsage(t *record.Target, cpu *cpuUsage) *cost.ServerUsage {
	u := &cost.ServerUsage{}
	if all := t.Classes[record.All]; all != nil {
		u.Requests, u.Served = all.Counts.Requests, all.Counts.Requests-all.Counts.Errors
	}
	switch {
	case cpu == nil:
		u.Source = "the server's CPU time was not read"
	case cpu.err != nil:
		u.Source = fmt.Sprintf("the server's CPU time could not be read: %v", cpu.err)
	case cpu.used <= 0:
		u.Source = fmt.Sprintf("the server used less CPU than /proc counts (%s)", cpu.how)
	default:
		u.CPUSeconds, u.Source = cpu.used.Seconds(), cpu.how
	}
	return u
}

// meterGroup is meter for a user's server: it reads the CPU time of every
// process in the process group pgid (groupCPU), so that the workers a
// server forks count too.
func meterGroup(pgid int) func() *cpuUsage {
	hz, hzHow := clockTicks()
	before, errBefore := groupCPU(pgid, hz)
	return func() *cpuUsage {
		after, errAfter := groupCPU(pgid, hz)
		return &cpuUsage{used: after - before, err: errors.Join(errBefore, errAfter), tick: time.Second / time.Duration(hz),
			how: fmt.Sprintf("utime+stime+cutime+cstime of the processes of group %d in /proc/<pid>/stat before and after the load, %d ticks a second (%s)", pgid, hz, hzHow)}
	}
}

// groupCPU returns the CPU time the processes of group pgid have used,
// their own and that of their children they reaped (cutime, cstime): a
// child's time moves to its parent's when it is reaped, so the sum over
// the live members counts every process the group ran that a member
// reaped. An error if the group's leader is gone.
func groupCPU(pgid int, hz int64) (time.Duration, error) {
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", pgid)); err != nil {
		return 0, err
	}
	dirs, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	var ticks int64
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue // gone meanwhile
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		// After ')': state ppid pgrp … utime(11) stime(12) cutime(13) cstime(14).
		f := strings.Fields(s[i+1:])
		if len(f) < 15 || f[2] != strconv.Itoa(pgid) {
			continue
		}
		for _, j := range []int{11, 12, 13, 14} {
			n, err := strconv.ParseInt(f[j], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
			}
			ticks += n
		}
	}
	return time.Duration(ticks) * time.Second / time.Duration(hz), nil
}
