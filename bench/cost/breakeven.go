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

// model is the monthly cost of each target as a function of the average
// request rate r, the peak rising with it in the scenario's proportion.
type model struct {
	// Lambda costs fixed + perRate*r: provisioned concurrency is fixed,
	// requests and duration grow with the rate at the run's mix.
	fixed, perRate float64

	instance     float64 // one server instance for a Month, USD
	minInstances int
	perInstance  float64 // peak requests/s one instance carries; 0: unmeasured
	peakRatio    float64 // peak rate / average rate
}

func (m *model) lambda(r float64) float64 { return m.fixed + m.perRate*r }

// instances returns the server instances the peak of average rate r needs.
func (m *model) instances(r float64) int {
	if m.perInstance <= 0 || m.peakRatio <= 0 {
		return m.minInstances
	}
	need := math.Ceil(m.peakRatio*r/m.perInstance - 1e-9)
	return max(m.minInstances, int(min(need, 1e12)))
}

func (m *model) server(r float64) float64 { return float64(m.instances(r)) * m.instance }

// top returns the highest average rate n instances carry.
func (m *model) top(n int) float64 { return float64(n) * m.perInstance / m.peakRatio }

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
	avg := r.Input.Traffic.AverageRate
	if avg <= 0 || r.Input.Traffic.Seconds <= 0 {
		return
	}
	lo, hi := chartRange(avg)
	r.Series = m.series(lo, hi)
	r.BreakEven = m.breakEven(lo, hi, r.Config.Instance, r.Input.Traffic)
}

// series returns the monthly costs at log-spaced average rates from lo to
// hi, with both sides of each step of the server's instance count when
// there are few enough to draw.
func (m *model) series(lo, hi float64) []Point {
	rates := []float64{}
	n := int(math.Round(math.Log10(hi/lo) * pointsInDecade))
	for i := 0; i <= n; i++ {
		rates = append(rates, lo*math.Pow(10, float64(i)/pointsInDecade))
	}
	if m.perInstance > 0 && m.peakRatio > 0 {
		first, last := m.instances(lo), m.instances(hi)
		if last-first <= maxEdges {
			for k := first; k < last; k++ {
				if t := m.top(k); t > lo && t < hi {
					rates = append(rates, t, math.Nextafter(t, math.Inf(1)))
				}
			}
		}
	}
	slices.Sort(rates)
	pts := make([]Point, 0, len(rates))
	for _, x := range rates {
		pts = append(pts, Point{Rate: x, Lambda: m.lambda(x), Server: m.server(x), Instances: m.instances(x)})
	}
	return pts
}

// breakEven solves where the server costs at most what Lambda does, step
// by step of the server's instance count: on a step of n instances the
// server costs n*instance, and Lambda's cost, which grows with the rate,
// reaches it at (n*instance - fixed) / perRate.
func (m *model) breakEven(lo, hi float64, instance string, t Traffic) *BreakEven {
	be := &BreakEven{From: lo, To: hi}
	type step struct {
		n        int
		from, to float64 // the step covers (from, to]
	}
	var steps []step
	nlo, nhi := m.instances(lo), m.instances(hi)
	if nhi-nlo > maxSteps {
		be.Text = fmt.Sprintf("Not solved: the server would need from %d to %d instances across the range.", nlo, nhi)
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
	// cheapFrom returns where on step s the server becomes the cheaper,
	// and whether it does.
	cheapFrom := func(s step) (float64, bool) {
		cost := float64(s.n) * m.instance
		var x float64
		switch {
		case m.perRate > 0:
			x = (cost - m.fixed) / m.perRate
		case m.fixed >= cost:
			x = math.Inf(-1)
		default:
			x = math.Inf(1)
		}
		x = max(x, s.from)
		return x, x <= s.to
	}
	first, found := 0.0, false
	for _, s := range steps {
		if x, ok := cheapFrom(s); ok {
			first, found = x, true
			break
		}
	}
	for i := len(steps) - 1; i >= 0; i-- {
		x, ok := cheapFrom(steps[i])
		if !ok {
			break
		}
		be.Stays = x
		if x > steps[i].from {
			break
		}
	}

	at := func(rate float64) string {
		return fmt.Sprintf("%s requests/s on average (a peak of %s requests/s, %d × %s: $%s a month)",
			g(rate), g(rate*m.peakRatio), m.instances(rate), instance, g(m.server(rate)))
	}
	switch {
	case !found:
		be.Text = fmt.Sprintf("No break-even between %s and %s requests/s on average: Lambda is cheaper across the range.", g(lo), g(hi))
	case first <= lo:
		be.Text = fmt.Sprintf("No break-even between %s and %s requests/s on average: the server is cheaper from the bottom of the range, %s.", g(lo), g(hi), at(lo))
		if be.Stays > lo {
			be.Text += fmt.Sprintf(" Lambda is cheaper just after some instance steps below %s requests/s.", g(be.Stays))
		}
	default:
		be.Found = true
		be.Rate = Figure{Value: first, Unit: "requests/s", Source: fmt.Sprintf(
			"where Lambda's monthly cost, growing with the rate at this run's cost per request, reaches the server's, whose instances grow with the peak (%s × the average, as in this scenario)",
			g(m.peakRatio))}
		be.Monthly = m.server(first)
		be.Text = fmt.Sprintf("The server becomes cheaper than Lambda at %s.", at(first))
		switch {
		case be.Stays == 0:
			be.Text += fmt.Sprintf(" It is not cheaper at the top of the range, %s requests/s.", g(hi))
		case be.Stays > first*(1+1e-9):
			be.Text += fmt.Sprintf(" Up to %s requests/s, Lambda is cheaper again just after each instance the server adds.", g(be.Stays))
		}
	}
	if t.PeakRate > 0 && m.perInstance <= 0 {
		be.Text += " The server's capacity was not measured, so it keeps its minimum of instances at every rate."
	}
	return be
}
