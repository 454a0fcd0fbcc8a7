package runs

import (
	"bufio"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The order of a run's targets. summary.json holds its targets by name,
// with no order; phases.hlog is written once, at the end of a run, target
// after target in the order the run had them (the scenario's, for coldbench
// run; the first generator's, for merge). So a run's order is the order in
// which phases.hlog first names each target, then any other target of
// summary.json (a run folder written before phases.hlog), sorted by name.
// It is the same whether the targets ran one after the other or at once,
// which the order of histograms.hlog, written as the intervals end, is not.

// TargetOrder returns the names of the targets of the run folder dir,
// whose summary is s, in the run's order (see above). It reads only the
// tags of phases.hlog, not its histograms, so it is cheap enough to call
// for every run of a reports folder.
func TargetOrder(dir string, s *Summary) ([]string, error) {
	f, err := os.Open(filepath.Join(dir, PhasesFile))
	if errors.Is(err, fs.ErrNotExist) {
		return targetOrder(nil, s), nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var tags []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24) // a histogram's line can be long
	for sc.Scan() {
		// hdrhistogram-go's HistogramLogWriter starts the line of a
		// tagged interval with "Tag=<tag>,".
		if rest, ok := strings.CutPrefix(sc.Text(), "Tag="); ok {
			if tag, _, ok := strings.Cut(rest, ","); ok {
				tags = append(tags, tag)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return targetOrder(tags, s), nil
}

// targetOrder returns the targets of the tags of phases.hlog, in the order
// the tags name them, then those of s the tags do not name, sorted.
func targetOrder(tags []string, s *Summary) []string {
	var out []string
	for _, tag := range tags {
		if t := TagTarget(tag); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if s != nil {
		for _, t := range slices.Sorted(maps.Keys(s.Targets)) {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

// TagTarget returns the target of an interval-log tag: "small-fn" of
// "small-fn/warm/corrected"; "" for a tag of no target (one without "/").
func TagTarget(tag string) string {
	t, _, ok := strings.Cut(tag, "/")
	if !ok {
		return ""
	}
	return t
}

// TargetNames returns the names of r's targets in the run's order:
// Targets, then any other target its summary or interval logs name,
// sorted (for a Run not read by Load).
func (r *Run) TargetNames() []string {
	out := slices.Clone(r.Targets)
	var other []string
	add := func(t string) {
		if t != "" && !slices.Contains(out, t) && !slices.Contains(other, t) {
			other = append(other, t)
		}
	}
	if r.Summary != nil {
		for t := range r.Summary.Targets {
			add(t)
		}
	}
	for tag := range r.Intervals {
		add(TagTarget(tag))
	}
	for tag := range r.Phases {
		add(TagTarget(tag))
	}
	slices.Sort(other)
	return append(out, other...)
}
