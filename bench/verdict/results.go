package verdict

import "github.com/coldbench/coldbench/bench/runs"

// What the verdict works out is the run folder's format, which package
// runs holds (summary.json): the names below are its.
type (
	Verdict  = runs.Verdict
	Standing = runs.Standing
	Tax      = runs.Tax
	BestSize = runs.BestSize
	Outcome  = runs.Outcome
)
