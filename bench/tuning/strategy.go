package tuning

import "cmp"

// The strategies of AWS Lambda Power Tuning.
const (
	// Cost chooses the cheapest size; of sizes as cheap, the fastest.
	Cost Strategy = "cost"
	// Speed chooses the fastest size; of sizes as fast, the cheapest.
	Speed Strategy = "speed"
	// Balanced chooses the size that minimises
	// w·cost/maxCost + (1−w)·duration/maxDuration, the maxima over the
	// sizes considered; of sizes with the same value, the first.
	Balanced Strategy = "balanced"
)

// Strategies lists the strategies in the order the report shows them.
func Strategies() []Strategy { return []Strategy{Cost, Speed, Balanced} }

// Best returns the index in points of the size strategy s chooses, with
// weight the balanced strategy's weight of cost (clamped to [0, 1], as
// Power Tuning does); -1 when no point is measured or s is unknown.
// Ties go as in Power Tuning, whose sort is stable: cost, then duration,
// then the order of points for Cost; duration, then cost, then order for
// Speed; the balanced value, then order, for Balanced.
func Best(points []Point, s Strategy, weight float64) int {
	var order func(a, b Point) int
	switch s {
	case Cost:
		order = func(a, b Point) int {
			return cmp.Or(cmp.Compare(a.CostPerMillion, b.CostPerMillion), cmp.Compare(a.Duration, b.Duration))
		}
	case Speed:
		order = func(a, b Point) int {
			return cmp.Or(cmp.Compare(a.Duration, b.Duration), cmp.Compare(a.CostPerMillion, b.CostPerMillion))
		}
	case Balanced:
		w := clamp(weight)
		maxCost, maxDuration := maxima(points)
		order = func(a, b Point) int {
			return cmp.Compare(value(a, w, maxCost, maxDuration), value(b, w, maxCost, maxDuration))
		}
	default:
		return -1
	}
	best := -1
	for i, p := range points {
		if p.Considered() && (best < 0 || order(p, points[best]) < 0) {
			best = i
		}
	}
	return best
}

// Value returns the balanced strategy's value of point i of points, with
// weight w of cost: what Balanced minimises, for the report; 0 for a
// point the strategies do not consider.
func Value(points []Point, i int, w float64) float64 {
	if !points[i].Considered() {
		return 0
	}
	maxCost, maxDuration := maxima(points)
	return value(points[i], clamp(w), maxCost, maxDuration)
}

// maxima returns the highest cost and duration of the points considered.
func maxima(points []Point) (maxCost, maxDuration float64) {
	for _, p := range points {
		if p.Considered() {
			maxCost, maxDuration = max(maxCost, p.CostPerMillion), max(maxDuration, p.Duration)
		}
	}
	return maxCost, maxDuration
}

// value is Power Tuning's balanced value of p: w·cost/maxCost +
// (1−w)·duration/maxDuration, the cost term 0 when every cost is.
func value(p Point, w, maxCost, maxDuration float64) float64 {
	v := (1 - w) * p.Duration / maxDuration
	if maxCost > 0 {
		v += w * p.CostPerMillion / maxCost
	}
	return v
}

// clamp bounds a weight to [0, 1].
func clamp(w float64) float64 { return min(max(w, 0), 1) }
