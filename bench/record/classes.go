package record

import (
	"slices"
)

// Known returns the classes coldbench's kinds record, in the order run
// folders and reports list them (scenario.Target.Classes): all, then
// cold, warm and provisioned where a kind tells them apart. Which of them
// a target records is its kind's (its Spec sets Target.Classes).
func Known() []Class { return []Class{All, Cold, Warm, Provisioned} }

// SortClasses returns the classes of cs, each once, in the order of
// Known, then any other, sorted: the order in which run folders and
// reports list a target's classes.
func SortClasses(cs []Class) []Class {
	var out, other []Class
	for _, c := range Known() {
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
