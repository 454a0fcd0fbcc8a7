package scenario

import "slices"

// The keys the parser accepts, by section, in the order messages list
// them: the parser reads them from here, and the reference
// (docs/scenarios.md, "Key reference") is checked against them
// (TestKeysDocumented), so that the two cannot disagree. A kind's own
// keys are its Spec's (Keys, and Priced's CostKeys).

// TopLevelKeys are the keys of a scenario file, with the shorthand's
// section of each kind of k that has one.
func TopLevelKeys(k Specs) []string {
	keys := []string{"name", "description", "targets", "concurrent"}
	for _, sp := range k.shorthands() {
		keys = append(keys, sp.(Shorthand).Section())
	}
	return append(keys, "phases", "objectives", "cost", "request", "host_wait")
}

// EntryKeys are the keys of every target's entry, whatever its kind;
// sweep only for a kind that sweeps (Sweeper).
func EntryKeys() []string { return []string{"kind", "request"} }

// PhaseKeys are a phase's keys, those of shape trace included.
func PhaseKeys() []string {
	return slices.Concat([]string{"name", "duration", "shape", "rate", "from", "to", "mean", "amplitude", "period", "workers"}, traceOnly())
}

// RequestKeys are the keys of a request section.
func RequestKeys() []string { return []string{"method", "path", "headers", "body", "targets_file"} }

// CostKeys are the keys of the cost section.
func CostKeys() []string {
	return []string{"architecture", "instance", "min_instances", "target_utilization", "front_door", "prices"}
}

// SweepKeys are the keys of a sweep written as a mapping.
func SweepKeys() []string { return []string{"memory", "weight"} }
