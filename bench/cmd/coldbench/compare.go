package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/coldbench/coldbench/bench/compare"
	"github.com/coldbench/coldbench/bench/report"
	"github.com/coldbench/coldbench/bench/runs"
)

// compareFile is the comparison page's name in the new run's folder.
const compareFile = "compare.html"

// trendFile is the trend page's name in the reports folder.
const trendFile = "trend.html"

// compareCmd is coldbench compare: it compares a run with a baseline run,
// prints a table, writes the comparison page and returns a *gateError if
// the gate fails.
func compareCmd(_ context.Context, stdout, stderr io.Writer, args []string) error {
	flags := flag.NewFlagSet("coldbench compare", flag.ContinueOnError)
	flags.SetOutput(stderr)
	out := flags.String("o", "", "page to write (default <run>/"+compareFile+")")
	gate := flags.String("gate", "p99", "percentile the gate checks, such as p50, p99 or p99.9; none for no gate")
	bound := flags.String("max-regression", "10%", "how much slower, in percent, the gate's percentile may get before the gate fails (when the change is significant)")
	format := flags.String("format", "text", "table printed to stdout: text, or markdown for a CI job summary")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "Usage: coldbench compare [-o file.html] [-gate p99] [-max-regression 10%] [-format text|markdown] <baseline-run> <run>")
		fmt.Fprintln(stderr, "\nCompares each percentile of <run> with <baseline-run> (run folders, such as reports/latest),")
		fmt.Fprintln(stderr, "with a confidence interval for each change; \"~\" means no significant change. Exits with")
		fmt.Fprintln(stderr, "code 3 when the gate's percentile got significantly slower by more than -max-regression.")
		flags.PrintDefaults()
	}
	pos, err := parseInterleaved(flags, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err.Error()}
	}
	if len(pos) != 2 {
		return &usageError{fmt.Sprintf("compare takes two run folders, the baseline and the run to compare with it, got %d: %v", len(pos), pos)}
	}
	g, err := parseGate(*gate, *bound)
	if err != nil {
		return &usageError{err.Error()}
	}
	f, err := compare.ParseFormat(*format)
	if err != nil {
		return &usageError{"-" + err.Error()}
	}
	base, err := loadRun(pos[0])
	if err != nil {
		return err
	}
	next, err := loadRun(pos[1])
	if err != nil {
		return err
	}
	c, err := compare.Compare(base, next, compare.Options{Gate: g})
	if err != nil {
		return err
	}
	if *out == "" {
		*out = filepath.Join(next.Dir, compareFile)
	}
	c.Base.Link, c.New.Link = reportLink(*out, base.Dir), reportLink(*out, next.Dir)
	if err := writePage(*out, func(w io.Writer) error { return report.WriteComparison(w, c) }); err != nil {
		return err
	}
	if err := compare.WriteText(stdout, c, f); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "comparison: %s\n", *out)
	if c.Verdict.Failed {
		return &gateError{c.Summary()}
	}
	return nil
}

// trendCmd is coldbench trend: it writes the trend page of the runs under
// a reports folder.
func trendCmd(_ context.Context, stdout, stderr io.Writer, args []string) error {
	flags := flag.NewFlagSet("coldbench trend", flag.ContinueOnError)
	flags.SetOutput(stderr)
	out := flags.String("o", "", "page to write (default <reports-dir>/"+trendFile+")")
	scenario := flags.String("scenario", "", "only the runs of this scenario (default: every run)")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "Usage: coldbench trend [-o file.html] [-scenario name] [reports-dir]")
		fmt.Fprintln(stderr, "\nWrites a page of p50, p99 and p99.9 of each target and the Lambda cold-start rate,")
		fmt.Fprintln(stderr, "run after run, for the run folders under reports-dir (default reports).")
		flags.PrintDefaults()
	}
	pos, err := parseInterleaved(flags, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err.Error()}
	}
	if len(pos) > 1 {
		return &usageError{fmt.Sprintf("trend takes one reports folder, got %d: %v", len(pos), pos)}
	}
	reports := "reports"
	if len(pos) == 1 {
		reports = pos[0]
	}
	if st, err := os.Stat(reports); err != nil || !st.IsDir() {
		return &usageError{fmt.Sprintf("reports folder %s: not a folder (coldbench run writes its run folders under reports/, or -reports)", reports)}
	}
	if *out == "" {
		*out = filepath.Join(reports, trendFile)
	}
	t, err := compare.NewTrend(reports, compare.TrendOptions{Scenario: *scenario, PageDir: filepath.Dir(*out)})
	if err != nil {
		return &usageError{err.Error()}
	}
	if err := writePage(*out, func(w io.Writer) error { return report.WriteTrend(w, t) }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "trend: %s (%d runs)\n", *out, len(t.Runs))
	return nil
}

// parseInterleaved parses args with flags, allowing flags after the
// positional arguments (coldbench compare a b -format markdown), and
// returns the positional arguments. Everything after "--" is positional.
func parseInterleaved(flags *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := flags.Parse(args); err != nil {
			return nil, err
		}
		rest := flags.Args()
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// parseGate returns the gate of the -gate and -max-regression flags:
// "p99" (or "99") and "10%" (or "10").
func parseGate(percentile, bound string) (compare.Gate, error) {
	if p := strings.ToLower(percentile); p == "none" || p == "off" {
		return compare.Gate{Off: true}, nil
	}
	p, err := strconv.ParseFloat(strings.TrimPrefix(strings.ToLower(percentile), "p"), 64)
	if err != nil || !(p > 0 && p < 100) {
		return compare.Gate{}, fmt.Errorf("-gate must be a percentile such as p50, p99 or p99.9, or none, not %q", percentile)
	}
	b, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(bound), "%")), 64)
	if err != nil || !(b >= 0) {
		return compare.Gate{}, fmt.Errorf("-max-regression must be a percentage of 0 or more, such as 10%%, not %q", bound)
	}
	return compare.Gate{Percentile: p, MaxRegression: b / 100}, nil
}

// loadRun reads the run folder dir; a folder that is not one is bad input.
func loadRun(dir string) (*runs.Run, error) {
	r, err := runs.Load(dir)
	var notRun *runs.NotRunError
	if errors.As(err, &notRun) {
		return nil, &usageError{err.Error()}
	}
	return r, err
}

// reportLink returns the link from the page file page to the report of the
// run folder dir.
func reportLink(page, dir string) string {
	target := filepath.Join(dir, runs.ReportFile)
	from, err1 := filepath.Abs(filepath.Dir(page))
	to, err2 := filepath.Abs(target)
	if err1 != nil || err2 != nil {
		return ""
	}
	rel, err := filepath.Rel(from, to)
	if err != nil {
		return ""
	}
	return filepath.ToSlash(rel)
}

// writePage renders a page with write and writes it to the file path,
// leaving no half-written file behind.
func writePage(path string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
