package scenario

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/coldbench/coldbench/bench/cost"
)

// The writers below write a parsed value back as scenario YAML, the
// parser's other half, checked by the round trips of the fuzz tests: a
// valid value, written and parsed again, comes back the same. They write
// every field, defaults included, so that a default the parser fills in
// is checked too.

// Formatter is a Spec that writes a target's settings back as the keys of
// its entry, those of the cost section aside (Format writes them).
type Formatter interface {
	Format(t Target) map[string]any
}

// Format writes s, whose targets are of the kinds k, as a scenario file:
// its targets as a mapping from names to entries (in their order: a
// yaml.Node, since yaml.v3 sorts the keys of a map), each kind's settings
// as its Formatter writes them.
func Format(s *Scenario, k Specs) ([]byte, error) {
	top := map[string]any{
		"name":        s.Name,
		"description": s.Description,
		"concurrent":  s.Concurrent,
		"cost":        formatCost(s.Cost),
	}
	targets := &yaml.Node{Kind: yaml.MappingNode}
	_, sweeps := s.Sweeps()
	for _, t := range s.Targets {
		var sweep map[string]any
		if b := t.Sweep.Base; b != "" {
			// A sweep is one entry, written at its first size.
			if sweeps[b] == nil {
				continue
			}
			var sizes []int
			for _, c := range sweeps[b] {
				sizes = append(sizes, c.Sweep.MemoryMB)
			}
			delete(sweeps, b)
			t.Name = b
			sweep = map[string]any{"memory": sizes, "weight": t.Sweep.Weight}
		}
		sp, ok := k.Lookup(t.Kind)
		if !ok {
			return nil, fmt.Errorf("target %s: no spec reads kind %q", t.Name, t.Kind)
		}
		entry := map[string]any{}
		if f, ok := sp.(Formatter); ok {
			entry = f.Format(t)
		}
		entry["kind"] = string(t.Kind)
		if sweep != nil {
			delete(entry, "memory")
			entry["sweep"] = sweep
		}
		var costKeys []string
		if pr, ok := sp.(Priced); ok {
			costKeys = pr.CostKeys()
		}
		for k, v := range formatCost(t.Cost) {
			if slices.Contains(costKeys, k) {
				entry[k] = v
			}
		}
		// A target's front_door is its own kind's, a scalar.
		delete(entry, "front_door")
		if fd, ok := sp.(FrontDoored); ok {
			if d := map[DoorFamily]cost.FrontDoor{ServerDoors: t.Cost.ServerFrontDoor, FunctionDoors: t.Cost.LambdaFrontDoor}[fd.FrontDoors()]; d != "" {
				entry["front_door"] = string(d)
			}
		}
		if len(t.Request.List) > 0 && !reflect.DeepEqual(t.Request, s.Request) {
			entry["request"] = formatRequests(t.Request)
		}
		var v yaml.Node
		if err := v.Encode(entry); err != nil {
			return nil, err
		}
		targets.Content = append(targets.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: t.Name}, &v)
	}
	top["targets"] = targets
	if len(s.Request.List) > 0 {
		top["request"] = formatRequests(s.Request)
	}
	if len(s.Objectives) > 0 {
		var objs []string
		for _, o := range s.Objectives {
			if o.Sweep != "" {
				// One objective written for a sweep, copied per size.
				o.Target = o.Sweep
			}
			if f := formatObjective(o); o.Sweep == "" || !slices.Contains(objs, f) {
				objs = append(objs, f)
			}
		}
		top["objectives"] = objs
	}
	phases := make([]map[string]any, len(s.Phases))
	for i, ph := range s.Phases {
		phases[i] = formatPhase(ph)
	}
	top["phases"] = phases
	return yaml.Marshal(top)
}

// FormatWork writes w as the keys init_work, request_work and
// request_wait, for a kind's Formatter.
func FormatWork(w Work) map[string]any {
	return map[string]any{
		"init_work":    w.Init.String(),
		"request_work": w.Request.String(),
		"request_wait": w.Wait.String(),
	}
}

func formatPhase(ph Phase) map[string]any {
	m := map[string]any{"name": ph.Name, "duration": ph.Duration.String(), "shape": string(ph.Shape)}
	switch ph.Shape {
	case Constant:
		m["rate"] = ph.Rate
		if ph.Max {
			m["rate"] = "max"
		}
	case Ramp:
		m["from"], m["to"] = ph.From, ph.To
	case Sine:
		m["mean"], m["amplitude"], m["period"] = ph.Mean, ph.Amplitude, ph.Period.String()
	}
	if ph.Workers != 0 {
		m["workers"] = ph.Workers
	}
	return m
}

// formatCost writes c as a cost section, leaving out the fields left zero
// (which stand for the defaults).
func formatCost(c cost.Config) map[string]any {
	m := map[string]any{}
	if c.Architecture != "" {
		m["architecture"] = string(c.Architecture)
	}
	if c.Instance != "" {
		m["instance"] = c.Instance
	}
	if c.MinInstances != 0 {
		m["min_instances"] = c.MinInstances
	}
	if c.TargetUtilization != 0 {
		m["target_utilization"] = c.TargetUtilization
	}
	doors := map[string]any{}
	if c.LambdaFrontDoor != "" {
		doors["lambda"] = string(c.LambdaFrontDoor)
	}
	if c.ServerFrontDoor != "" {
		doors["server"] = string(c.ServerFrontDoor)
	}
	if len(doors) > 0 {
		m["front_door"] = doors
	}
	prices := map[string]any{}
	for _, k := range cost.OverrideKeys() {
		if v, ok := c.Prices.Get(k); ok {
			prices[k] = v
		}
	}
	if len(prices) > 0 {
		m["prices"] = prices
	}
	return m
}

// formatObjective writes o in the canonical form, from its fields (not its
// Text): "<target>[/<class>] <metric> < <limit>".
func formatObjective(o Objective) string {
	var b strings.Builder
	b.WriteString(string(o.Target))
	if o.Class != "all" {
		b.WriteString("/" + o.Class)
	}
	b.WriteString(" " + o.Metric + " < ")
	if o.Metric == ErrorRate {
		b.WriteString(formatPercent(o.MaxErrorRate) + "%")
	} else {
		b.WriteString(o.Limit.String())
	}
	return b.String()
}

// formatPercent writes the fraction x as the shortest percentage that
// parses back (divided by 100) to exactly x.
func formatPercent(x float64) string {
	for prec := 1; prec <= 17; prec++ {
		s := strconv.FormatFloat(x*100, 'g', prec, 64)
		if y, err := strconv.ParseFloat(s, 64); err == nil && y/100 == x {
			return s
		}
	}
	return strconv.FormatFloat(x*100, 'g', -1, 64)
}

// formatRequests writes rs as a request section.
func formatRequests(rs Requests) map[string]any {
	if rs.TargetsFile != "" {
		return map[string]any{"targets_file": rs.TargetsFile}
	}
	r := rs.List[0]
	// The body double-quoted: yaml.v3 writes a string that starts with a
	// newline as a block scalar without its leading blank line, which
	// reads back without the newline.
	body := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Style: yaml.DoubleQuotedStyle, Value: string(r.Body)}
	m := map[string]any{"method": r.Method, "path": r.Path, "body": body}
	if r.Header != nil {
		m["headers"] = map[string][]string(r.Header)
	}
	return m
}
