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
