package scenario

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/coldbench/coldbench/bench/cost"
)

// maxInstances bounds cost.min_instances: far more servers than a scenario
// on one machine can say anything about.
const maxInstances = 10_000

// cost reads the cost section n, which may be nil: how the run is priced.
// Instance types are checked against the price file embedded in coldbench.
// Fields left out stay zero, which cost.Config takes as its defaults.
func (p *parser) cost(n *yaml.Node) cost.Config {
	var c cost.Config
	if n == nil {
		return c
	}
	f := p.fields(p.mapping(n, "cost"), "in cost", "architecture", "instance", "min_instances", "target_utilization", "prices")
	p.costFields(f, "cost", &c)
	if e := f["prices"].value; e != nil {
		pf := p.fields(p.mapping(e, "cost.prices"), "in cost.prices", cost.OverrideKeys()...)
		for _, k := range cost.OverrideKeys() {
			v := pf[k].value
			if v == nil {
				continue
			}
			what := "cost.prices." + k
			if usd, ok := p.number(v, what); ok && usd < 0 {
				p.errorf(v, "%s is a price in US dollars, at least 0, not %s", what, resolve(v).Value)
			} else if ok {
				c.Prices.Set(k, usd) // k is one of OverrideKeys: no error
			}
		}
	}
	return c
}

// instance checks the instance type name, at n, against the price file.
func (p *parser) instance(n *yaml.Node, name string) string {
	prices, err := cost.Default()
	if err != nil {
		p.errorf(n, "cost.instance cannot be checked: %v", err)
		return ""
	}
	if _, ok := prices.Instances[name]; ok {
		return name
	}
	known := prices.InstanceNames()
	p.errorf(n, "cost.instance: unknown instance type %q%s", name,
		didYouMean(name, "the price file "+prices.Version+" knows "+join(known, "and"), known...))
	return ""
}

// architectureHint turns the other names of the two architectures into
// advice.
func architectureHint(s string) string {
	switch strings.ToLower(s) {
	case "amd64", "x86", "x86-64", "x64", "intel":
		return "; write x86_64"
	case "aarch64", "arm", "graviton":
		return "; write arm64"
	}
	return ""
}

// costFields reads the pricing settings architecture, instance,
// min_instances and target_utilization that f holds into c, naming them
// sec.<key> in messages: those of the cost section, or a target's own.
func (p *parser) costFields(f map[string]field, sec string, c *cost.Config) {
	if e := f["architecture"].value; e != nil {
		if s, ok := p.str(e, sec+".architecture"); ok {
			if a, err := cost.ParseArchitecture(s); err == nil {
				c.Architecture = a
			} else {
				p.errorf(e, "%s.architecture must be x86_64 or arm64, not %q%s", sec, s, architectureHint(s))
			}
		}
	}
	if e := f["instance"].value; e != nil {
		if s, ok := p.str(e, sec+".instance"); ok {
			c.Instance = p.instance(e, s)
		}
	}
	if e := f["min_instances"].value; e != nil {
		if k, ok := p.integer(e, sec+".min_instances"); ok && (k < 1 || k > maxInstances) {
			p.errorf(e, "%s.min_instances must be between 1 and %d, not %d", sec, maxInstances, k)
		} else if ok {
			c.MinInstances = k
		}
	}
	if e := f["target_utilization"].value; e != nil {
		if u, ok := p.number(e, sec+".target_utilization"); ok && !(u > 0 && u <= 1) {
			p.errorf(e, "%s.target_utilization is the share of an instance's CPU used at the peak, above 0 and at most 1 (0.6 is 60%%), not %s", sec, resolve(e).Value)
		} else if ok {
			c.TargetUtilization = u
		}
	}
}
