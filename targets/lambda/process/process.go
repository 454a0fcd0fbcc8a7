// Package process is the lambda.Provider that runs each execution
// environment as local processes: one aws-lambda-rie, listening on two
// loopback ports claimed for it (see targets/internal/portclaim: outside the
// kernel's ephemeral range, never handed to two environments of any
// coldbench process), which starts the function's bootstrap on the first
// invoke.
//
// The RIE starts the bootstrap in a process group of its own, so an
// environment is started in a session of its own and stopped by killing
// that session's processes: nothing it started outlives Stop. Pdeathsig
// kills the RIE if the caller dies; the bootstrap then exits by itself when
// its Runtime API goes away.
package process

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/coldbench/coldbench/targets/internal/portclaim"
	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/internal/envlog"
)

var _ lambda.Provider = (*Provider)(nil)

// Provider starts environments as local processes.
type Provider struct {
	rie, bootstrap string
	args           []string // after the bootstrap; see WithArgs
	taskRoot       string   // the working directory and LAMBDA_TASK_ROOT
	out            *envlog.LockedWriter
	stopGrace      time.Duration
	seq            atomic.Int64
}

// Option configures a Provider.
type Option func(*Provider)

// WithOutput sends every environment's stdout and stderr (the RIE's START,
// END and REPORT lines and the function's logs) to w, one line per Write,
// each prefixed with "[ID] ". Writes are serialized. The default discards
// them.
func WithOutput(w io.Writer) Option {
	return func(p *Provider) { p.out = &envlog.LockedWriter{W: w} }
}

// WithArgs gives the bootstrap arguments: the RIE starts it with them, and
// takes the last for the handler (_HANDLER). A runtime client of
// targets/lambda/runtimes is started so, on an interpreter.
func WithArgs(args ...string) Option {
	return func(p *Provider) { p.args = args }
}

// WithTaskRoot sets the function's folder, Lambda's /var/task: the
// environments' working directory and LAMBDA_TASK_ROOT. The default is
// the bootstrap's folder.
func WithTaskRoot(dir string) Option {
	return func(p *Provider) { p.taskRoot = absPath(dir) }
}

// New returns a Provider that runs the RIE binary rieBin with the
// function's bootstrap binary bootstrapBin (both static binaries; see
// targets/build).
func New(rieBin, bootstrapBin string, opts ...Option) *Provider {
	p := &Provider{
		rie:       absPath(rieBin),
		bootstrap: absPath(bootstrapBin),
		out:       &envlog.LockedWriter{W: io.Discard},
		stopGrace: 2 * time.Second,
	}
	for _, o := range opts {
		o(p)
	}
	if p.taskRoot == "" {
		p.taskRoot = filepath.Dir(p.bootstrap)
	}
	return p
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// Name is "process".
func (p *Provider) Name() string { return lambda.ProcessSandbox }

// startAttempts bounds the retries when a program that is not coldbench
// bound a claimed port by its number between the claim's check and the
// RIE's bind.
const startAttempts = 3

// Start starts an RIE for spec on two claimed loopback ports and returns
// once both of its ports accept connections. The bootstrap itself starts on
// the first invoke (the RIE's init is lazy). If the RIE exits at start-up
// because a port was in use after all, Start retries with other ports. On
// error the environment, if any, has been stopped.
func (p *Provider) Start(ctx context.Context, spec lambda.Spec) (lambda.Environment, error) {
	if spec.ID == "" {
		spec.ID = "env-" + strconv.FormatInt(p.seq.Add(1), 10)
	}
	var err error
	for range startAttempts {
		var e *Environment
		e, err = p.start(ctx, spec)
		if err == nil {
			return e, nil
		}
		if e == nil {
			return nil, err
		}
		stopErr := e.Stop(context.WithoutCancel(ctx))
		if !e.bindRace() || ctx.Err() != nil {
			return e, errors.Join(err, stopErr)
		}
	}
	return nil, err
}

// start makes one attempt.
func (p *Provider) start(ctx context.Context, spec lambda.Spec) (*Environment, error) {
	claim, err := portclaim.Take(2)
	if err != nil {
		return nil, err
	}
	apiAddr, rapidAddr := claim.Addr(0), claim.Addr(1)
	cmd := exec.Command(p.rie, append([]string{
		"--runtime-interface-emulator-address", apiAddr,
		"--runtime-api-address", rapidAddr,
		"--log-level", lambda.RIELogLevel,
		p.bootstrap}, p.args...)...)
	if spec.MaxConcurrency > 0 {
		if cmd, err = managed(cmd, p.bootstrap); err != nil {
			claim.Release()
			return nil, err
		}
	}
	cmd.Dir = p.taskRoot
	cmd.Env = p.environ(spec)
	// Setsid: a new session (and process group) that the bootstrap, in a
	// group of its own, stays in.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Pdeathsig: syscall.SIGKILL}

	pr, pw, err := os.Pipe()
	if err != nil {
		claim.Release()
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		claim.Release()
		pr.Close()
		pw.Close()
		return nil, fmt.Errorf("start %s: %w", p.rie, err)
	}
	pw.Close()

	e := newEnvironment(spec.ID, apiAddr, cmd, p.stopGrace, claim.Release)
	go func() {
		copyLines(p.out, "["+spec.ID+"] ", pr, e.tail)
		close(e.drained)
	}()
	go e.wait()

	if err := e.awaitReady(ctx, apiAddr, rapidAddr); err != nil {
		return e, fmt.Errorf("environment %s: %w", spec.ID, err)
	}
	return e, nil
}

// managed returns cmd, an RIE, run as Lambda Managed Instances run it:
// that RIE ignores the bootstrap it is given and runs /var/task/bootstrap
// as user 993, which this machine has no business holding. So cmd runs in
// a mount namespace of its own (unshare, which needs root), where a tmpfs
// over /var holds /var/task/bootstrap, bootstrap bound onto it; the host's
// /var is untouched. The tools are found here, since the environment cmd
// is given has no PATH.
func managed(cmd *exec.Cmd, bootstrap string) (*exec.Cmd, error) {
	tools := map[string]string{"unshare": "", "sh": "", "mount": "", "mkdir": ""}
	for t := range tools {
		path, err := exec.LookPath(t)
		if err != nil {
			return nil, fmt.Errorf("a managed-instances environment runs in a mount namespace of its own, which needs %s: %w", t, err)
		}
		tools[t] = path
	}
	const script = `"$1" -t tmpfs -o mode=755 coldbench /var && "$2" -m 755 /var/task && : > /var/task/bootstrap && ` +
		`"$1" --bind "$3" /var/task/bootstrap && shift 3 && exec "$@"`
	return exec.Command(tools["unshare"], append([]string{"--mount", "--propagation", "private",
		tools["sh"], "-c", script, "coldbench-managed", tools["mount"], tools["mkdir"], bootstrap}, cmd.Args...)...), nil
}

// environ is the RIE's whole environment, lambda.Environ's, sorted.
func (p *Provider) environ(spec lambda.Spec) []string {
	m := lambda.Environ(spec, p.taskRoot)
	env := make([]string, 0, len(m))
	for k, v := range m {
		env = append(env, k+"="+v)
	}
	slices.Sort(env)
	return env
}

// bindRaceMessage is in the RIE's output when it lost a port.
const bindRaceMessage = "address already in use"

func (e *Environment) bindRace() bool {
	return strings.Contains(e.tail.String(), bindRaceMessage)
}
