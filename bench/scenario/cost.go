package scenario

import (
	"slices"
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
func (p *Parser) cost(n *yaml.Node) cost.Config {
	var c cost.Config
	if n == nil {
		return c
	}
	f := p.Fields(p.Mapping(n, "cost"), "in cost", CostKeys()...)
	p.costFields(f, "cost", &c)
	if e := f["front_door"].Value; e != nil {
		p.costFrontDoor(e, &c)
	}
	if e := f["prices"].Value; e != nil {
		pf := p.Fields(p.Mapping(e, "cost.prices"), "in cost.prices", cost.OverrideKeys()...)
		for _, k := range cost.OverrideKeys() {
			v := pf[k].Value
			if v == nil {
				continue
			}
			what := "cost.prices." + k
			if usd, ok := p.Number(v, what); ok && usd < 0 {
				p.Errorf(v, "%s is a price in US dollars, at least 0, not %s", what, Resolve(v).Value)
			} else if ok {
				c.Prices.Set(k, usd) // k is one of OverrideKeys: no error
			}
		}
	}
	return c
}

// instance checks the instance type name, at n, against the price file.
func (p *Parser) instance(n *yaml.Node, name string) string {
	prices, err := cost.Default()
	if err != nil {
		p.Errorf(n, "cost.instance cannot be checked: %v", err)
		return ""
	}
	if _, ok := prices.Instances[name]; ok {
		return name
	}
	known := prices.InstanceNames()
	p.Errorf(n, "cost.instance: unknown instance type %q%s", name,
		DidYouMean(name, "the price file "+prices.Version+" knows "+Join(known, "and"), known...))
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
func (p *Parser) costFields(f map[string]Field, sec string, c *cost.Config) {
	if e := f["architecture"].Value; e != nil {
		if s, ok := p.Str(e, sec+".architecture"); ok {
			if a, err := cost.ParseArchitecture(s); err == nil {
				c.Architecture = a
			} else {
				p.Errorf(e, "%s.architecture must be x86_64 or arm64, not %q%s", sec, s, architectureHint(s))
			}
		}
	}
	if e := f["instance"].Value; e != nil {
		if s, ok := p.Str(e, sec+".instance"); ok {
			c.Instance = p.instance(e, s)
		}
	}
	if e := f["min_instances"].Value; e != nil {
		if k, ok := p.Integer(e, sec+".min_instances"); ok && (k < 1 || k > maxInstances) {
			p.Errorf(e, "%s.min_instances must be between 1 and %d, not %d", sec, maxInstances, k)
		} else if ok {
			c.MinInstances = k
		}
	}
	if e := f["target_utilization"].Value; e != nil {
		if u, ok := p.Number(e, sec+".target_utilization"); ok && !(u > 0 && u <= 1) {
			p.Errorf(e, "%s.target_utilization is the share of an instance's CPU used at the peak, above 0 and at most 1 (0.6 is 60%%), not %s", sec, Resolve(e).Value)
		} else if ok {
			c.TargetUtilization = u
		}
	}
}

// costFrontDoor reads the cost section's front_door at n into c: either
// one front door, which becomes that of each kind of target it can stand
// in front of (alb of both), or a mapping {lambda: ..., server: ...}.
func (p *Parser) costFrontDoor(n *yaml.Node, c *cost.Config) {
	if v := Resolve(n); v.Kind == yaml.MappingNode {
		f := p.Fields(v, "in cost.front_door", string(FunctionDoors), string(ServerDoors))
		if e := f[string(FunctionDoors)].Value; e != nil {
			p.frontDoor(e, "cost.front_door.lambda", FunctionDoors, c)
		}
		if e := f[string(ServerDoors)].Value; e != nil {
			p.frontDoor(e, "cost.front_door.server", ServerDoors, c)
		}
		return
	}
	if v := Resolve(n); v.Kind != yaml.ScalarNode || IsNull(v) {
		p.KindError(n, "cost.front_door", "a front door such as http_api, or a mapping such as {lambda: http_api, server: alb}")
		return
	}
	s := Resolve(n).Value
	f := cost.FrontDoor(s)
	fn, srv := slices.Contains(cost.LambdaFrontDoors(), f), slices.Contains(cost.ServerFrontDoors(), f)
	if !fn && !srv {
		p.Errorf(n, "cost.front_door: unknown front door %q%s", s, frontDoorAdvice(s, allFrontDoors()))
	}
	if fn {
		c.LambdaFrontDoor = f
	}
	if srv {
		c.ServerFrontDoor = f
	}
}

// frontDoor reads the front door at n, called what, of a target behind doors of family k
// into c, and reports one that kind cannot sit behind.
func (p *Parser) frontDoor(n *yaml.Node, what string, k DoorFamily, c *cost.Config) {
	s, ok := p.Str(n, what)
	if !ok {
		return
	}
	f := cost.FrontDoor(s)
	switch {
	case k == FunctionDoors && slices.Contains(cost.LambdaFrontDoors(), f):
		c.LambdaFrontDoor = f
	case k == ServerDoors && slices.Contains(cost.ServerFrontDoors(), f):
		c.ServerFrontDoor = f
	case k == FunctionDoors && f == cost.Direct:
		p.Errorf(n, "%s: a function needs a front door to answer HTTP; use %s (function_url, the default, is free)", what, doorList(cost.LambdaFrontDoors()))
	case k == ServerDoors && slices.Contains(cost.LambdaFrontDoors(), f):
		p.Errorf(n, "%s: coldbench prices a server behind %s, not %s; use %s", what, doorList(cost.ServerFrontDoors()), s, doorList(cost.ServerFrontDoors()))
	default:
		allowed := cost.LambdaFrontDoors()
		if k == ServerDoors {
			allowed = cost.ServerFrontDoors()
		}
		p.Errorf(n, "%s: unknown front door %q%s", what, s, frontDoorAdvice(s, allowed))
	}
}

// allFrontDoors returns every front door of either kind, once.
func allFrontDoors() []cost.FrontDoor {
	return slices.Concat(cost.LambdaFrontDoors(), []cost.FrontDoor{cost.Direct})
}

// doorList lists front doors in English: "none or alb".
func doorList(fs []cost.FrontDoor) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = string(f)
	}
	return Join(names, "or")
}

// frontDoorAdvice turns a misspelt or other name of a front door into
// advice among allowed.
func frontDoorAdvice(s string, allowed []cost.FrontDoor) string {
	switch strings.ToLower(strings.NewReplacer("-", "", "_", "", " ", "").Replace(s)) {
	case "apigateway", "apigw", "api", "gateway":
		return "; write http_api (an API Gateway HTTP API) or rest_api (an API Gateway REST API)"
	case "lb", "elb", "loadbalancer", "applicationloadbalancer":
		return "; write alb"
	case "url", "functionurl", "lambdaurl":
		return "; write function_url"
	case "direct", "directly", "no", "false":
		return "; write none"
	}
	names := make([]string, len(allowed))
	for i, f := range allowed {
		names[i] = string(f)
	}
	return DidYouMean(s, "use "+doorList(allowed), names...)
}
