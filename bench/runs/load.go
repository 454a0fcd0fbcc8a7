package runs

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/bench/record"
)

// Run is a run folder read back.
type Run struct {
	Dir     string
	Summary *Summary
	// Intervals holds the interval histograms of histograms.hlog by tag
	// ("<target>/<class>", ...), each list in time order. Every histogram
	// carries its tag and its absolute start and end times.
	Intervals map[string][]*hdrhistogram.Histogram
	// Phases holds the histograms of phases.hlog by tag, each list in
	// phase order: entry i is phase i of the schedule, stamped with the
	// phase's absolute start and end. Nil when the run folder has no
	// phases.hlog (runs written before it existed).
	Phases map[string][]*hdrhistogram.Histogram
	// Targets names the run's targets in the run's order (TargetOrder);
	// Load sets it. TargetNames adds any target a hand-made Run holds
	// but Targets leaves out.
	Targets []string
}

// NotRunError says that a folder is not a run folder.
type NotRunError struct {
	Dir string
	Err error
}

func (e *NotRunError) Error() string {
	return fmt.Sprintf("%s is not a run folder (coldbench run writes them under reports/): %v", e.Dir, e.Err)
}

func (e *NotRunError) Unwrap() error { return e.Err }

// Load reads the run folder dir: its summary.json and its histograms.hlog. A
// folder without summary.json is a *NotRunError.
func Load(dir string) (*Run, error) {
	sum, err := ReadSummary(dir)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(dir, HistogramsFile))
	if err != nil {
		return nil, &NotRunError{dir, err}
	}
	defer f.Close()
	iv, err := ReadIntervals(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, HistogramsFile), err)
	}
	ph, order, err := readPhases(dir)
	if err != nil {
		return nil, err
	}
	return &Run{Dir: dir, Summary: sum, Intervals: iv, Phases: ph, Targets: targetOrder(order, sum)}, nil
}

// readPhases reads the phases.hlog of the run folder dir, and its tags
// in the order it first has them; nil, and no error, if there is none.
func readPhases(dir string) (map[string][]*hdrhistogram.Histogram, []string, error) {
	path := filepath.Join(dir, PhasesFile)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	// The phases are written in schedule order and each starts where the
	// one before ends, so readLog's stable sort by start keeps them in
	// phase order.
	ph, order, err := readLog(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return ph, order, nil
}

// ReadSummary reads the summary.json of the run folder dir.
func ReadSummary(dir string) (*Summary, error) {
	b, err := os.ReadFile(filepath.Join(dir, SummaryFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &NotRunError{dir, err}
	}
	if err != nil {
		return nil, err
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, SummaryFile), err)
	}
	return &s, nil
}

// ReadIntervals reads an interval log written by hdrhistogram-go's
// HistogramLogWriter and returns its histograms by tag, each list in time
// order.
func ReadIntervals(r io.Reader) (map[string][]*hdrhistogram.Histogram, error) {
	out, _, err := readLog(r)
	return out, err
}

// readLog is ReadIntervals that also returns the log's tags in the order
// it first has them.
func readLog(r io.Reader) (map[string][]*hdrhistogram.Histogram, []string, error) {
	lr := hdrhistogram.NewHistogramLogReader(bufio.NewReader(r))
	out := map[string][]*hdrhistogram.Histogram{}
	var order []string
	for {
		h, err := lr.NextIntervalHistogram()
		if err != nil {
			return out, order, err
		}
		if h == nil {
			break
		}
		if out[h.Tag()] == nil {
			order = append(order, h.Tag())
		}
		out[h.Tag()] = append(out[h.Tag()], h)
	}
	for _, hs := range out {
		sort.SliceStable(hs, func(i, j int) bool { return hs[i].StartTimeMs() < hs[j].StartTimeMs() })
	}
	return out, order, nil
}

// Tags returns the tags of the run's interval histograms, sorted.
func (r *Run) Tags() []string {
	tags := make([]string, 0, len(r.Intervals))
	for t := range r.Intervals {
		tags = append(tags, t)
	}
	slices.Sort(tags)
	return tags
}

// Total returns the sum of the interval histograms tagged tag: the whole
// run's histogram of that tag, empty if there is none.
func (r *Run) Total(tag string) *hdrhistogram.Histogram {
	h := record.NewHistogram()
	for _, iv := range r.Intervals[tag] {
		h.Merge(iv)
	}
	h.SetTag(tag)
	return h
}

// List returns the run folders directly under reports, oldest first by
// their summary's start time; folders without a summary.json (and the
// latest link) are skipped.
func List(reports string) ([]string, error) {
	entries, err := os.ReadDir(reports)
	if err != nil {
		return nil, err
	}
	type found struct {
		dir     string
		started int64
	}
	var runs []found
	for _, e := range entries {
		if !e.IsDir() || e.Name() == LatestLink {
			continue
		}
		dir := filepath.Join(reports, e.Name())
		s, err := ReadSummary(dir)
		if err != nil {
			continue
		}
		runs = append(runs, found{dir, s.Started.UnixNano()})
	}
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].started < runs[j].started })
	dirs := make([]string, len(runs))
	for i, r := range runs {
		dirs[i] = r.dir
	}
	return dirs, nil
}
