package lambdakind

import (
	"context"
	"fmt"
	"io"

	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/process"
)

// sandboxes knows where execution environments can run on this machine and
// makes providers for them.
type sandboxes struct {
	have     []Sandbox      // every runtime this machine has, for the probes
	docker   *dockerRuntime // nil without a Docker engine
	noDocker error          // why there is none
	bins     struct{ rie, bootstrap string }
}

// newSandboxes looks for a Docker engine beside local processes; without
// one, rt.noDocker says why.
func newSandboxes(ctx context.Context, rie, bootstrap string) *sandboxes {
	rt := &sandboxes{have: []Sandbox{Process}}
	rt.bins.rie, rt.bins.bootstrap = rie, bootstrap
	d, err := newDockerRuntime(ctx)
	if err != nil {
		rt.noDocker = err
		return rt
	}
	rt.docker = d
	rt.have = append(rt.have, Container)
	return rt
}

// resolve resolves want (auto, container or process) against this
// machine, and says why: auto takes containers where a Docker engine
// answers.
func (rt *sandboxes) resolve(want Sandbox) (Sandbox, string, error) {
	switch want {
	case Process:
		return Process, "local processes, as the scenario or -sandbox asked", nil
	case Container:
		if rt.docker == nil {
			return "", "", fmt.Errorf("sandbox container: %w; run with -sandbox process (make bench SANDBOX=process) to use local processes", rt.noDocker)
		}
		return Container, "containers, as the scenario or -sandbox asked", nil
	}
	if rt.docker == nil {
		return Process, fmt.Sprintf("local processes, because %v", rt.noDocker), nil
	}
	return Container, "containers, because a Docker engine answered", nil
}

// notes says what a reader of the report should know about where target
// t's environments run; named says to name t (the run has several
// functions).
func (rt *sandboxes) notes(t scenario.Target, chosen Sandbox, why string, named bool) []string {
	of := ""
	if named {
		of = " of " + t.Name
	}
	notes := []string{"Lambda execution environments" + of + " ran as " + why + "."}
	if chosen == Container {
		n := resourceNote(Settings(t).MemoryMB)
		if named {
			n = t.Name + ": " + n
		}
		notes = append(notes, n)
	}
	if rt.docker != nil && rt.docker.swept > 0 {
		notes = append(notes, fmt.Sprintf("Removed %d containers left behind by earlier runs that were killed.", rt.docker.swept))
	}
	return notes
}

// provider returns a Provider of runtime name running c whose
// environments' output goes to out, and what stops everything it
// started.
func (rt *sandboxes) provider(ctx context.Context, name Sandbox, c *code, out io.Writer) (lambda.Provider, func(context.Context) error, error) {
	if name == Container {
		return rt.docker.provider(ctx, rt.bins.rie, c, out)
	}
	if c.image != "" {
		return nil, nil, fmt.Errorf("an image runs only in containers, not as %s", name)
	}
	if h := c.handler; h != nil {
		p := process.New(rt.bins.rie, h.interp.Path, process.WithOutput(out),
			process.WithArgs(h.command(h.client)[1:]...), process.WithTaskRoot(h.taskRoot))
		return p, func(context.Context) error { return nil }, nil
	}
	p := process.New(rt.bins.rie, c.bootstrap, process.WithOutput(out))
	return p, func(context.Context) error { return nil }, nil
}
