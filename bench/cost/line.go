package cost

import "slices"

// Level is one point of a target's cost line: what it costs a month at
// an average request rate, the schedule keeping its shape.
type Level struct {
	Rate      float64 `json:"rate"`                // average requests/s
	Monthly   float64 `json:"monthly"`             // USD/month
	Instances int     `json:"instances,omitempty"` // a server's, at that rate
}

// ChartRange returns the range of average rates a chart of the cost of
// traffic t shows, three decades either side of its average rate, and
// whether t has one.
func ChartRange(t Traffic) (lo, hi float64, ok bool) {
	if t.AverageRate <= 0 || t.Seconds <= 0 {
		return 0, 0, false
	}
	lo, hi = chartRange(t.AverageRate)
	return lo, hi, true
}

// Line returns the monthly cost of the one target r prices at log-spaced
// average rates from lo to hi: a function's grows linearly with the rate,
// a server's by steps of an instance, both sides of each step drawn when
// there are few enough. It returns nil when r cannot say how its cost
// grows (an unpriced function) or prices no target.
func (r *Result) Line(lo, hi float64) []Level {
	if r == nil || !(lo > 0 && hi > lo) {
		return nil
	}
	switch {
	case r.Model != nil:
		var pts []Level
		for _, l := range r.Model.Levels {
			if l.Rate >= lo*(1-1e-9) && l.Rate <= hi*(1+1e-9) {
				pts = append(pts, l)
			}
		}
		return pts
	case r.Lambda != nil && r.Lambda.Scaling != nil:
		l := *r.Lambda.Scaling
		var pts []Level
		for _, x := range logRates(lo, hi) {
			pts = append(pts, Level{Rate: x, Monthly: l.Monthly(x)})
		}
		return pts
	case r.Server != nil && r.Server.Scaling != nil:
		s := *r.Server.Scaling
		rates := append(logRates(lo, hi), s.edges(lo, hi)...)
		slices.Sort(rates)
		pts := make([]Level, 0, len(rates))
		for _, x := range rates {
			pts = append(pts, Level{Rate: x, Monthly: s.Monthly(x), Instances: s.Instances(x)})
		}
		return pts
	}
	return nil
}

// BreakEvenOf returns where the server that srv prices alone becomes
// cheaper than the function that fn prices alone, over the chart range of
// srv's traffic, fnName and srvName naming them in its text; nil when fn
// is not a priced function, srv not a server, or the traffic has no
// average rate. Unlike Compute's BreakEven, each side keeps its own
// configuration (the function's architecture, the server's instance).
func BreakEvenOf(fn *Result, fnName string, srv *Result, srvName string) *BreakEven {
	if fn == nil || srv == nil || fn.Lambda == nil || fn.Lambda.Scaling == nil || srv.Server == nil || srv.Server.Scaling == nil {
		return nil
	}
	lo, hi, ok := ChartRange(srv.Input.Traffic)
	if !ok {
		return nil
	}
	m := &model{Linear: *fn.Lambda.Scaling, Stepped: *srv.Server.Scaling}
	return m.breakEven(lo, hi, srv.Config.Instance, srv.Input.Traffic, fnName, srvName)
}
