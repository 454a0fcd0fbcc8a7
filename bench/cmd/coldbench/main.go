// Command coldbench measures a serverless function against an always-on
// server under the traffic of a scenario file.
//
// Usage:
//
//	coldbench run [flags] [scenario.yaml]
//	coldbench merge [-o dir] [-reports reports] <run-dir>...
//	coldbench compare [-o file.html] [-gate p99] [-max-regression 10%] [-format text|markdown] <baseline-run> <run>
//	coldbench trend [-o file.html] [-scenario name] [reports-dir]
//	coldbench version
//	coldbench package [-o function.zip] [-arch amd64|arm64]
//
// Install it with
//
//	CGO_ENABLED=0 go install github.com/coldbench/coldbench/bench/cmd/coldbench@latest
//
// It is also the built-in Lambda function and the built-in server: invoked
// as bootstrap or coldbench-server (the names it links itself under in its
// bin folder outside a checkout) it runs as them, see asTarget.
//
// It writes a run folder under reports/ (histograms.hlog, results.bin,
// summary.json and the self-contained index.html report) and points
// reports/latest at it. Compare prints a benchstat-like table of the
// changes of each percentile and writes compare.html; trend writes
// trend.html, the runs of a reports folder over time. Exit codes: 0 done,
// 1 failure, 2 bad input (a scenario mistake, a scenario path that is
// missing, a folder, unreadable or empty, an unknown flag, a folder that is
// not a run folder, a target's code that is missing or does not run), 3 a gate failed (the run broke one of the
// scenario's objectives, or compare found the gate's percentile
// significantly slower than the baseline's by more than -max-regression;
// the report or page is complete), 130 interrupted (partial results kept).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	tclog "github.com/testcontainers/testcontainers-go/log"

	"github.com/coldbench/coldbench/bench/harness"
	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/scenario"
)

func main() {
	if code, ok := asTarget(os.Args[0], os.Args[1:]); ok {
		os.Exit(code)
	}
	// testcontainers-go prints a banner and its own progress; coldbench
	// says what it does itself.
	tclog.SetDefault(tclog.NewNoopLogger())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// A second Ctrl-C kills at once; the targets die with us (Pdeathsig).
	onSignal := context.AfterFunc(ctx, func() {
		stop()
		fmt.Fprintln(os.Stderr, "coldbench: stopping: keeping what was measured and stopping the targets (Ctrl-C again quits at once)")
	})
	err := run(ctx, os.Stdout, os.Stderr, os.Args[1:])
	onSignal()
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "coldbench:", err)
	}
	os.Exit(exitCode(err))
}

// usageError is a mistake in how coldbench was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// gateError says that a gate failed: coldbench compare found a percentile
// significantly slower than the baseline's by more than the bound. It
// exits with code 3.
type gateError struct{ msg string }

func (e *gateError) Error() string { return e.msg }

// exitCode maps an error from run to the process exit code.
func exitCode(err error) int {
	var usage *usageError
	var gate *gateError
	var one *scenario.Error
	var many scenario.Errors
	var input *kinds.InputError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &usage), errors.As(err, &one), errors.As(err, &many), errors.As(err, &input):
		return 2
	case errors.Is(err, harness.ErrInterrupted):
		return 130
	case errors.Is(err, harness.ErrObjectivesBroken), errors.As(err, &gate):
		return 3
	}
	return 1
}

// run is coldbench without the process around it.
func run(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return &usageError{"no command given"}
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "run":
		return runCmd(ctx, stdout, stderr, rest)
	case "merge":
		return mergeCmd(ctx, stdout, stderr, rest)
	case "compare":
		return compareCmd(ctx, stdout, stderr, rest)
	case "trend":
		return trendCmd(ctx, stdout, stderr, rest)
	case "version":
		return versionCmd(stdout, rest)
	case "package":
		return packageCmd(ctx, stdout, stderr, rest)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return &usageError{fmt.Sprintf("unknown command %q", cmd)}
	}
}

const usage = `Usage: coldbench <command> [flags] [arguments]

Commands:
  run [flags] [scenario.yaml]   run a scenario (default scenarios/default.yaml)
                                and write its report under reports/
  merge [flags] <run-dir>...    merge the run folders of load generators that
                                ran one scenario at the same time into one
  compare [flags] <baseline-run> <run>
                                compare a run's percentiles with a baseline's:
                                a table, <run>/compare.html, exit code 3 when
                                the gate (-gate p99 -max-regression 10%) fails
  trend [flags] [reports-dir]   p50, p99, p99.9 and cold starts run after run:
                                <reports-dir>/trend.html (default reports)
  version                       print coldbench's version
  package [-o function.zip] [-arch amd64|arm64]
                                write the built-in function's deployment zip
                                (bootstrap at its root) for AWS Lambda

Run "coldbench <command> -h" for the flags of a command.
`

func runCmd(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	flags := flag.NewFlagSet("coldbench run", flag.ContinueOnError)
	flags.SetOutput(stderr)
	reports := flags.String("reports", "reports", "folder that receives the run folders")
	bin := flags.String("bin", "", "folder the target binaries are built (or linked) into (default: bin in a coldbench checkout, else "+cacheBinDir+" in the user cache folder)")
	rie := flags.String("rie", "", "the aws-lambda-rie `executable` to run (default: built from the module in a checkout, else aws-lambda-rie on PATH, else the one in the user cache folder, built there once if missing)")
	id := flags.String("id", "", "name of the run folder (default: UTC time and scenario name)")
	every := flags.Duration("progress", 0, "time between progress lines (default 5s; 2s on a terminal)")
	sandbox := flags.String("sandbox", "", "where Lambda environments run: auto, container or process (default: the scenario's, else auto)")
	runtime := flags.String("runtime", "", "the old name of -sandbox, still read")
	probes := flags.Int("probe", 5, "cold starts to measure one at a time in each runtime before the load (0: none)")
	scale := flags.Float64("rate-scale", 1, "multiply every phase's rates by this, more than 0 and at most 1: 1/N for each of N load generators (see coldbench merge)")
	debugAddr := flags.String("debug-addr", "", "serve net/http/pprof (goroutines, heap) on this loopback address during the run, such as 127.0.0.1:0, and print its address on stderr; other addresses are refused (default: none)")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err.Error()}
	}
	if flags.NArg() > 1 {
		return &usageError{fmt.Sprintf("run takes one scenario file, got %d: %v", flags.NArg(), flags.Args())}
	}
	switch {
	case *sandbox != "" && *runtime != "":
		return &usageError{"-runtime is the old name of -sandbox; give one of them"}
	case *runtime != "":
		*sandbox = *runtime
	}
	reg, err := all.Kinds(all.Options{Sandbox: *sandbox})
	if err != nil {
		return &usageError{err.Error()}
	}
	if *probes < 0 {
		return &usageError{fmt.Sprintf("-probe must be 0 or more, not %d", *probes)}
	}
	if !(*scale > 0 && *scale <= 1) {
		return &usageError{fmt.Sprintf("-rate-scale must be more than 0 and at most 1 (1/N for each of N load generators, such as 0.25), not %g", *scale)}
	}
	path := "scenarios/default.yaml"
	if flags.NArg() == 1 {
		path = flags.Arg(0)
	}
	sc, err := loadScenario(path)
	if err != nil {
		return err
	}
	if sc, err = sc.Scaled(*scale); err != nil {
		return err
	}
	if *rie != "" {
		if err := checkExecutable("-rie", *rie); err != nil {
			return err
		}
	}
	if *bin == "" {
		if *bin, err = defaultBinDir(ctx); err != nil {
			return err
		}
	}
	if *every == 0 {
		*every = progressEvery(stderr)
	}
	if *debugAddr != "" {
		stopDebug, err := serveDebug(*debugAddr, stderr)
		if err != nil {
			return err
		}
		defer stopDebug()
	}
	res, err := harness.Run(ctx, harness.Config{
		Scenario: sc, ReportsDir: *reports, BinDir: *bin, RIE: *rie, RunID: *id, Kinds: reg, Probes: *probes,
		RateScale: *scale, Progress: stderr, ProgressEvery: *every,
		Priority: os.Getenv(envPriority) != "0",
	})
	if res != nil {
		fmt.Fprintf(stdout, "report: %s\n", res.Report)
	}
	return err
}

// loadScenario reads the scenario file at path. A path that names no file,
// a folder or a file it may not read is bad input (a usageError, exit
// code 2) with a message that says what to give instead; mistakes in the
// file are scenario.Errors (exit code 2 too).
func loadScenario(path string) (*scenario.Scenario, error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		have, _ := filepath.Glob("scenarios/*.yaml")
		if len(have) == 0 {
			return nil, &usageError{fmt.Sprintf("scenario %s: no such file; give the path of a scenario file: coldbench run my.yaml", path)}
		}
		return nil, &usageError{fmt.Sprintf("scenario %s: no such file (scenarios here: %v)", path, have)}
	case err == nil && fi.IsDir():
		have, _ := filepath.Glob(filepath.Join(path, "*.yaml"))
		hint := "give the path of a scenario .yaml file"
		if len(have) > 0 {
			hint += fmt.Sprintf(", such as %s (in it: %v)", have[0], have)
		}
		return nil, &usageError{fmt.Sprintf("scenario %s is a folder, not a file; %s", path, hint)}
	}
	sc, err := scenario.Load(path, all.Specs())
	if errors.Is(err, fs.ErrPermission) {
		return nil, &usageError{fmt.Sprintf("scenario %s cannot be read: permission denied; make it readable (chmod a+r %s) or give another file", path, path)}
	}
	return sc, err
}
