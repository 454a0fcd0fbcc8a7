package compare

import (
	"fmt"
	"slices"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
)

// Target is a target of either run compared, matched by name.
type Target struct {
	Name string
	// Kind is the target's kind in the new run, or in the base run if
	// the new one lacks it (scenario.Kind); empty if neither says.
	Kind string
	// Base and New report whether each run has the target (in its
	// summary or its interval log); it is compared only if both have it.
	Base, New bool
}

// Compared reports whether the target is in both runs, and so compared.
func (t Target) Compared() bool { return t.Base && t.New }

// targets returns the targets of either run, matched by name: the base
// run's in its order (runs.Run.TargetNames), then the new run's others in
// its order.
func targets(base, next *runs.Run) []Target {
	var out []Target
	for _, r := range []*runs.Run{base, next} {
		for _, name := range r.TargetNames() {
			if !slices.ContainsFunc(out, func(t Target) bool { return t.Name == name }) {
				out = append(out, Target{Name: name})
			}
		}
	}
	for i := range out {
		t := &out[i]
		t.Kind = kindOf(next, t.Name)
		if t.Kind == "" {
			t.Kind = kindOf(base, t.Name)
		}
		t.Base, t.New = has(base, t.Name), has(next, t.Name)
	}
	// Left out: names of tags that are no class of a target in either run.
	return slices.DeleteFunc(out, func(t Target) bool { return !t.Base && !t.New })
}

// kindOf returns the kind of target name in r's summary; "" if it has
// none.
func kindOf(r *runs.Run, name string) string { return r.Summary.Targets[name].Kind }

// has reports whether r has the target called name: its summary counts it
// or its interval log holds a class of it.
func has(r *runs.Run, name string) bool {
	if _, ok := r.Summary.Targets[name]; ok {
		return true
	}
	for _, c := range classesOf(r, r, name) {
		if r.Intervals[name+"/"+string(c)] != nil {
			return true
		}
	}
	return false
}

// classesOf returns the classes target name may have in the runs, in
// the order run folders list them: those of record.Known, whichever kind
// recorded them.
func classesOf(base, next *runs.Run, name string) []record.Class {
	return record.Known()
}

// tags returns the tags of request latencies to compare: for each target
// of ts both runs have, in order, the classes either run has (provisioned
// only if both have it) in its kind's order, then those of the corrected
// view, then those less host wait (the net view). Other tags (the parts of cold starts, router waits, the
// generator's lag, unknown views) are left out.
func tags(base, next *runs.Run, ts []Target) []string {
	var out []string
	for _, t := range ts {
		if !t.Compared() {
			continue
		}
		for _, view := range []string{"", "/corrected", "/net"} {
			for _, c := range classesOf(base, next, t.Name) {
				tag := t.Name + "/" + string(c) + view
				b, n := base.Intervals[tag] != nil, next.Intervals[tag] != nil
				if (b || n) && (c != record.Provisioned || b && n) {
					out = append(out, tag)
				}
			}
		}
	}
	return out
}

// targetNotes returns the caveats about the targets ts of the runs of
// summaries b and n: those only one run has, those of another kind or
// whose environments ran elsewhere in the other run. Where no target says
// where it ran (older summaries), the runs' runtimes are compared.
func targetNotes(b, n *runs.Summary, ts []Target) []string {
	var out []string
	perTarget := false
	for _, t := range ts {
		switch {
		case !t.New:
			out = append(out, fmt.Sprintf("Target %s is in the base run only: it is not compared.", t.Name))
			continue
		case !t.Base:
			out = append(out, fmt.Sprintf("Target %s is in the new run only: it is not compared.", t.Name))
			continue
		}
		bt, bok := b.Targets[t.Name]
		nt, nok := n.Targets[t.Name]
		if !bok || !nok {
			continue
		}
		if bt.Kind != "" && nt.Kind != "" && bt.Kind != nt.Kind {
			out = append(out, fmt.Sprintf("Target %s is a %s in the base run and a %s in the new run.", t.Name, bt.Kind, nt.Kind))
		}
		if bt.Runtime != "" && nt.Runtime != "" {
			perTarget = true
			if bt.Runtime != nt.Runtime {
				out = append(out, fmt.Sprintf("The environments of %s ran differently (%s, %s): its cold starts are not comparable.", t.Name, bt.Runtime, nt.Runtime))
			}
		}
	}
	if !perTarget && b.Runtime != n.Runtime {
		out = append(out, fmt.Sprintf("Lambda environments ran differently (%s, %s): cold starts are not comparable.", orNone(b.Runtime), orNone(n.Runtime)))
	}
	return out
}
