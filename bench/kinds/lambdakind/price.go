package lambdakind

import (
	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/kinds"
)

var _ kinds.Usage = functionUsage{}

// functionUsage is what a function used, priced by Lambda's model.
type functionUsage struct{ u cost.LambdaUsage }

// Price prices the function's invocations, durations and INITs.
func (u functionUsage) Price(p cost.Prices, c cost.Config, in cost.Input) (*cost.Result, error) {
	in.Lambda = &u.u
	return cost.Compute(p, c, in)
}

// Scaled cannot say: a function's bill depends on the traffic's shape
// (its cold starts, its concurrency), which only the simulation of a
// whole trace gives (kinds.Report.Trace).
func (u functionUsage) Scaled(int64) (kinds.Usage, string) {
	return nil, "a function's bill depends on the traffic's shape, which only a simulation of it gives"
}
