package merge

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
)

// summarize returns the summary of the merged run of rs, whose merged
// targets are targets: summed counts, merged percentiles, the generators'
// probes labelled with their names, and notes saying what was merged.
func summarize(rs []*runs.Run, targets []*record.Target, id string) *runs.Summary {
	first := rs[0].Summary
	s := &runs.Summary{
		Scenario: first.Scenario, ScenarioFile: first.ScenarioFile,
		Started: first.Started, Ended: first.Ended,
		Targets: map[string]record.TargetSummary{},
	}
	var machines, runtimes, interrupted []string
	var scale, work float64
	for _, r := range rs {
		g := r.Summary
		if g.Started.Before(s.Started) {
			s.Started = g.Started
		}
		if g.Ended.After(s.Ended) {
			s.Ended = g.Ended
		}
		if g.Interrupted {
			s.Interrupted = true
			interrupted = append(interrupted, name(r))
		}
		machines = appendNew(machines, g.Machine)
		if g.Runtime != "" {
			runtimes = appendNew(runtimes, g.Runtime)
		}
		work += g.WorkRate
		if g.RateScale > 0 {
			scale += g.RateScale
		} else {
			scale++
		}
		for _, p := range g.Probes {
			p.Label = name(r) + ": " + p.Label
			s.Probes = append(s.Probes, p)
		}
	}
	s.RunID = id
	if s.RunID == "" {
		s.RunID = s.Started.UTC().Format("20060102-150405") + "-" + s.Scenario + "-merged"
	}
	s.Machine = strings.Join(machines, "; ")
	s.Runtime = strings.Join(runtimes, ", ")
	s.WorkRate = work / float64(len(rs))
	s.RateScale = scale

	for _, t := range targets {
		ts := record.SummarizeTarget(t)
		ts.ColdStarts = 0
		for _, r := range rs {
			ts.ColdStarts += r.Summary.Targets[t.Name].ColdStarts
		}
		if ts.Anatomy != nil {
			delete(ts.Anatomy.Parts, record.Invoke) // not in the interval logs
		}
		s.Targets[t.Name] = ts
	}

	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = name(r)
	}
	s.Notes = append(s.Notes,
		fmt.Sprintf("Merged from %d load generators that ran scenario %s at the same time: %s.", len(rs), s.Scenario, strings.Join(names, ", ")),
		fmt.Sprintf("Each generator started its own targets: these are the figures of %d shards of each system, each shard with its own Lambda concurrency limit and fleet of environments, not of one system under the whole load.", len(rs)),
		scaleNote(scale, len(rs)),
		"Merged exactly: the histograms (whole run, per phase, per interval) and the counts of requests, errors, status codes and cold starts. "+
			"Per generator only, see their own reports: cold starts as events (no markers on the time chart), the fleet's timeline (no environments chart), "+
			"the invoke part of cold starts (the anatomy's invoke column is empty), errors per interval, and the probes.",
	)
	if slices.ContainsFunc(targets, func(t *record.Target) bool { return t.Counters != nil }) {
		s.Notes = append(s.Notes, "Each counter of a target's kind (such as the Lambda platform's) is merged by its own rule: events are the sums of the generators', peaks sums of peaks that need not have been at the same time; snapshots (what was live at the end), and counters some generators' runs do not have (a coldbench from before them), are left out.")
	}
	if len(runtimes) > 1 {
		s.Notes = append(s.Notes, "The generators ran Lambda environments in different runtimes: "+s.Runtime+".")
	}
	if len(machines) > 1 {
		s.Notes = append(s.Notes, fmt.Sprintf("The generators ran on %d different machines; the work calibration is their mean.", len(machines)))
	}
	if len(interrupted) > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("Interrupted generators (partial results): %s.", strings.Join(interrupted, ", ")))
	}
	return s
}

// folderNote says which targets have folders of their own in the
// generators' run folders (runs.TargetDir), and that they stay there; ""
// if none has one.
func folderNote(rs []*runs.Run, targets []*record.Target) string {
	var names, files []string
	for _, t := range targets {
		found := false
		for _, r := range rs {
			entries, err := os.ReadDir(runs.TargetDir(r.Dir, t.Name))
			if err != nil {
				continue
			}
			found = true
			for _, e := range entries {
				files = appendNew(files, e.Name())
			}
		}
		if found {
			names = append(names, t.Name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	slices.Sort(files)
	what := ""
	if len(files) > 0 {
		what = " (" + strings.Join(files, ", ") + ")"
	}
	return fmt.Sprintf("The folders of %s%s stay in each generator's run folder: each describes that generator's own environments.", strings.Join(names, ", "), what)
}

// scaleNote says what the sum of the generators' rate scales means.
func scaleNote(sum float64, n int) string {
	return fmt.Sprintf("The generators' rate scales add up to %.3g: the merged load is %.3g times the scenario's rates (%d generators).", sum, sum, n)
}

// generatorNotes returns the generators' own notes: once if every
// generator has it, else prefixed with the name of each that has it.
func generatorNotes(rs []*runs.Run) []string {
	var order []string
	who := map[string][]string{}
	for _, r := range rs {
		for _, n := range r.Summary.Notes {
			if who[n] == nil {
				order = append(order, n)
			}
			who[n] = appendNew(who[n], name(r))
		}
	}
	var out []string
	for _, n := range order {
		if len(who[n]) == len(rs) {
			out = append(out, n)
			continue
		}
		for _, g := range who[n] {
			out = append(out, g+": "+n)
		}
	}
	return out
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// scenarioOf returns the scenario the generators ran, for the report: its
// file if it is readable here and has the phases they ran, else one with
// the phases' names and times only, with a note saying so.
func scenarioOf(s *runs.Summary, targets []*record.Target, k scenario.Specs) (*scenario.Scenario, string) {
	var phases []*record.Phase
	if len(targets) > 0 {
		phases = targets[0].Phases
	}
	sc, err := scenario.Load(s.ScenarioFile, k)
	if err == nil && sc.Name == s.Scenario && samePhases(sc, phases) {
		return sc, ""
	}
	sc = &scenario.Scenario{Name: s.Scenario, Path: s.ScenarioFile}
	for _, t := range targets {
		sc.Targets = append(sc.Targets, scenario.Target{Name: t.Name, Kind: scenario.Kind(t.Kind)})
	}
	for i, p := range phases {
		shape := scenario.Shape("rates as in " + s.ScenarioFile)
		if sent(targets, i) == 0 {
			shape = scenario.Idle
		}
		sc.Phases = append(sc.Phases, scenario.Phase{Name: p.Name, Duration: p.End - p.Start, Shape: shape})
	}
	why := "is not readable here"
	if err == nil {
		why = "here no longer has the phases the generators ran"
	}
	return sc, fmt.Sprintf("The schedule shows the phases' names and times only: the scenario file %s %s.", s.ScenarioFile, why)
}

// samePhases reports whether sc has the names and times of phases.
func samePhases(sc *scenario.Scenario, phases []*record.Phase) bool {
	if len(sc.Phases) != len(phases) {
		return false
	}
	for i, p := range sc.Phases {
		if p.Name != phases[i].Name || p.Duration != phases[i].End-phases[i].Start {
			return false
		}
	}
	return true
}

// sent counts the requests sent in phase i to every target.
func sent(targets []*record.Target, i int) int64 {
	var n int64
	for _, t := range targets {
		if i < len(t.Phases) {
			if s := t.Phases[i].Classes[record.All]; s != nil {
				n += s.Counts.Requests
			}
		}
	}
	return n
}
