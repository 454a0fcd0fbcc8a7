package serverkind

import (
	"fmt"
	"math"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/kinds"
)

var _ kinds.Usage = serverUsageOf{}

// serverUsageOf is what a server used, priced by the instances its
// measured capacity needs at the traffic's peak.
type serverUsageOf struct{ u cost.ServerUsage }

// Price prices the instances the peak needs and their front door.
func (s serverUsageOf) Price(p cost.Prices, c cost.Config, in cost.Input) (*cost.Result, error) {
	in.Server = &s.u
	return cost.Compute(p, c, in)
}

// Scaled is the run's usage scaled to requests: a server is priced from
// its capacity, the requests one CPU-second serves, which does not depend
// on the traffic's shape.
func (s serverUsageOf) Scaled(requests int64) (kinds.Usage, string) {
	su := s.u
	if su.Requests <= 0 {
		return nil, "the run sent it no requests to measure its capacity by"
	}
	f := float64(requests) / float64(su.Requests)
	u := su
	u.Requests, u.Served, u.CPUSeconds = requests, int64(math.Round(float64(su.Served)*f)), su.CPUSeconds*f
	u.Source = fmt.Sprintf("the run's %d requests and %.4g CPU-s, scaled by %.4g to the whole trace's %d requests (%s)",
		su.Requests, su.CPUSeconds, f, requests, su.Source)
	return serverUsageOf{u}, "It is priced for the whole trace from the capacity the run measured."
}
