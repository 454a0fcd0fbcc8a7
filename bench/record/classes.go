package record

import (
	"slices"

	"github.com/coldbench/coldbench/bench/scenario"
)

// ClassesOf returns the classes a target of kind kind may record, in the
// order its kind lists them (scenario.Kind.Classes). For a kind this
// coldbench does not know, an empty one included (a run folder written
// before targets had kinds, a hand-made one), it returns the classes of
// every kind, in the order of scenario.Kinds, so that readers of a run
// folder still find whatever it recorded.
func ClassesOf(kind string) []Class {
	kinds := scenario.Kinds()
	if slices.Contains(kinds, scenario.Kind(kind)) {
		kinds = []scenario.Kind{scenario.Kind(kind)}
	}
	var out []Class
	for _, k := range kinds {
		for _, c := range k.Classes() {
			if !slices.Contains(out, Class(c)) {
				out = append(out, Class(c))
			}
		}
	}
	return out
}

// SortClasses returns the classes of cs, each once, in the order of
// ClassesOf(kind), then any other, sorted: the order in which run folders
// and reports list a target's classes.
func SortClasses(kind string, cs []Class) []Class {
	var out, other []Class
	for _, c := range ClassesOf(kind) {
		if slices.Contains(cs, c) {
			out = append(out, c)
		}
	}
	for _, c := range cs {
		if !slices.Contains(out, c) && !slices.Contains(other, c) {
			other = append(other, c)
		}
	}
	slices.Sort(other)
	return append(out, other...)
}
