package scenario

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Objective is a service-level objective a target must meet, written in the
// scenario as "<target>[/<class>] <metric> < <limit>", such as
// "lambda p99 < 250ms", "lambda/cold p99.9 < 2s" or "server error_rate < 0.1%".
type Objective struct {
	Target string // a target's name
	Class  string // all (the default), cold, warm or provisioned
	Metric string // a latency metric (see LatencyMetrics) or ErrorRate
	// Limit is the bound of a latency metric, which must stay below it.
	Limit time.Duration
	// MaxErrorRate is the bound of ErrorRate, a fraction (0.001 is 0.1%).
	MaxErrorRate float64
	Text         string // as written
	Line         int    // its line in the scenario file
	// Sweep is the swept target the objective was written for, when it
	// is one of the copies an objective naming a sweep makes (one per
	// size, Target being the size's); empty otherwise.
	Sweep string
}

// ErrorRate is the metric of an objective on the share of requests without
// a 2xx response.
const ErrorRate = "error_rate"

// LatencyMetrics lists the latency metrics an objective can bound.
func LatencyMetrics() []string {
	return []string{"mean", "p50", "p90", "p99", "p99.9", "p99.99", "p99.999", "max"}
}

// String returns the objective as written.
func (o Objective) String() string { return o.Text }

// objectives reads the list of objectives n.
func (p *Parser) objectives(n *yaml.Node) []Objective {
	l := Resolve(n)
	if IsNull(l) {
		return nil
	}
	if l.Kind != yaml.SequenceNode {
		p.KindError(n, "objectives", `a list such as ["lambda p99 < 250ms", "server error_rate < 0.1%"]`)
		return nil
	}
	var out []Objective
	for _, e := range l.Content {
		text, ok := p.Str(e, "an objective")
		if !ok {
			continue
		}
		o, err := parseObjective(text)
		if err != nil {
			p.Errorf(e, "objective %q: %v", text, err)
			continue
		}
		o.Line = e.Line
		out = append(out, o)
	}
	return out
}

// parseObjective parses "<target>[/<class>] <metric> < <limit>".
func parseObjective(text string) (Objective, error) {
	const form = `write <target>[/<class>] <metric> < <limit>, such as "lambda p99 < 250ms" or "server error_rate < 0.1%"`
	o := Objective{Text: text, Class: "all"}
	f := strings.Fields(text)
	if len(f) != 4 || (f[2] != "<" && f[2] != "<=") {
		return o, fmt.Errorf("%s", form)
	}
	target, class, hasClass := strings.Cut(f[0], "/")
	if err := checkName(target); err != nil {
		return o, err
	}
	o.Target = target
	if hasClass {
		// The scenario checks the class against the target's kind once it
		// knows the target (checkObjectives).
		classes := knownClasses()
		if !slices.Contains(classes, class) {
			return o, fmt.Errorf("unknown class %q of %s%s", class, target, DidYouMean(class, "use "+Join(classes, "or"), classes...))
		}
		o.Class = class
	}
	o.Metric = f[1]
	limit := f[3]
	switch {
	case o.Metric == ErrorRate:
		pct, ok := strings.CutSuffix(limit, "%")
		x, err := strconv.ParseFloat(pct, 64)
		if !ok || err != nil || x < 0 || x > 100 {
			return o, fmt.Errorf("the limit of error_rate is a percentage between 0%% and 100%%, such as 0.1%%, not %q", limit)
		}
		o.MaxErrorRate = x / 100
	case slices.Contains(LatencyMetrics(), o.Metric):
		d, err := time.ParseDuration(limit)
		if err != nil || d <= 0 {
			return o, fmt.Errorf("the limit of %s is a duration above 0, such as 250ms or 1.5s, not %q", o.Metric, limit)
		}
		o.Limit = d
	default:
		metrics := append(LatencyMetrics(), ErrorRate)
		return o, fmt.Errorf("unknown metric %q%s", o.Metric, DidYouMean(o.Metric, "use "+Join(metrics, "or"), metrics...))
	}
	return o, nil
}

// checkObjectives reports objectives about a target the scenario does not
// run, or a class its kind does not record.
func (p *Parser) checkObjectives(s *Scenario) {
	for _, o := range s.Objectives {
		at := &yaml.Node{Line: o.Line}
		t := s.Target(o.Target)
		if t == nil {
			names := s.Names()
			p.Errorf(at, "objective %q: the scenario has no target %q%s", o.Text, o.Target,
				DidYouMean(o.Target, "its targets are "+Join(names, "and"), names...))
			continue
		}
		if classes := t.Classes; !slices.Contains(classes, o.Class) {
			p.Errorf(at, "objective %q: %s is a %s target, which records %s, not %s; remove /%s",
				o.Text, t.Name, t.Kind, Join(classes, "and"), o.Class, o.Class)
		}
	}
}

// knownClasses are the classes an objective may name: all, and those the
// kinds record (a Target's Classes), in the order reports list them.
func knownClasses() []string { return []string{"all", "cold", "warm", "provisioned"} }
