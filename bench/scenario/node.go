package scenario

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// resolve follows an alias to the node it names. Messages keep the position
// of the alias, where the value is used.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// isNull reports whether n is an empty value (nothing, ~ or null).
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names what n is, for "must be X, not Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch tag := n.ShortTag(); tag {
		case "!!null":
			return "empty"
		case "!!str":
			return fmt.Sprintf("the string %q", n.Value)
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return n.Value
		default:
			if t, ok := strings.CutPrefix(tag, "!!"); ok {
				return "the " + t + " " + n.Value
			}
			return "a " + tag + " value"
		}
	}
	return "a YAML document"
}

// field is a key of a mapping and its value.
type field struct{ key, value *yaml.Node }

// mapping returns n if it is a mapping, nil if it is nil or empty (which
// stands for an empty mapping), and reports anything else. what names n in
// messages.
func (p *parser) mapping(n *yaml.Node, what string) *yaml.Node {
	if n == nil {
		return nil
	}
	v := resolve(n)
	switch {
	case v.Kind == yaml.MappingNode:
		return v
	case !isNull(v):
		p.errorf(n, "%s must be a mapping of keys to values, not %s", what, describe(v))
	}
	return nil
}

// fields returns the entries of mapping m (which may be nil) by key. It
// reports keys that are not among known, and keys given twice; where names
// the mapping in messages ("in function").
func (p *parser) fields(m *yaml.Node, where string, known ...string) map[string]field {
	fs := make(map[string]field)
	if m == nil {
		return fs
	}
	first := make(map[string]int)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		rk := resolve(k)
		switch {
		case rk.Kind != yaml.ScalarNode:
			p.errorf(k, "keys %s must be names, not %s", where, describe(rk))
			continue
		case rk.ShortTag() == "!!merge":
			p.errorf(k, "merge keys (<<) are not supported %s; write the keys out", where)
			continue
		}
		name := rk.Value
		if line, dup := first[name]; dup {
			p.errorf(k, "duplicate key %q %s (first at line %d); remove one", name, where, line)
			continue
		}
		first[name] = k.Line
		if !slices.Contains(known, name) {
			p.errorf(k, "unknown key %q %s%s", name, where, didYouMean(name, "valid keys are "+join(known, "and"), known...))
			continue
		}
		fs[name] = field{k, v}
	}
	return fs
}

// lookup returns the value of the first key called key in mapping m, or nil.
func lookup(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := resolve(m.Content[i]); k.Kind == yaml.ScalarNode && k.Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// The scalar readers below report a value of the wrong kind at n, naming it
// what, and return false.

func (p *parser) kindError(n *yaml.Node, what, want string) {
	v := resolve(n)
	hint := ""
	if _, err := strconv.ParseFloat(v.Value, 64); err == nil && v.ShortTag() == "!!str" && want != "a string" {
		hint = "; remove the quotes"
	}
	p.errorf(n, "%s must be %s, not %s%s", what, want, describe(v), hint)
}

// str reads any non-empty scalar as its text.
func (p *parser) str(n *yaml.Node, what string) (string, bool) {
	v := resolve(n)
	if v.Kind != yaml.ScalarNode || isNull(v) {
		p.kindError(n, what, "a string")
		return "", false
	}
	return v.Value, true
}

// number reads a finite number.
func (p *parser) number(n *yaml.Node, what string) (float64, bool) {
	v := resolve(n)
	if t := v.ShortTag(); v.Kind != yaml.ScalarNode || t != "!!int" && t != "!!float" {
		p.kindError(n, what, "a number")
		return 0, false
	}
	var f float64
	if err := v.Decode(&f); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		p.errorf(n, "%s must be a finite number, not %s", what, v.Value)
		return 0, false
	}
	return f, true
}

// integer reads a whole number.
func (p *parser) integer(n *yaml.Node, what string) (int, bool) {
	v := resolve(n)
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" {
		p.kindError(n, what, "a whole number")
		return 0, false
	}
	var i int
	if err := v.Decode(&i); err != nil {
		p.errorf(n, "%s is out of range: %s", what, v.Value)
		return 0, false
	}
	return i, true
}

// duration reads a Go duration string. A bare number is a mistake (the unit
// is missing) except 0, which needs none.
func (p *parser) duration(n *yaml.Node, what string) (time.Duration, bool) {
	v := resolve(n)
	if v.Kind == yaml.ScalarNode {
		switch v.ShortTag() {
		case "!!str":
			d, err := time.ParseDuration(v.Value)
			if err != nil {
				p.errorf(n, "%s %q is not a duration; write a number and a unit (ns, us, ms, s, m, h), such as 15s or 1m30s", what, v.Value)
				return 0, false
			}
			return d, true
		case "!!int", "!!float":
			var f float64
			if err := v.Decode(&f); err == nil && f == 0 {
				return 0, true
			}
			p.errorf(n, "%s %s has no unit; write %ss, %sms or %sm", what, v.Value, v.Value, v.Value, v.Value)
			return 0, false
		}
	}
	p.kindError(n, what, "a duration such as 15s")
	return 0, false
}

// boolean reads true or false.
func (p *parser) boolean(n *yaml.Node, what string) (bool, bool) {
	v := resolve(n)
	var b bool
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" || v.Decode(&b) != nil {
		p.kindError(n, what, "true or false")
		return false, false
	}
	return b, true
}
