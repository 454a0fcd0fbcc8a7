package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/coldbench/coldbench/bench/harness"
	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/merge"
	"github.com/coldbench/coldbench/bench/runs"
)

// mergeCmd is coldbench merge: it merges the run folders of load
// generators that ran the same scenario at the same time into one.
func mergeCmd(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	flags := flag.NewFlagSet("coldbench merge", flag.ContinueOnError)
	flags.SetOutput(stderr)
	out := flags.String("o", "", "folder to write the merged run folder to, new or empty (default: a new folder under -reports)")
	reports := flags.String("reports", "reports", "folder that receives the merged run folder when -o is not given; its latest link then points at it")
	id := flags.String("id", "", "name of the merged run (default: UTC time of the earliest start, scenario name and \"merged\")")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "Usage: coldbench merge [-o dir] [-reports reports] [-id id] <run-dir> <run-dir>...")
		fmt.Fprintln(stderr, "\nMerges the run folders of load generators that ran the same scenario at the same time")
		fmt.Fprintln(stderr, "(coldbench run -rate-scale 1/N on N machines) into one run folder and report.")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err.Error()}
	}
	if flags.NArg() < 2 {
		return &usageError{fmt.Sprintf("merge takes the run folders of two generators or more, got %d: %v", flags.NArg(), flags.Args())}
	}
	var rs []*runs.Run
	for _, dir := range flags.Args() {
		r, err := runs.Load(dir)
		var notRun *runs.NotRunError
		if errors.As(err, &notRun) {
			return &usageError{err.Error()}
		}
		if err != nil {
			return err
		}
		rs = append(rs, r)
	}
	m, err := merge.Merge(rs, merge.Options{RunID: *id, Kinds: all.Specs()})
	var mismatch *merge.MismatchError
	if errors.As(err, &mismatch) {
		return &usageError{err.Error()}
	}
	if err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		if dir, err = runs.NewDir(*reports, m.Summary.RunID); err != nil {
			return fmt.Errorf("creating the merged run folder: %w", err)
		}
	}
	if err := m.Write(ctx, dir); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%w: merge stopped, %s is incomplete", harness.ErrInterrupted, dir)
		}
		return err
	}
	if *out == "" {
		if err := runs.PointLatest(*reports, dir); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "merged %d generators' runs of %s: %d targets, rate scale %.3g\n", len(rs), m.Summary.Scenario, len(m.Targets), m.Summary.RateScale)
	fmt.Fprintf(stdout, "report: %s\n", filepath.Join(dir, runs.ReportFile))
	return nil
}
