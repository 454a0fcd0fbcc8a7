package scenario

import (
	"fmt"
	"slices"
)

// Scaled returns a copy of s whose phases send f times their rates: rate,
// from, to, mean and amplitude are multiplied by f. Phases with rate: max
// keep their workers (a closed model has no rate to scale), and workers
// limits stay as written. With 0 < f <= 1, N load generators that each
// run the scenario scaled by 1/N send the scenario's load between them.
// s is not modified.
func (s *Scenario) Scaled(f float64) (*Scenario, error) {
	if !(f > 0 && f <= 1) {
		return nil, fmt.Errorf("rate scale must be more than 0 and at most 1 (1/N for N load generators, such as 0.25), not %g", f)
	}
	for _, p := range s.Phases {
		if p.Trace != nil && f != 1 {
			return nil, fmt.Errorf("rate scale applies to rates, and phase %q (line %d) replays a trace's counts; run without -rate-scale", p.Name, p.Line)
		}
	}
	c := *s
	c.Phases = slices.Clone(s.Phases)
	for i := range c.Phases {
		p := &c.Phases[i]
		p.Rate *= f
		p.From *= f
		p.To *= f
		p.Mean *= f
		p.Amplitude *= f
	}
	return &c, nil
}
