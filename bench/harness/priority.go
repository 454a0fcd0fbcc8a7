package harness

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// HarnessNice is the autogroup nice value a run gives coldbench's own
// process (Config.Priority): about nine times the CPU weight of a nice-0
// group, so that the load generator and the router run ahead of the
// environments, the servers and the container engine they would otherwise
// queue behind. What the environments then wait is counted and taken out
// (host wait); what the harness waits is not, so it should not wait.
const HarnessNice = -10

// Paths of the kernel's autogroup settings (sched(7)).
const (
	autogroupSwitch = "/proc/sys/kernel/sched_autogroup_enabled"
	autogroupSelf   = "/proc/self/autogroup"
)

// raisePriority gives this process's autogroup the nice value nice and
// returns a function that puts the old value back, and a note for the
// run's notes saying what it did or why it could not.
//
// Linux schedules the processes of each session (each autogroup) as one
// group with one weight, set by the group's nice value. coldbench and
// everything else in the session it was started from share a group; each
// RIE of process mode runs in a session of its own (Setsid), so ten INITs
// are ten groups against coldbench's one, and the containers' cgroup is
// one more. Writing a lower nice value needs CAP_SYS_NICE (root), else the
// note says so and nothing changes; groups apply only to processes of the
// root CPU cgroup.
// The session's group keeps the value until restore runs: Run calls it
// before it returns, Ctrl-C included.
func raisePriority(nice int) (restore func(), note string) {
	restore = func() {}
	if b, err := os.ReadFile(autogroupSwitch); err != nil || strings.TrimSpace(string(b)) != "1" {
		return restore, "coldbench's own process ran at the same CPU priority as its targets: this kernel does not group processes by session (autogroup)."
	}
	b, err := os.ReadFile(autogroupSelf)
	if err != nil {
		return restore, "coldbench's own process ran at the same CPU priority as its targets: " + err.Error() + "."
	}
	old, ok := parseAutogroup(b)
	if !ok {
		return restore, fmt.Sprintf("coldbench's own process ran at the same CPU priority as its targets: %s reads %q.", autogroupSelf, bytes.TrimSpace(b))
	}
	if err := os.WriteFile(autogroupSelf, []byte(strconv.Itoa(nice)), 0); err != nil {
		return restore, fmt.Sprintf("coldbench's own process ran at the same CPU priority as its targets: raising it needs root (CAP_SYS_NICE): %v. Its share of a request's latency (outside the router) then waits for the CPU too.", err)
	}
	restore = func() { _ = os.WriteFile(autogroupSelf, []byte(strconv.Itoa(old)), 0) }
	return restore, fmt.Sprintf("coldbench's own process (the load generator and the router) ran ahead of its targets for the CPU: its session's group had nice %d, theirs 0 (Linux autogroup; where coldbench's CPU cgroup is not the root one, it has no effect), for the run.", nice)
}

// parseAutogroup reads the nice value out of /proc/self/autogroup,
// "/autogroup-6 nice 0".
func parseAutogroup(b []byte) (int, bool) {
	f := strings.Fields(string(b))
	if len(f) != 3 || f[1] != "nice" {
		return 0, false
	}
	n, err := strconv.Atoi(f[2])
	return n, err == nil
}
