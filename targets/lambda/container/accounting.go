package container

import (
	"context"
	"errors"
	"strings"

	"github.com/testcontainers/testcontainers-go"

	"github.com/coldbench/coldbench/targets/internal/schedstat"
	"github.com/coldbench/coldbench/targets/lambda"
)

var _ lambda.Accounted = (*Environment)(nil)

// cgroupOf finds the CPU cgroup of container id through its main process's
// host pid, or returns the zero Cgroup where it cannot be read from here:
// an engine on another machine or in a VM (Docker Desktop), whose pids are
// not this machine's. A cgroup whose path does not name the container (the
// pid belongs to some other process here) counts as not found.
func cgroupOf(ctx context.Context, ctr testcontainers.Container, id string) schedstat.Cgroup {
	st, err := ctr.State(ctx)
	if err != nil || st.Pid <= 0 {
		return schedstat.Cgroup{}
	}
	cg, err := schedstat.CgroupOf(st.Pid)
	if err != nil || !strings.Contains(cg.Dir(), id) {
		return schedstat.Cgroup{}
	}
	return cg
}

// Usage reads the CPU accounting of every thread in the container's cgroup
// (the RIE, the bootstrap and what it started) and the time its CPU quota
// (the memory's share) throttled it.
func (e *Environment) Usage() (schedstat.Usage, error) {
	if e.cgroup.Dir() == "" {
		return schedstat.Usage{}, errors.New("container's cgroup not readable from this machine")
	}
	return e.cgroup.Read()
}
