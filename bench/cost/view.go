package cost

import "fmt"

// View is a priced target as every reader sees it, whatever its kind:
// the verdict, the ranking, the report's cost table and chart and the
// terminal read a Result through its View, never its kind's own fields.
type View struct {
	// Unpriced says why the target could not be priced; the figures are
	// then zero.
	Unpriced   string `json:"unpriced,omitempty"`
	Monthly    Figure `json:"monthly"`
	PerMillion Figure `json:"per_million_requests"`
	// Parts are what Monthly is made of; Extras are more rows of the
	// cost table that only this kind of target has (the instances a
	// server needs at the peak, its capacity), Value written out.
	Parts  []Figure `json:"parts,omitempty"`
	Extras []Extra  `json:"extras,omitempty"`
	// As says what the target was priced as, its front door included:
	// "x86_64, 512 MB, 2 provisioned, behind a Function URL"; Short, for
	// a chart's legend, without the front door: "x86_64, 512 MB".
	As    string `json:"as,omitempty"`
	Short string `json:"short,omitempty"`
	// Brief is how the terminal's cost line says it: "behind a Function
	// URL", "on 2 × t4g.small, reached directly".
	Brief string `json:"brief,omitempty"`
	// FrontDoor is what the target was priced behind, DefaultFrontDoor
	// what its kind is priced behind unless the scenario says otherwise.
	FrontDoor        FrontDoor `json:"front_door,omitempty"`
	DefaultFrontDoor FrontDoor `json:"default_front_door,omitempty"`
	// AlwaysOn says the target is paid for by the hour whether it is used
	// or not (a server): the reference a pay-per-use target breaks even
	// against.
	AlwaysOn bool `json:"always_on,omitempty"`
	// Month says how the month of a whole trace was priced, for the
	// trace section: "$12.3 a month, $0.41 per million requests: the
	// whole trace's simulated bill × 40.3".
	Month string `json:"month,omitempty"`
	// Levels are, for a kind whose price model is its own
	// (Result.Model), its cost line: what it would cost a month at other
	// average rates, the schedule keeping its shape (Line), over the
	// traffic's ChartRange at LogRates.
	Levels []Level `json:"levels,omitempty"`
}

// Extra is one more row of a target's cost table.
type Extra struct {
	What   string `json:"what"`
	Value  string `json:"value"`
	Source string `json:"source,omitempty"`
}

// View returns r as every reader sees it.
func (r *Result) View() View {
	switch {
	case r == nil:
		return View{Unpriced: "not priced"}
	case r.Model != nil:
		return *r.Model
	case r.Lambda != nil:
		l, u := r.Lambda, r.Input.Lambda
		v := View{Unpriced: l.Unpriced, Monthly: l.Monthly, PerMillion: l.PerMillion, Parts: append(append([]Figure(nil), l.Parts...), l.Init),
			FrontDoor: l.FrontDoor, DefaultFrontDoor: DefaultLambdaFrontDoor}
		if l.FrontDoor == "" {
			v.FrontDoor = r.Config.LambdaFrontDoor
		}
		if u != nil {
			v.Short = fmt.Sprintf("%s, %d MB", r.Config.Architecture, u.MemoryMB)
			v.As = v.Short
			if u.Provisioned > 0 {
				v.As += fmt.Sprintf(", %d provisioned", u.Provisioned)
			}
		}
		v.As += ", " + v.FrontDoor.Behind()
		v.Brief = v.FrontDoor.Behind()
		v.Month = fmt.Sprintf("%s a month, %s per million requests: the whole trace's simulated bill × %s",
			Dollars(l.Monthly.Value), Dollars(l.PerMillion.Value), Sig(r.Input.Traffic.Repeats()))
		return v
	case r.Server != nil:
		s := r.Server
		v := View{Monthly: s.Monthly, PerMillion: s.PerMillion, Parts: s.Parts, FrontDoor: s.FrontDoor, DefaultFrontDoor: DefaultServerFrontDoor, AlwaysOn: true,
			Short: "on " + r.Config.Instance}
		v.As = fmt.Sprintf("%g × %s (at least %d, each at %s of its CPU at the peak), %s",
			s.Instances.Value, s.Instance, r.Config.MinInstances, Percent(r.Config.TargetUtilization), s.FrontDoor.Behind())
		v.Brief = fmt.Sprintf("on %g × %s, %s", s.Instances.Value, s.Instance, s.FrontDoor.Behind())
		v.Extras = append(v.Extras, Extra{"instances at the peak rate", fmt.Sprintf("%g × %s", s.Instances.Value, s.Instance), s.Instances.Source})
		if s.Capacity.Value > 0 {
			v.Extras = append(v.Extras,
				Extra{"capacity measured", fmt.Sprintf("%s req/CPU-s", Sig(s.Capacity.Value)), s.Capacity.Source},
				Extra{"one instance carries", fmt.Sprintf("%s req/s", Sig(s.PerInstance.Value)), s.PerInstance.Source})
		} else {
			v.Extras = append(v.Extras, Extra{"capacity measured", "–", s.Capacity.Source})
		}
		v.Month = fmt.Sprintf("%s a month on %g × %s, the instances the trace's peak of %.3g requests/s needs",
			Dollars(s.Monthly.Value), s.Instances.Value, s.Instance, r.Input.Traffic.PeakRate)
		return v
	}
	return View{Unpriced: "nothing to price"}
}

// Priced returns r's monthly cost, and whether it has one.
func (r *Result) Priced() (monthly float64, ok bool) {
	if r == nil {
		return 0, false
	}
	v := r.View()
	return v.Monthly.Value, v.Unpriced == ""
}
