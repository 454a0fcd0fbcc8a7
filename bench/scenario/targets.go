package scenario

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Limits of the targets section.
const (
	MaxTargets    = 16 // the most targets one scenario runs
	maxNameLength = 32
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
// shorthand's sections (server, function), and the cost section c every
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
// or the shorthand, a list of kinds with a top-level section each
// (Shorthand: server and lambda, both by default), whose settings are
// those sections.
func (p *Parser) targets(n *yaml.Node, f map[string]Field, c Scenario) []Target {
	short := p.kinds.shorthands()
	if n != nil && Resolve(n).Kind == yaml.MappingNode {
		for _, sp := range short {
			k := sp.(Shorthand).Section()
			if e, given := f[k]; given {
				p.Errorf(e.Key, "%s: with targets as a mapping, each target has its settings in its entry; move these under targets.<name>", k)
			}
		}
		return p.namedTargets(Resolve(n), c)
	}
	names := make([]Kind, len(short))
	for i, sp := range short {
		names[i] = sp.Kind()
	}
	if n != nil {
		names = p.shorthand(n, names)
	}
	// Every section is read, so that its mistakes are reported even
	// when the list leaves its target out (or misspells it).
	byKind := map[Kind]Target{}
	for _, sp := range short {
		sec := sp.(Shorthand).Section()
		p.Sec = sec
		t := Target{Name: string(sp.Kind()), Kind: sp.Kind(), Cost: c.Cost, Request: c.Request}
		var sf map[string]Field
		if e := f[sec].Value; e != nil {
			sf = p.Fields(p.Mapping(e, sec), "in "+sec, sp.Keys()...)
		}
		p.parseKind(sp, sf, &t)
		byKind[sp.Kind()] = t
	}
	var ts []Target
	for _, k := range names {
		ts = append(ts, byKind[k])
	}
	return ts
}

// parseKind has sp read its settings from f into t, and gives t the
// class all when sp names none.
func (p *Parser) parseKind(sp Spec, f map[string]Field, t *Target) {
	if f == nil {
		f = map[string]Field{}
	}
	sp.Parse(p, f, t)
	if len(t.Classes) == 0 {
		t.Classes = []string{"all"}
	}
}

// shorthand reads targets as a list of the kinds in all (the shorthand's).
func (p *Parser) shorthand(n *yaml.Node, all []Kind) []Kind {
	l := Resolve(n)
	names := make([]string, len(all))
	for i, k := range all {
		names[i] = string(k)
	}
	if l.Kind != yaml.SequenceNode && !IsNull(l) {
		p.KindError(n, "targets", "a mapping of names to targets, such as {small-fn: {kind: lambda}}, or a list such as ["+strings.Join(names, ", ")+"]")
		return nil
	}
	if len(l.Content) == 0 {
		p.Errorf(n, "targets is empty; name at least one target, or remove the key to run %s", Join(names, "and"))
		return nil
	}
	var ts []Kind
	for _, e := range l.Content {
		name, ok := p.Str(e, "a target")
		if !ok {
			continue
		}
		switch k := Kind(name); {
		case !slices.Contains(all, k):
			p.Errorf(e, "unknown target %q%s", name, DidYouMean(name,
				"a list of targets names "+Join(names, "and")+"; to name your own, make targets a mapping such as {"+name+": {kind: lambda}}", names...))
		case slices.Contains(ts, k):
			p.Errorf(e, "target %s is listed twice; remove one", k)
		default:
			ts = append(ts, k)
		}
	}
	return ts
}

// namedTargets reads targets as a mapping from names to entries.
func (p *Parser) namedTargets(m *yaml.Node, c Scenario) []Target {
	if len(m.Content) == 0 {
		p.Errorf(m, "targets is empty; name at least one target, such as {api: {kind: server}}")
		return nil
	}
	if n := len(m.Content) / 2; n > MaxTargets {
		p.Errorf(m, "targets names %d targets; a scenario runs at most %d, so split it in two", n, MaxTargets)
	}
	var ts []Target
	first := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		name, ok := p.Str(k, "a target's name")
		if !ok {
			continue
		}
		if err := checkName(name); err != nil {
			p.Errorf(k, "%v", err)
			continue
		}
		if line, dup := first[name]; dup {
			p.Errorf(k, "target %q is named twice (first at line %d); give each target its own name", name, line)
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
func (p *Parser) checkSweptNames(ts []Target, first map[string]int) {
	for _, t := range ts {
		if line, dup := first[t.Name]; dup && t.Sweep.Base != "" {
			p.Errorf(&yaml.Node{Line: t.Line}, "target %q (%s) is named twice (also at line %d); give the other target another name, or sweep other sizes", t.Name, describeSweep(t), line)
		} else if t.Sweep.Base != "" {
			first[t.Name] = t.Line
		}
	}
}

// namedTarget reads the entry v of the target called name, whose key is k:
// the target, or one copy of it per memory size of its sweep; none if the
// entry is wrong.
func (p *Parser) namedTarget(name string, k, v *yaml.Node, c Scenario) []Target {
	t := Target{Name: name, Line: k.Line, Cost: c.Cost, Request: c.Request}
	sec := "targets." + name
	e := Resolve(v)
	if e.Kind != yaml.MappingNode {
		p.Errorf(v, "%s must be a mapping with a kind and its settings, such as {kind: lambda, memory: 512}, not %s", sec, Describe(e))
		return nil
	}
	kinds := p.kinds.Names()
	kn := Lookup(e, "kind")
	if kn == nil {
		p.Errorf(k, "%s: missing kind; use %s", sec, Join(kinds, "or"))
		return nil
	}
	kind, ok := p.Str(kn, sec+".kind")
	if !ok {
		return nil
	}
	sp, known := p.kinds.Lookup(Kind(kind))
	if !known {
		p.Errorf(kn, "%s: unknown kind %q%s", sec, kind, DidYouMean(kind, "use "+Join(kinds, "or"), kinds...))
		return nil
	}
	t.Kind = Kind(kind)
	p.Sec = sec
	keys := append(EntryKeys(), sp.Keys()...)
	if pr, ok := sp.(Priced); ok {
		keys = append(keys, pr.CostKeys()...)
	}
	sw, sweeps := sp.(Sweeper)
	if sweeps {
		keys = append(keys, "sweep")
	} else {
		e = p.noSweep(e, sec, name)
	}
	f := p.Fields(e, "in "+sec, keys...)
	p.entry = k
	p.parseKind(sp, f, &t)
	p.entry = nil
	// The cost section's keys the kind takes, and only those: a kind's
	// own key of the same name (lmi's instance) is its own.
	costF := map[string]Field{}
	if pr, ok := sp.(Priced); ok {
		for _, k := range pr.CostKeys() {
			if e, given := f[k]; given {
				costF[k] = e
			}
		}
	}
	p.costFields(costF, sec, &t.Cost)
	if e := f["front_door"].Value; e != nil {
		if fd, ok := sp.(FrontDoored); ok {
			p.frontDoor(e, sec+".front_door", fd.FrontDoors(), &t.Cost)
		}
	}
	if e := f["request"].Value; e != nil {
		t.Request = p.Request(e, sec+".request")
	}
	if e := f["sweep"].Value; e != nil && sweeps {
		return p.sweep(t, sw, k, e, f["memory"].Value)
	}
	return []Target{t}
}

// noSweep reports a sweep key in the entry e of a target that is not a
// lambda function, and returns e without it.
func (p *Parser) noSweep(e *yaml.Node, sec, name string) *yaml.Node {
	for i := 0; i+1 < len(e.Content); i += 2 {
		if k := Resolve(e.Content[i]); k.Kind == yaml.ScalarNode && k.Value == "sweep" {
			p.Errorf(k, "%s: only a lambda target sweeps its memory; remove sweep, or make %s kind: lambda", sec, name)
			c := *e
			c.Content = slices.Delete(slices.Clone(e.Content), i, i+2)
			return &c
		}
	}
	return e
}
