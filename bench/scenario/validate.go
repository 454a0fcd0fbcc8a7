package scenario

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Limits and defaults of the file format; see the package documentation.
const (
	maxWork    = 10 * time.Second
	minRate    = 0.001 // one request every 1000 s
	maxRate    = 1e6   // far beyond what one machine sends
	maxWorkers = 100_000
)

// scenario reads the top-level mapping n.
func (p *Parser) scenario(n *yaml.Node) *Scenario {
	m := Resolve(n)
	if m.Kind != yaml.MappingNode {
		p.Errorf(n, "a scenario must be a mapping with keys such as targets and phases, not %s", Describe(m))
		return nil
	}
	s := &Scenario{
		Name: strings.TrimSuffix(filepath.Base(p.path), filepath.Ext(p.path)),
		Path: p.path,
	}
	f := p.Fields(m, "at the top level", TopLevelKeys(p.kinds)...)
	if e := f["name"].Value; e != nil {
		if name, ok := p.Str(e, "name"); ok && name == "" {
			p.Errorf(e, "name is empty; give one or remove the key to use the file name")
		} else if ok {
			s.Name = name
		}
	}
	if e := f["description"].Value; e != nil {
		d, _ := p.Str(e, "description")
		s.Description = strings.TrimSpace(d) // block scalars (>, |) end in a newline
	}
	if e := f["concurrent"].Value; e != nil {
		s.Concurrent, _ = p.Boolean(e, "concurrent")
	}
	if e := f["host_wait"].Value; e != nil {
		if v, ok := p.Str(e, "host_wait"); ok {
			switch v {
			case HostWaitSubtract:
			case HostWaitKeep:
				s.KeepHostWait = true
			default:
				p.Errorf(e, "host_wait must be %q (judge latencies less the time the target waited for this machine's CPU, the default) or %q (judge them as measured), not %q", HostWaitSubtract, HostWaitKeep, v)
			}
		}
	}
	s.Cost = p.cost(f["cost"].Value)
	s.Request = p.Request(f["request"].Value, "request")
	s.Targets = p.targets(f["targets"].Value, f, *s)
	if e := f["objectives"].Value; e != nil {
		s.Objectives = p.objectives(e)
		expandSweeps(s)
		p.checkObjectives(s)
	}
	if e := f["phases"].Value; e != nil {
		s.Phases = p.phases(e)
		p.checkSpeeds(s, Resolve(e).Content)
	} else {
		p.Errorf(fileStart(), "missing phases; a scenario needs a list of at least one phase")
	}
	return s
}

// Work reads init_work and request_work from the fields of section.
func (p *Parser) Work(f map[string]Field, section string) Work {
	return Work{
		Init:    p.workTime(f["init_work"].Value, section+".init_work"),
		Request: p.workTime(f["request_work"].Value, section+".request_work"),
		Wait:    p.workTime(f["request_wait"].Value, section+".request_wait"),
	}
}

func (p *Parser) workTime(n *yaml.Node, what string) time.Duration {
	if n == nil {
		return 0
	}
	d, ok := p.Duration(n, what)
	if ok && (d < 0 || d >= maxWork) {
		p.Errorf(n, "%s must be at least 0 and below %s, not %s", what, maxWork, Resolve(n).Value)
		return 0
	}
	return d
}

// phases reads the list of phases.
func (p *Parser) phases(n *yaml.Node) []Phase {
	l := Resolve(n)
	if l.Kind != yaml.SequenceNode && !IsNull(l) {
		p.KindError(n, "phases", "a list of phases")
		return nil
	}
	if len(l.Content) == 0 {
		p.Errorf(n, "phases is empty; list at least one phase")
		return nil
	}
	ps := make([]Phase, len(l.Content))
	first := make(map[string]int)
	for i, e := range l.Content {
		ps[i] = p.phase(e, i)
		if line, dup := first[ps[i].Name]; dup {
			p.Errorf(e, "phase %q: name already used by the phase at line %d; give each phase its own name", ps[i].Name, line)
		} else {
			first[ps[i].Name] = ps[i].Line
		}
	}
	return ps
}

// rateFields returns the fields that set the rate of shape s, in the order
// they are documented, and whether s is a shape at all.
func (s Shape) rateFields() ([]string, bool) {
	switch s {
	case Constant:
		return []string{"rate"}, true
	case Ramp:
		return []string{"from", "to"}, true
	case Sine:
		return []string{"mean", "amplitude", "period"}, true
	case Idle:
		return nil, true
	case Trace:
		return []string{"file", "format"}, true
	}
	return nil, false
}

// phase reads the i'th phase (from 0), n.
func (p *Parser) phase(n *yaml.Node, i int) Phase {
	ph := Phase{Name: fmt.Sprintf("phase-%d", i+1), Line: n.Line}
	m := Resolve(n)
	if m.Kind != yaml.MappingNode {
		p.KindError(n, fmt.Sprintf("phase %d", i+1), "a mapping with a duration, a shape and the shape's fields")
		return ph
	}
	// Messages name the phase, so the name comes first.
	if e := Lookup(m, "name"); e != nil {
		if v := Resolve(e); v.Kind == yaml.ScalarNode && !IsNull(v) && v.Value != "" {
			ph.Name = v.Value
		}
	}
	where := fmt.Sprintf("phase %q", ph.Name)
	f := p.Fields(m, "in "+where, PhaseKeys()...)
	if e := f["name"].Value; e != nil {
		if name, ok := p.Str(e, where+": name"); ok && name == "" {
			p.Errorf(e, "%s: name is empty; give one or remove the key", where)
		}
	}

	if e := f["duration"].Value; e == nil && !isTrace(f) {
		p.Errorf(n, "%s: missing duration, such as duration: 30s", where)
	} else if e == nil {
	} else if d, ok := p.Duration(e, where+": duration"); ok && d <= 0 {
		p.Errorf(e, "%s: duration must be > 0, not %s", where, Resolve(e).Value)
	} else if ok {
		ph.Duration = d
	}

	var takes []string
	known := false
	if e := f["shape"].Value; e == nil {
		p.Errorf(n, "%s: missing shape; use constant, ramp, sine, idle or trace", where)
	} else if s, ok := p.Str(e, where+": shape"); ok {
		if takes, known = Shape(s).rateFields(); known {
			ph.Shape = Shape(s)
		} else {
			p.Errorf(e, "%s: unknown shape %q%s", where, s,
				DidYouMean(s, "use constant, ramp, sine, idle or trace", string(Constant), string(Ramp), string(Sine), string(Idle), string(Trace)))
		}
	}

	var missing []string
	for _, k := range takes {
		if _, given := f[k]; !given {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		p.Errorf(n, "%s: missing %s, which shape %s needs", where, Join(missing, "and"), ph.Shape)
	}

	rates := map[string]*float64{"rate": &ph.Rate, "from": &ph.From, "to": &ph.To, "mean": &ph.Mean, "amplitude": &ph.Amplitude}
	for _, k := range []string{"rate", "from", "to", "mean", "amplitude", "period"} {
		e, given := f[k]
		switch {
		case !given:
			continue
		case known && ph.Shape == Trace && (k == "from" || k == "to"):
			continue // a window of the trace, read by p.trace
		case known && ph.Shape == Idle:
			p.Errorf(e.Key, "%s: shape idle sends no requests; remove %s", where, k)
			continue
		case known && !slices.Contains(takes, k):
			p.Errorf(e.Key, "%s: shape %s takes %s, not %s", where, ph.Shape, Join(takes, "and"), k)
			continue
		}
		what := where + ": " + k
		if k == "period" {
			if d, ok := p.Duration(e.Value, what); ok && d <= 0 {
				p.Errorf(e.Value, "%s must be > 0, not %s", what, Resolve(e.Value).Value)
			} else if ok {
				ph.Period = d
			}
			continue
		}
		if k == "rate" && Resolve(e.Value).Kind == yaml.ScalarNode && Resolve(e.Value).Value == "max" {
			ph.Max = true
			continue
		}
		if x, ok := p.Number(e.Value, what); ok && x <= 0 {
			p.Errorf(e.Value, "%s must be > 0 requests/s, not %s", what, Resolve(e.Value).Value)
		} else if ok && (x < minRate || x > maxRate) {
			p.Errorf(e.Value, "%s must be between %g and %g requests/s, not %s", what, minRate, maxRate, Resolve(e.Value).Value)
		} else if ok {
			*rates[k] = x
		}
	}
	if e := f["workers"].Value; e != nil {
		if known && ph.Shape == Idle {
			p.Errorf(f["workers"].Key, "%s: shape idle sends no requests; remove workers", where)
		} else if k, ok := p.Integer(e, where+": workers"); ok && (k < 1 || k > maxWorkers) {
			p.Errorf(e, "%s: workers must be between 1 and %d requests in flight, not %d", where, maxWorkers, k)
		} else if ok {
			ph.Workers = k
		}
	}
	if ph.Max && ph.Workers == 0 {
		p.Errorf(f["rate"].Value, "%s: rate: max needs workers, the number of requests kept in flight, such as workers: 32", where)
	}
	for _, k := range traceOnly() {
		if e, given := f[k]; given && known && ph.Shape != Trace {
			p.Errorf(e.Key, "%s: %s is a key of shape trace, not of %s; remove it", where, k, ph.Shape)
		}
	}
	if known && ph.Shape == Trace {
		ph.Trace = p.trace(n, f, where)
		p.traceDuration(&ph, f["duration"].Value, where)
	}
	if ph.Shape == Sine && ph.Mean > 0 && ph.Amplitude >= ph.Mean {
		e := f["amplitude"].Value
		p.Errorf(e, "%s: amplitude must be less than mean (%s) so the rate stays above 0, not %s",
			where, Resolve(f["mean"].Value).Value, Resolve(e).Value)
	}
	return ph
}

// isTrace reports whether the phase with fields f says shape: trace.
func isTrace(f map[string]Field) bool {
	v := f["shape"].Value
	return v != nil && Resolve(v).Kind == yaml.ScalarNode && Resolve(v).Value == string(Trace)
}
