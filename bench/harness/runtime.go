package harness

import (
	"context"
	"fmt"
	"io"

	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/process"
)

// runtimes knows where execution environments can run on this machine and
// makes providers for them.
type runtimes struct {
	chosen scenario.Runtime   // where the load's environments run: Process or Container
	why    string             // why, for the terminal and the report
	have   []scenario.Runtime // every runtime this machine has, for the probes
	docker *dockerRuntime     // nil without a Docker engine
	bins   struct{ rie, bootstrap string }
}

// chooseRuntime resolves want (auto, container or process) against this
// machine: auto takes containers where a Docker engine answers.
func chooseRuntime(ctx context.Context, want scenario.Runtime, rie, bootstrap string) (*runtimes, error) {
	rt := &runtimes{have: []scenario.Runtime{scenario.Process}}
	rt.bins.rie, rt.bins.bootstrap = rie, bootstrap
	d, derr := newDockerRuntime(ctx)
	if derr == nil {
		rt.docker = d
		rt.have = append(rt.have, scenario.Container)
	}
	switch want {
	case scenario.Process:
		rt.chosen, rt.why = scenario.Process, "local processes, as the scenario or -runtime asked"
	case scenario.Container:
		if derr != nil {
			return rt, fmt.Errorf("runtime container: %w; run with -runtime process (make bench RUNTIME=process) to use local processes", derr)
		}
		rt.chosen, rt.why = scenario.Container, "containers, as the scenario or -runtime asked"
	default:
		if derr != nil {
			rt.chosen, rt.why = scenario.Process, fmt.Sprintf("local processes, because %v", derr)
		} else {
			rt.chosen, rt.why = scenario.Container, "containers, because a Docker engine answered"
		}
	}
	return rt, nil
}

// notes says what a reader of the report should know about the runtimes.
func (rt *runtimes) notes(memoryMB int) []string {
	notes := []string{"Lambda execution environments ran as " + rt.why + "."}
	if rt.chosen == scenario.Container {
		notes = append(notes, resourceNote(memoryMB))
	}
	if rt.docker != nil && rt.docker.swept > 0 {
		notes = append(notes, fmt.Sprintf("Removed %d containers left behind by earlier runs that were killed.", rt.docker.swept))
	}
	return notes
}

// provider returns a Provider of runtime name whose environments' output
// goes to out, and what stops everything it started.
func (rt *runtimes) provider(ctx context.Context, name scenario.Runtime, out io.Writer) (lambda.Provider, func(context.Context) error, error) {
	if name == scenario.Container {
		return rt.docker.provider(ctx, rt.bins.rie, rt.bins.bootstrap, out)
	}
	p := process.New(rt.bins.rie, rt.bins.bootstrap, process.WithOutput(out))
	return p, func(context.Context) error { return nil }, nil
}
