package scenario

import (
	"slices"

	"gopkg.in/yaml.v3"
)

// Kind names a kind of target, as a target's entry says it (kind:
// lambda). What a kind takes, records and costs is its own package's
// (bench/kinds/...): the parser knows a kind only through its Spec.
type Kind string

// Spec is what the parser knows of one kind: the keys of its entries and
// how to read them. Every kind's package provides one, and Parse is given
// the list of them (bench/kinds/all), from which the known kinds and
// their did-you-mean come; the scenario package keeps only what every
// target has (its name, kind and request, the phases, the objectives).
type Spec interface {
	// Kind is the kind's name.
	Kind() Kind
	// Keys are the kind's own keys, those an entry of the kind and its
	// shorthand section (Shorthand) take besides kind and request.
	Keys() []string
	// Parse reads the kind's settings from f, the entry's fields (empty
	// for a default target), into t: Settings, and Classes and
	// ColdHeader. Mistakes go to p.Errorf at the value's line, naming
	// the key p.Sec+"."+key, with how to fix it.
	Parse(p *Parser, f map[string]Field, t *Target)
}

// The optional capabilities of a Spec, found by type assertion.
type (
	// Shorthand is a Spec whose target the shorthand form (targets: [server,
	// lambda], or no targets at all) runs, with its settings in the
	// top-level section Section; targets run in the order of Rank.
	Shorthand interface {
		Section() string
		Rank() int
	}
	// Sweeper is a Spec whose targets sweep a size (sweep: in an entry,
	// a Lambda function's memory): Sizes is the range a size may take,
	// and Sized returns t at size mb.
	Sweeper interface {
		Sizes() (lo, hi int)
		Sized(t Target, mb int) Target
	}
	// Priced is a Spec whose entries also take the keys CostKeys of the
	// cost section (architecture, instance...), over the scenario's:
	// the parser reads them into Target.Cost.
	Priced interface{ CostKeys() []string }
	// FrontDoored is a Spec whose targets are priced behind a front door
	// (front_door:), of the family the cost section's front_door names
	// (FunctionDoors or ServerDoors).
	FrontDoored interface{ FrontDoors() DoorFamily }
)

// DoorFamily is a family of front doors, a key of the cost section's
// front_door mapping: the doors a function sits behind or a server's.
type DoorFamily string

// The front-door families.
const (
	FunctionDoors DoorFamily = "lambda"
	ServerDoors   DoorFamily = "server"
)

// Specs are the kinds a parser knows, in the order messages name them.
type Specs []Spec

// Lookup returns the Spec of kind k.
func (s Specs) Lookup(k Kind) (Spec, bool) {
	i := slices.IndexFunc(s, func(sp Spec) bool { return sp.Kind() == k })
	if i < 0 {
		return nil, false
	}
	return s[i], true
}

// Names returns the kinds' names, in order.
func (s Specs) Names() []string {
	out := make([]string, len(s))
	for i, sp := range s {
		out[i] = string(sp.Kind())
	}
	return out
}

// shorthands returns the Specs of the shorthand form by Rank.
func (s Specs) shorthands() []Spec {
	var out []Spec
	for _, sp := range s {
		if _, ok := sp.(Shorthand); ok {
			out = append(out, sp)
		}
	}
	slices.SortStableFunc(out, func(a, b Spec) int { return a.(Shorthand).Rank() - b.(Shorthand).Rank() })
	return out
}

// Dir returns the scenario file's folder, against which the paths it
// names resolve (File).
func (p *Parser) Dir() string { return dirOf(p.path) }

// Entry returns the key of the target entry a Spec is reading, where a
// missing key is reported; the start of the file for the shorthand's.
func (p *Parser) Entry() *yaml.Node {
	if p.entry == nil {
		return fileStart()
	}
	return p.entry
}
