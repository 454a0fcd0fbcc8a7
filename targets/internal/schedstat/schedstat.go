// Package schedstat reads the kernel's CPU accounting of a set of threads
// and turns two readings into the time those threads waited for a CPU
// because the machine was busy: the host wait, which a cloud function with
// its own vCPUs would not have seen.
//
// The kernel keeps, per thread, the time it ran and the time it was
// runnable but not running (/proc/<pid>/task/<tid>/schedstat, fields 1
// and 2, in ns; the second is the scheduler's run_delay). A thread held
// back by its cgroup's CPU quota is still runnable, so run_delay counts
// that time too; the cgroup's cpu.stat says how long the quota held the
// group (throttled_time, ns, on cgroup v1; throttled_usec on v2). That
// part is the memory→CPU share Lambda gives a function, and stays in the
// latency. HostWait writes the rule down.
package schedstat

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"time"
)

// Thread is one thread's accounting: the time it ran and the time it was
// runnable but waited for a CPU, from its birth.
type Thread struct {
	CPU  time.Duration
	Wait time.Duration
}

// Usage is a reading of a set of threads, keyed by thread id, and of
// their cgroup's throttled time (zero where there is no quota or no
// cgroup read).
type Usage struct {
	Threads   map[int]Thread
	Throttled time.Duration
}

// PIDs reads every thread of the processes pids. A process that has
// exited meanwhile is skipped; the error is for a /proc that cannot be
// read at all.
func PIDs(pids ...int) (Usage, error) {
	u := Usage{Threads: map[int]Thread{}}
	for _, pid := range pids {
		dir := "/proc/" + strconv.Itoa(pid) + "/task"
		d, err := os.Open(dir)
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			return u, err
		}
		names, _ := d.Readdirnames(-1)
		d.Close()
		for _, n := range names {
			tid, err := strconv.Atoi(n)
			if err != nil {
				continue
			}
			if t, ok := readThread(dir + "/" + n + "/schedstat"); ok {
				u.Threads[tid] = t
			}
		}
	}
	return u, nil
}

// TIDs reads the threads tids; those gone meanwhile are skipped.
func TIDs(tids []int) Usage {
	u := Usage{Threads: make(map[int]Thread, len(tids))}
	for _, tid := range tids {
		// /proc/<tid> resolves any thread id, listed in /proc or not.
		if t, ok := readThread("/proc/" + strconv.Itoa(tid) + "/schedstat"); ok {
			u.Threads[tid] = t
		}
	}
	return u
}

// Self reads every thread of the calling process.
func Self() (Usage, error) { return PIDs(os.Getpid()) }

// readThread parses a schedstat file: "cpu_ns run_delay_ns timeslices".
func readThread(path string) (Thread, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Thread{}, false
	}
	t, err := parse(b)
	return t, err == nil
}

func parse(b []byte) (Thread, error) {
	f := bytes.Fields(b)
	if len(f) < 2 {
		return Thread{}, fmt.Errorf("schedstat: %q: want 3 fields", b)
	}
	cpu, err1 := strconv.ParseInt(string(f[0]), 10, 64)
	wait, err2 := strconv.ParseInt(string(f[1]), 10, 64)
	if err1 != nil || err2 != nil {
		return Thread{}, fmt.Errorf("schedstat: %q: not numbers", b)
	}
	return Thread{CPU: time.Duration(cpu), Wait: time.Duration(wait)}, nil
}

// Delta is what a set of threads did between two readings.
type Delta struct {
	CPU time.Duration // summed over the threads
	// Wait is the threads' run_delay, each thread's weighted by its CPU
	// time against the busiest thread's (see HostWait).
	Wait      time.Duration
	Throttled time.Duration // the cgroup's quota held it back
}

// Sub returns what happened between before and u. A thread in u but not
// in before was born in between and counts from its birth; a thread in
// before but not in u ended in between, and its last part is lost (the
// kernel keeps no counters of a dead thread).
func (u Usage) Sub(before Usage) Delta {
	var d Delta
	var busiest time.Duration
	type td struct{ cpu, wait time.Duration }
	ds := make([]td, 0, len(u.Threads))
	for tid, t := range u.Threads {
		b := before.Threads[tid]
		x := td{max(t.CPU-b.CPU, 0), max(t.Wait-b.Wait, 0)}
		ds = append(ds, x)
		d.CPU += x.cpu
		busiest = max(busiest, x.cpu)
	}
	for _, x := range ds {
		if busiest > 0 {
			d.Wait += time.Duration(float64(x.wait) * float64(x.cpu) / float64(busiest))
		}
	}
	d.Throttled = max(u.Throttled-before.Throttled, 0)
	return d
}

// HostWait is the part of wall, the time a set of threads was watched,
// that they spent waiting for a CPU the machine gave to something else:
//
//	host wait = min(Σ wᵢ·cpuᵢ/cpuₘₐₓ, wall − Σ cpuᵢ) − throttled, within [0, wall]
//
// where wᵢ is thread i's run_delay and cpuᵢ its CPU time (Usage.Sub sums
// the first term).
//
//   - Several threads waiting at once are not several times the delay. A
//     Go runtime's monitor thread, for one, wakes every few milliseconds
//     and queues for a CPU alongside the thread doing the work: 39 ms of
//     wait for 0.6 ms of CPU beside the worker's 104 ms for 41 ms (a
//     probe of 8 INITs on 2 cores, 2026-12-07). So each thread's wait
//     counts in proportion to the work it did against the busiest
//     thread: the worker's in full, the monitor's at 1.5%. Threads that
//     hand the work to each other with equal shares count in full, which
//     is what a chain of them waits. A chain with a small link (an RIE
//     thread relaying an invoke) is undercounted: the host wait is then
//     too small, never too large.
//   - wall − Σ cpu caps it: the most the work could have been delayed had
//     it run on its threads one after another, which is what Lambda's one
//     vCPU or less (up to 1,769 MB) gives it.
//   - throttled is the time the cgroup's own quota held the threads back:
//     the CPU share their memory size buys, which stays in the latency.
//
// Steal time (the hypervisor running another guest) is not in run_delay
// and is not taken out.
func HostWait(d Delta, wall time.Duration) time.Duration {
	w := min(d.Wait, wall-d.CPU) - d.Throttled
	return min(max(w, 0), max(wall, 0))
}
