package cost

import (
	"fmt"
	"math"
	"slices"
)

// BreakEven is where the always-on server becomes cheaper than Lambda, as
// the average request rate grows with the scenario's peak-to-average ratio.
type BreakEven struct {
	// Found says the server becomes cheaper somewhere inside the charted
	// range, at Rate.
	Found bool `json:"found"`
	// Rate is the lowest average request rate at which the server costs
	// at most what Lambda does.
	Rate Figure `json:"rate"`
	// Monthly is what each target costs a month at Rate, USD.
	Monthly float64 `json:"monthly"`
	// Stays is the average rate from which on the server costs at most
	// what Lambda does at every rate up to To; above Rate when Lambda is
	// cheaper again just after the server adds an instance; zero if the
	// server is not cheaper at To.
	Stays float64 `json:"stays_cheaper_from"`
	From  float64 `json:"from_rate"` // the charted range of average rates, requests/s
	To    float64 `json:"to_rate"`
	Text  string  `json:"text"` // what it means, in a sentence
}

// Point is one point of the chart of monthly cost against average request
// rate.
type Point struct {
	Rate      float64 `json:"rate"`           // average requests/s
	Lambda    float64 `json:"lambda_monthly"` // USD/month
	Server    float64 `json:"server_monthly"` // USD/month
	Instances int     `json:"server_instances"`
}

// Linear is how a function's monthly cost grows with the average request
// rate r, the schedule keeping its shape: Fixed + PerRate × r. Provisioned
// concurrency and an ALB's hours are fixed; requests, duration and the
// front door's per-request prices (API Gateway's, an ALB's LCUs) grow with
// the rate at the run's mix.
type Linear struct {
	Fixed   float64 `json:"fixed_monthly"`    // USD a month at any rate
	PerRate float64 `json:"monthly_per_rate"` // USD a month per request/s on average
}

// Monthly returns the cost a month at average rate r.
func (l Linear) Monthly(r float64) float64 { return l.Fixed + l.PerRate*r }

// Stepped is how a server's monthly cost grows with the average request
// rate r: as many instances as the peak (PeakRatio × r) needs, each costing
// Instance a month, and its front door, Fixed + PerRate × r.
type Stepped struct {
	Instance     float64 `json:"instance_monthly"` // one instance for a Month, USD
	MinInstances int     `json:"min_instances"`
	// Fixed is what the front door costs a month at any rate (an ALB's
	// hours), PerRate what it adds a month per request/s on average (its
	// LCUs), USD.
	Fixed   float64 `json:"front_door_fixed_monthly,omitempty"`
	PerRate float64 `json:"front_door_monthly_per_rate,omitempty"`
	// PerInstance is the peak rate one instance carries, requests/s; 0
	// when it was not measured, and then the server keeps MinInstances.
	PerInstance float64 `json:"per_instance_rate"`
	PeakRatio   float64 `json:"peak_ratio"` // peak rate / average rate
}

// Instances returns the instances the peak of average rate r needs.
func (s Stepped) Instances(r float64) int {
	if s.PerInstance <= 0 || s.PeakRatio <= 0 {
		return s.MinInstances
	}
	need := math.Ceil(s.PeakRatio*r/s.PerInstance - 1e-9)
	return max(s.MinInstances, int(min(need, 1e12)))
}

// Monthly returns the cost a month at average rate r.
func (s Stepped) Monthly(r float64) float64 {
	return float64(s.Instances(r))*s.Instance + s.Fixed + s.PerRate*r
}

// top returns the highest average rate n instances carry.
func (s Stepped) top(n int) float64 { return float64(n) * s.PerInstance / s.PeakRatio }

// edges returns the average rates in (lo, hi) where the instance count
// steps, both sides of each, when there are few enough to draw.
func (s Stepped) edges(lo, hi float64) []float64 {
	if s.PerInstance <= 0 || s.PeakRatio <= 0 {
		return nil
	}
	var rates []float64
	first, last := s.Instances(lo), s.Instances(hi)
	if last-first <= maxEdges {
		for k := first; k < last; k++ {
			if t := s.top(k); t > lo && t < hi {
				rates = append(rates, t, math.Nextafter(t, math.Inf(1)))
			}
		}
	}
	return rates
}

// model is a function's cost and a server's side by side, to solve where
// one becomes cheaper than the other.
type model struct {
	Linear
	Stepped
}

func (m *model) lambda(r float64) float64 { return m.Linear.Monthly(r) }
func (m *model) instances(r float64) int  { return m.Stepped.Instances(r) }
func (m *model) server(r float64) float64 { return m.Stepped.Monthly(r) }

// Chart range and resolution: three decades either side of the scenario's
// average rate, ten points a decade.
const (
	decades        = 3
	pointsInDecade = 10
	maxSteps       = 10_000_000 // server instance counts worth solving step by step
	maxEdges       = 400        // instance steps drawn exactly
)

// chartRange returns the range of average rates charted around avg.
func chartRange(avg float64) (lo, hi float64) {
	e := math.Round(math.Log10(avg))
	return math.Pow(10, e-decades), math.Pow(10, e+decades)
}

// chart fills r.Series and r.BreakEven from m.
func (r *Result) chart(m *model) {
	lo, hi, ok := ChartRange(r.Input.Traffic)
	if !ok {
		return
	}
	r.Series = m.series(lo, hi)
	r.BreakEven = m.breakEven(lo, hi, r.Config.Instance, r.Input.Traffic, "Lambda", "the server")
}

// series returns the monthly costs at log-spaced average rates from lo to
// hi, with both sides of each step of the server's instance count when
// there are few enough to draw.
func (m *model) series(lo, hi float64) []Point {
	rates := append(logRates(lo, hi), m.edges(lo, hi)...)
	slices.Sort(rates)
	pts := make([]Point, 0, len(rates))
	for _, x := range rates {
		pts = append(pts, Point{Rate: x, Lambda: m.lambda(x), Server: m.server(x), Instances: m.instances(x)})
	}
	return pts
}

// logRates returns pointsInDecade rates a decade from lo to hi.
// LogRates returns the average rates from lo to hi a cost line is drawn
// at: log-spaced, pointsInDecade a decade.
func LogRates(lo, hi float64) []float64 { return logRates(lo, hi) }

func logRates(lo, hi float64) []float64 {
	var rates []float64
	n := int(math.Round(math.Log10(hi/lo) * pointsInDecade))
	for i := 0; i <= n; i++ {
		rates = append(rates, lo*math.Pow(10, float64(i)/pointsInDecade))
	}
	return rates
}

// breakEven solves where the server costs at most what the function does,
// step by step of the server's instance count: on a step of n instances
// the server costs n×instance + its front door's fixed + perRate×x, the
// function fixed + perRate×x, so the server costs at most the function
// where c ≤ d×x, c being the server's cost less the function's at rate 0
// and d how much faster the function's grows. fn and srv name the
// function and the server in the text.
func (m *model) breakEven(lo, hi float64, instance string, t Traffic, fn, srv string) *BreakEven {
	be := &BreakEven{From: lo, To: hi}
	type step struct {
		n        int
		from, to float64 // the step covers (from, to]
	}
	var steps []step
	nlo, nhi := m.instances(lo), m.instances(hi)
	if nhi-nlo > maxSteps {
		be.Text = fmt.Sprintf("Not solved: %s would need from %d to %d instances across the range.", srv, nlo, nhi)
		return be
	}
	for n := nlo; n <= nhi; n++ {
		s := step{n: n, from: lo, to: hi}
		if n > nlo {
			s.from = m.top(n - 1)
		}
		if n < nhi {
			s.to = m.top(n)
		}
		steps = append(steps, s)
	}
	// cheap returns the part [a, b] of step s where the server costs at
	// most what the function does, and whether there is one.
	cheap := func(s step) (a, b float64, ok bool) {
		c := float64(s.n)*m.Instance + m.Stepped.Fixed - m.Linear.Fixed
		d := m.Linear.PerRate - m.Stepped.PerRate
		a, b = s.from, s.to
		switch {
		case d > 0:
			a = max(a, c/d)
		case d < 0: // the server's front door grows faster: cheaper below c/d
			b = min(b, c/d)
		case c > 0:
			return 0, 0, false
		}
		return a, b, a <= b
	}
	first, found := 0.0, false
	for _, s := range steps {
		if a, _, ok := cheap(s); ok {
			first, found = a, true
			break
		}
	}
	for i := len(steps) - 1; i >= 0; i-- {
		a, b, ok := cheap(steps[i])
		if !ok || b < steps[i].to {
			break // not cheaper at the top of the step
		}
		be.Stays = a
		if a > steps[i].from {
			break
		}
	}

	door := ""
	if m.Stepped.Fixed > 0 || m.Stepped.PerRate > 0 {
		door = " and its front door"
	}
	at := func(rate float64) string {
		return fmt.Sprintf("%s requests/s on average (a peak of %s requests/s, %d × %s%s: $%s a month)",
			g(rate), g(rate*m.PeakRatio), m.instances(rate), instance, door, g(m.server(rate)))
	}
	switch {
	case !found:
		be.Text = fmt.Sprintf("No break-even between %s and %s requests/s on average: %s is cheaper across the range.", g(lo), g(hi), fn)
	case first <= lo:
		be.Text = fmt.Sprintf("No break-even between %s and %s requests/s on average: %s is cheaper from the bottom of the range, %s.", g(lo), g(hi), srv, at(lo))
		if be.Stays > lo {
			be.Text += fmt.Sprintf(" Below %s requests/s, %s is cheaper just after some instance steps.", g(be.Stays), fn)
		}
	default:
		be.Found = true
		be.Rate = Figure{Value: first, Unit: "requests/s", Source: fmt.Sprintf(
			"where %s's monthly cost, growing with the rate at this run's cost per request, reaches %s's, whose instances grow with the peak (%s × the average, as in this scenario); front doors included",
			fn, srv, g(m.PeakRatio))}
		be.Monthly = m.server(first)
		be.Text = fmt.Sprintf("At %s, %s becomes cheaper than %s.", at(first), srv, fn)
		switch {
		case be.Stays == 0:
			be.Text += fmt.Sprintf(" It is not cheaper at the top of the range, %s requests/s.", g(hi))
		case be.Stays > first*(1+1e-9):
			be.Text += fmt.Sprintf(" Up to %s requests/s, %s is cheaper again just after each instance %s adds.", g(be.Stays), fn, srv)
		}
	}
	if t.PeakRate > 0 && m.PerInstance <= 0 {
		be.Text += fmt.Sprintf(" The capacity of %s was not measured, so it keeps its minimum of instances at every rate.", srv)
	}
	return be
}
