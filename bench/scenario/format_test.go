package scenario

import (
	"reflect"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/targets/lambda"
)

// The formatters below write a parsed value back as scenario YAML, for the
// round trips of the fuzz tests: a valid value, formatted and parsed again,
// must come back the same. They write every field, defaults included, so
// that a default the parser fills in is checked too.

// formatScenario writes s as a scenario file, its targets as a mapping
// from names to entries (in their order: a yaml.Node, since yaml.v3 sorts
// the keys of a map).
func formatScenario(s *Scenario) ([]byte, error) {
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
				sizes = append(sizes, c.Function.MemoryMB)
			}
			delete(sweeps, b)
			t.Name = b
			sweep = map[string]any{"memory": sizes, "weight": t.Sweep.Weight}
		}
		var entry map[string]any
		var costKeys []string
		switch t.Kind {
		case Server:
			entry, costKeys = formatWork(t.Server.Work), serverCost
		case Lambda:
			entry, costKeys = formatFunction(t.Function), functionCost
		}
		entry["kind"] = string(t.Kind)
		if sweep != nil {
			delete(entry, "memory")
			entry["sweep"] = sweep
		}
		for k, v := range formatCost(t.Cost) {
			if slices.Contains(costKeys, k) {
				entry[k] = v
			}
		}
		// A target's front_door is its own kind's, a scalar.
		delete(entry, "front_door")
		if d := map[Kind]cost.FrontDoor{Server: t.Cost.ServerFrontDoor, Lambda: t.Cost.LambdaFrontDoor}[t.Kind]; d != "" {
			entry["front_door"] = string(d)
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

func formatWork(w Work) map[string]any {
	return map[string]any{
		"init_work":    w.Init.String(),
		"request_work": w.Request.String(),
		"request_wait": w.Wait.String(),
	}
}

func formatFunction(c FunctionConfig) map[string]any {
	m := formatWork(c.Work)
	m["sandbox"] = string(c.Runtime)
	switch c.Code.Form {
	case BuiltIn:
	case ImageCode:
		m["image"] = c.Code.Image
	default:
		m[string(c.Code.Form)] = c.Code.Path
	}
	if c.Code.Handler != "" {
		m["handler"], m["runtime"] = c.Code.Handler, c.Code.Runtime
	}
	m["memory"] = c.MemoryMB
	m["timeout"] = c.Timeout.String()
	m["keepalive"] = c.Keepalive.String()
	if c.KeepaliveMax != 0 {
		m["keepalive"] = []string{c.Keepalive.String(), c.KeepaliveMax.String()}
	}
	if c.MaxLifetime != 0 {
		m["max_lifetime"] = c.MaxLifetime.String()
	}
	m["provisioned"] = c.Provisioned
	m["concurrency"] = c.Concurrency
	m["pool"] = c.Pool
	if c.PoolAuto {
		m["pool"] = "auto"
	}
	m["platform"] = formatPlatform(c.Platform, c.PlatformModel)
	if c.ScaleRate != 0 {
		m["scaling"] = map[string]any{"rate": c.ScaleRate, "per": c.ScaleWindow.String()}
	}
	if c.Env != nil {
		m["env"] = c.Env
	}
	f := c.Faults
	faults := map[string]any{"crash": f.Crash, "panic": f.Panic, "timeout": f.Timeout, "init_failure": f.InitFailure}
	if f.KillEvery != 0 {
		faults["kill_every"] = f.KillEvery.String()
	}
	m["faults"] = faults
	return m
}

// formatPlatform writes function.platform.
func formatPlatform(d lambda.Delay, model bool) any {
	switch {
	case model:
		return "model"
	case d.Zero():
		return "0"
	case d.LogNormal():
		m := map[string]any{"p50": d.P50.String(), "p99": d.P99.String()}
		if d.Max > 0 {
			m["max"] = d.Max.String()
		}
		return m
	case d.Max > d.Min:
		return []string{d.Min.String(), d.Max.String()}
	}
	return d.Min.String()
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
