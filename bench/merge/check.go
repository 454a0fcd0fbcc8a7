package merge

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
)

// MismatchError says why run folders cannot be merged: every problem
// found, each naming the run folders concerned.
type MismatchError struct {
	Problems []string
}

func (e *MismatchError) Error() string {
	return "cannot merge these runs (merge combines the run folders of load generators that ran the same scenario at the same time): " +
		strings.Join(e.Problems, "; ")
}

// problems collects what is wrong with the runs to merge.
type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &MismatchError{Problems: p}
}

// name is how messages and notes call run r: its folder's name.
func name(r *runs.Run) string { return filepath.Base(r.Dir) }

// check tells whether rs can be merged: each has a phases.hlog, all ran the
// same scenario (name, targets by name and kind, and phases) at the same
// time, and each run's interval log holds what its summary counts.
func check(rs []*runs.Run) error {
	var p problems
	if len(rs) == 0 {
		p.add("no run folder given")
		return p.err()
	}
	first := rs[0]
	for _, r := range rs {
		if r.Phases == nil {
			p.add("%s has no %s: it was written by a coldbench from before merge; run the generator again with this one", r.Dir, runs.PhasesFile)
		}
		if r.Summary.Scenario != first.Summary.Scenario {
			p.add("%s ran scenario %q, %s ran %q", first.Dir, first.Summary.Scenario, r.Dir, r.Summary.Scenario)
			continue
		}
		if a, b := targetNames(first), targetNames(r); !slices.Equal(a, b) {
			p.add("%s recorded targets %v, %s recorded %v (was one of them interrupted?)", first.Dir, a, r.Dir, b)
			continue
		}
		for _, t := range targetNames(r) {
			if a, b := first.Summary.Targets[t].Kind, r.Summary.Targets[t].Kind; a != b {
				p.add("%s recorded %s as a %s, %s as a %s", first.Dir, t, orUnknown(a), r.Dir, orUnknown(b))
			}
			if d := phaseDiff(first.Summary.Targets[t].Phases, r.Summary.Targets[t].Phases); d != "" {
				p.add("%s and %s ran different phases for %s: %s", first.Dir, r.Dir, t, d)
			}
		}
	}
	if len(p) > 0 {
		return p.err() // the checks below need matching runs
	}
	for _, r := range rs {
		checkCounts(r, &p)
	}
	if len(p) > 0 {
		return p.err()
	}
	checkTime(rs, &p)
	return p.err()
}

// orUnknown names a kind, or says it is not known.
func orUnknown(kind string) string {
	if kind == "" {
		return "target of unknown kind"
	}
	return kind
}

// targetNames returns the targets r recorded, sorted.
func targetNames(r *runs.Run) []string {
	var names []string
	for t := range r.Summary.Targets {
		names = append(names, t)
	}
	slices.Sort(names)
	return names
}

// phaseDiff describes the first difference between two lists of phases;
// empty if they have the same names, starts and ends.
func phaseDiff(a, b []record.PhaseSummary) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%d phases against %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].StartS != b[i].StartS || a[i].EndS != b[i].EndS {
			return fmt.Sprintf("phase %d is %s %gs–%gs against %s %gs–%gs", i+1,
				a[i].Name, a[i].StartS, a[i].EndS, b[i].Name, b[i].StartS, b[i].EndS)
		}
	}
	return ""
}

// checkTime checks that the runs overlapped in time, and so did the
// schedules of each target.
func checkTime(rs []*runs.Run, p *problems) {
	latestStart, earliestEnd := rs[0], rs[0]
	for _, r := range rs {
		if r.Summary.Started.After(latestStart.Summary.Started) {
			latestStart = r
		}
		if r.Summary.Ended.Before(earliestEnd.Summary.Ended) {
			earliestEnd = r
		}
	}
	if !latestStart.Summary.Started.Before(earliestEnd.Summary.Ended) {
		p.add("the runs did not run at the same time: %s ended at %s, before %s started at %s",
			earliestEnd.Dir, stamp(earliestEnd.Summary.Ended), latestStart.Dir, stamp(latestStart.Summary.Started))
		return
	}
	for _, t := range targetNames(rs[0]) {
		var last, ends *runs.Run
		var lastAt, endsAt time.Time
		for _, r := range rs {
			began, end := schedule(r, t)
			if last == nil || began.After(lastAt) {
				last, lastAt = r, began
			}
			if ends == nil || end.Before(endsAt) {
				ends, endsAt = r, end
			}
		}
		if !lastAt.Before(endsAt) {
			p.add("the %s schedules did not overlap: that of %s ended at %s, before that of %s began at %s",
				t, ends.Dir, stamp(endsAt), last.Dir, stamp(lastAt))
		}
	}
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000 UTC") }

// schedule returns when target t's schedule began and was due to end in
// run r, from phases.hlog.
func schedule(r *runs.Run, t string) (began, end time.Time) {
	ph := r.Phases[t+"/"+string(record.All)]
	if len(ph) == 0 {
		return time.Time{}, time.Time{}
	}
	return time.UnixMilli(ph[0].StartTimeMs()), time.UnixMilli(ph[len(ph)-1].EndTimeMs())
}

// checkCounts checks that the logs of r hold what its summary counts: the
// interval log every successful response of each class, phases.hlog every
// phase of each class.
func checkCounts(r *runs.Run, p *problems) {
	for _, t := range targetNames(r) {
		ts := r.Summary.Targets[t]
		for _, c := range slices.Sorted(maps.Keys(ts.Classes)) {
			st, tag := ts.Classes[c], t+"/"+string(c)
			if n := r.Total(tag).TotalCount(); n != st.OK {
				p.add("%s: %s holds %d successful %s responses, %s counts %d: the run folder is incomplete",
					r.Dir, runs.HistogramsFile, n, tag, runs.SummaryFile, st.OK)
			}
		}
		tags := map[string]record.Class{}
		for _, ph := range ts.Phases {
			for c := range ph.Classes {
				tags[t+"/"+string(c)], tags[t+"/"+string(c)+"/corrected"] = c, c
			}
		}
		for _, tag := range slices.Sorted(maps.Keys(tags)) {
			c, hs := tags[tag], r.Phases[tag]
			if len(hs) != len(ts.Phases) {
				p.add("%s: %s holds %d phases tagged %s, %s has %d: the run folder is incomplete",
					r.Dir, runs.PhasesFile, len(hs), tag, runs.SummaryFile, len(ts.Phases))
				continue
			}
			for i, ph := range ts.Phases {
				if got, want := hs[i].TotalCount(), ph.Classes[c].OK; got != want {
					p.add("%s: %s holds %d successful %s responses in phase %s, %s counts %d: the run folder is incomplete",
						r.Dir, runs.PhasesFile, got, tag, ph.Name, runs.SummaryFile, want)
				}
			}
		}
	}
}
