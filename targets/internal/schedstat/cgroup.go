package schedstat

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Cgroup is the CPU cgroup of a container: its threads and its quota's
// throttled time.
type Cgroup struct {
	dir string // the cgroup's folder under /sys/fs/cgroup
	v2  bool
}

// CgroupOf returns the CPU cgroup process pid belongs to (a container's
// main process, by its host pid), on cgroup v1 (the cpu controller's
// hierarchy) or v2 (the unified one).
func CgroupOf(pid int) (Cgroup, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cgroup")
	if err != nil {
		return Cgroup{}, err
	}
	var unified string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		// "hierarchy-id:controllers:path"; v2's line is "0::path".
		parts := strings.SplitN(sc.Text(), ":", 3)
		if len(parts) != 3 {
			continue
		}
		if parts[0] == "0" && parts[1] == "" {
			unified = parts[2]
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			if c != "cpu" {
				continue
			}
			for _, mount := range []string{"cpu", "cpu,cpuacct", "cpuacct,cpu"} {
				dir := filepath.Join("/sys/fs/cgroup", mount, parts[2])
				if _, err := os.Stat(filepath.Join(dir, "tasks")); err == nil {
					return Cgroup{dir: dir}, nil
				}
			}
		}
	}
	if unified != "" {
		dir := filepath.Join("/sys/fs/cgroup", unified)
		if _, err := os.Stat(filepath.Join(dir, "cgroup.threads")); err == nil {
			return Cgroup{dir: dir, v2: true}, nil
		}
	}
	return Cgroup{}, fmt.Errorf("schedstat: no CPU cgroup of process %d found under /sys/fs/cgroup", pid)
}

// Dir returns the cgroup's folder.
func (c Cgroup) Dir() string { return c.dir }

// Read reads every thread of the cgroup and its throttled time.
func (c Cgroup) Read() (Usage, error) {
	if c.dir == "" {
		return Usage{}, errors.New("schedstat: no cgroup")
	}
	name := "tasks"
	if c.v2 {
		name = "cgroup.threads"
	}
	b, err := os.ReadFile(filepath.Join(c.dir, name))
	if err != nil {
		return Usage{}, err
	}
	var tids []int
	for _, f := range bytes.Fields(b) {
		if tid, err := strconv.Atoi(string(f)); err == nil {
			tids = append(tids, tid)
		}
	}
	u := TIDs(tids)
	u.Throttled, err = c.throttled()
	return u, err
}

// throttled reads the cgroup's throttled time from its cpu.stat.
func (c Cgroup) throttled() (time.Duration, error) {
	b, err := os.ReadFile(filepath.Join(c.dir, "cpu.stat"))
	if err != nil {
		return 0, err
	}
	return ParseThrottled(b, c.v2)
}

// ParseThrottled reads the throttled time out of a cgroup's cpu.stat:
// throttled_time (ns) on v1, throttled_usec on v2.
func ParseThrottled(cpuStat []byte, v2 bool) (time.Duration, error) {
	key, unit := "throttled_time", time.Nanosecond
	if v2 {
		key, unit = "throttled_usec", time.Microsecond
	}
	sc := bufio.NewScanner(bytes.NewReader(cpuStat))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), " ")
		if !ok || k != key {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("schedstat: cpu.stat %s: %w", key, err)
		}
		return time.Duration(n) * unit, nil
	}
	return 0, nil // no quota accounting: never throttled
}
