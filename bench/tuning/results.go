package tuning

import "github.com/coldbench/coldbench/bench/runs"

// What power tuning works out is the run folder's format, which package
// runs holds (summary.json): the names below are its.
type (
	Sweep    = runs.Sweep
	Choice   = runs.Choice
	Size     = runs.Size
	Latency  = runs.Latency
	Strategy = runs.Strategy
	Point    = runs.Point
)
