package scenario

import (
	"fmt"
	"slices"

	"gopkg.in/yaml.v3"
)

// Limits of the targets section.
const (
	MaxTargets    = 16 // the most targets one scenario runs
	maxNameLength = 32
)

// The keys of a target's entry by kind, besides kind and request (what it
// is sent, as the scenario's request section). A
// function takes its architecture and a server its instance settings for
// pricing, on top of the scenario's cost section.
var (
	serverKeys   = append([]string{"init_work", "request_work", "request_wait"}, userServerKeys...)
	serverCost   = []string{"instance", "min_instances", "target_utilization", "front_door"}
	functionKeys = []string{"runtime", "sandbox", "handler", "memory", "timeout", "keepalive", "max_lifetime", "concurrency", "provisioned", "scaling",
		"init_work", "request_work", "request_wait", "env", "faults", "pool", "platform",
		"bootstrap", "zip", "image", "code"}
	functionCost = []string{"architecture", "front_door"}
	urlKeys      = []string{"url", "cold_header", "timeout"} // see URLConfig; a url target is not priced
)

// checkName returns an error if name cannot name a target: it goes into
// file names, interval-log tags (<target>/<class>) and benchmark names.
func checkName(name string) error {
	if name == "" || len(name) > maxNameLength {
		return fmt.Errorf("a target's name is 1 to %d characters, not %q", maxNameLength, name)
	}
	for i, c := range name {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '-' || c == '_'):
		default:
			return fmt.Errorf("target name %q: use letters, digits, - and _, starting with a letter, such as small-fn", name)
		}
	}
	return nil
}

// targets reads the top-level targets section n (nil when absent) with the
// shorthand's server and function sections, and the cost section c every
// target starts from.
//
// targets is either a mapping from names to entries, each with a kind and
// that kind's settings:
//
//	targets:
//	  small-fn: {kind: lambda, memory: 512}
//	  big-fn:   {kind: lambda, memory: 1769}
//	  server:   {kind: server, instance: c7g.large}
//
// or the shorthand, a list of server and lambda (both by default), whose
// settings are the top-level sections server and function.
func (p *parser) targets(n *yaml.Node, f map[string]field, c Scenario) []Target {
	if n != nil && resolve(n).Kind == yaml.MappingNode {
		for _, k := range []string{"server", "function"} {
			if e, given := f[k]; given {
				p.errorf(e.key, "%s: with targets as a mapping, each target has its settings in its entry; move these under targets.<name>", k)
			}
		}
		return p.namedTargets(resolve(n), c)
	}
	names := []Kind{Server, Lambda}
	if n != nil {
		names = p.shorthand(n)
	}
	// Both sections are read, so that their mistakes are reported even
	// when the list leaves their target out (or misspells it).
	p.sec = "server"
	server := Target{Name: string(Server), Kind: Server, Cost: c.Cost, Request: c.Request}
	sf := p.fields(p.mapping(f["server"].value, "server"), "in server", serverKeys...)
	server.Server.Work = p.work(sf, "server")
	p.serverCode(sf, &server.Server)
	p.sec = "function"
	fn := Target{Name: string(Lambda), Kind: Lambda, Cost: c.Cost, Request: c.Request}
	var ff map[string]field
	if e := f["function"].value; e != nil {
		ff = p.fields(p.mapping(e, "function"), "in function", functionKeys...)
	}
	fn.Function = p.function(ff)
	var ts []Target
	for _, k := range names {
		ts = append(ts, map[Kind]Target{Server: server, Lambda: fn}[k])
	}
	return ts
}

// shorthand reads targets as a list of server and lambda.
func (p *parser) shorthand(n *yaml.Node) []Kind {
	l := resolve(n)
	if l.Kind != yaml.SequenceNode && !isNull(l) {
		p.kindError(n, "targets", "a mapping of names to targets, such as {small-fn: {kind: lambda}}, or a list such as [server, lambda]")
		return nil
	}
	if len(l.Content) == 0 {
		p.errorf(n, "targets is empty; name at least one target, or remove the key to run a server and a lambda function")
		return nil
	}
	var ts []Kind
	for _, e := range l.Content {
		name, ok := p.str(e, "a target")
		if !ok {
			continue
		}
		switch k := Kind(name); {
		case k != Server && k != Lambda:
			p.errorf(e, "unknown target %q%s", name, didYouMean(name,
				"a list of targets names server and lambda; to name your own, make targets a mapping such as {"+name+": {kind: lambda}}", string(Server), string(Lambda)))
		case slices.Contains(ts, k):
			p.errorf(e, "target %s is listed twice; remove one", k)
		default:
			ts = append(ts, k)
		}
	}
	return ts
}

// namedTargets reads targets as a mapping from names to entries.
func (p *parser) namedTargets(m *yaml.Node, c Scenario) []Target {
	if len(m.Content) == 0 {
		p.errorf(m, "targets is empty; name at least one target, such as {api: {kind: server}}")
		return nil
	}
	if n := len(m.Content) / 2; n > MaxTargets {
		p.errorf(m, "targets names %d targets; a scenario runs at most %d, so split it in two", n, MaxTargets)
	}
	var ts []Target
	first := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		name, ok := p.str(k, "a target's name")
		if !ok {
			continue
		}
		if err := checkName(name); err != nil {
			p.errorf(k, "%v", err)
			continue
		}
		if line, dup := first[name]; dup {
			p.errorf(k, "target %q is named twice (first at line %d); give each target its own name", name, line)
			continue
		}
		first[name] = k.Line
		ts = append(ts, p.namedTarget(name, k, v, c)...)
	}
	p.checkSweptNames(ts, first)
	p.checkSweepCount(m, ts, len(m.Content)/2)
	return ts
}

// checkSweptNames reports a target of a sweep whose name another entry
// of the targets section (first: the line of each) already has.
func (p *parser) checkSweptNames(ts []Target, first map[string]int) {
	for _, t := range ts {
		if line, dup := first[t.Name]; dup && t.Sweep.Base != "" {
			p.errorf(&yaml.Node{Line: t.Line}, "target %q (%s) is named twice (also at line %d); give the other target another name, or sweep other sizes", t.Name, describeSweep(t), line)
		} else if t.Sweep.Base != "" {
			first[t.Name] = t.Line
		}
	}
}

// namedTarget reads the entry v of the target called name, whose key is k:
// the target, or one copy of it per memory size of its sweep; none if the
// entry is wrong.
func (p *parser) namedTarget(name string, k, v *yaml.Node, c Scenario) []Target {
	t := Target{Name: name, Line: k.Line, Cost: c.Cost, Request: c.Request}
	sec := "targets." + name
	e := resolve(v)
	if e.Kind != yaml.MappingNode {
		p.errorf(v, "%s must be a mapping with a kind and its settings, such as {kind: lambda, memory: 512}, not %s", sec, describe(e))
		return nil
	}
	kinds := make([]string, 0, len(Kinds()))
	for _, k := range Kinds() {
		kinds = append(kinds, string(k))
	}
	kn := lookup(e, "kind")
	if kn == nil {
		p.errorf(k, "%s: missing kind; use %s", sec, join(kinds, "or"))
		return nil
	}
	kind, ok := p.str(kn, sec+".kind")
	if !ok {
		return nil
	}
	if !slices.Contains(kinds, kind) {
		p.errorf(kn, "%s: unknown kind %q%s", sec, kind, didYouMean(kind, "use "+join(kinds, "or"), kinds...))
		return nil
	}
	t.Kind = Kind(kind)
	p.sec = sec
	if t.Kind != Lambda {
		e = p.noSweep(e, sec, name)
	}
	var f map[string]field
	switch t.Kind {
	case Server:
		f = p.fields(e, "in "+sec, slices.Concat([]string{"kind", "request"}, serverKeys, serverCost)...)
		t.Server.Work = p.work(f, sec)
		p.serverCode(f, &t.Server)
	case Lambda:
		f = p.fields(e, "in "+sec, slices.Concat([]string{"kind", "request", "sweep"}, functionKeys, functionCost)...)
		t.Function = p.function(f)
	case URL:
		f = p.fields(e, "in "+sec, slices.Concat([]string{"kind", "request"}, urlKeys)...)
		t.URL = p.urlTarget(f, k)
	}
	p.costFields(f, sec, &t.Cost)
	if e := f["front_door"].value; e != nil {
		p.frontDoor(e, sec+".front_door", t.Kind, &t.Cost)
	}
	if e := f["request"].value; e != nil {
		t.Request = p.request(e, sec+".request")
	}
	if sw := f["sweep"].value; sw != nil {
		return p.sweep(t, k, sw, f["memory"].value)
	}
	return []Target{t}
}

// noSweep reports a sweep key in the entry e of a target that is not a
// lambda function, and returns e without it.
func (p *parser) noSweep(e *yaml.Node, sec, name string) *yaml.Node {
	for i := 0; i+1 < len(e.Content); i += 2 {
		if k := resolve(e.Content[i]); k.Kind == yaml.ScalarNode && k.Value == "sweep" {
			p.errorf(k, "%s: only a lambda target sweeps its memory; remove sweep, or make %s kind: lambda", sec, name)
			c := *e
			c.Content = slices.Delete(slices.Clone(e.Content), i, i+2)
			return &c
		}
	}
	return e
}
