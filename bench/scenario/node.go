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

// Resolve follows an alias to the node it names. Messages keep the position
// of the alias, where the value is used.
func Resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// IsNull reports whether n is an empty value (nothing, ~ or null).
func IsNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// Describe names what n is, for "must be X, not Y" messages.
func Describe(n *yaml.Node) string {
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

// Field is a key of a mapping and its value.
type Field struct{ Key, Value *yaml.Node }

// Mapping returns n if it is a Mapping, nil if it is nil or empty (which
// stands for an empty Mapping), and reports anything else. what names n in
// messages.
func (p *Parser) Mapping(n *yaml.Node, what string) *yaml.Node {
	if n == nil {
		return nil
	}
	v := Resolve(n)
	switch {
	case v.Kind == yaml.MappingNode:
		return v
	case !IsNull(v):
		p.Errorf(n, "%s must be a mapping of keys to values, not %s", what, Describe(v))
	}
	return nil
}

// Fields returns the entries of mapping m (which may be nil) by key. It
// reports keys that are not among known, and keys given twice; where names
// the mapping in messages ("in function").
func (p *Parser) Fields(m *yaml.Node, where string, known ...string) map[string]Field {
	fs := make(map[string]Field)
	if m == nil {
		return fs
	}
	first := make(map[string]int)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		rk := Resolve(k)
		switch {
		case rk.Kind != yaml.ScalarNode:
			p.Errorf(k, "keys %s must be names, not %s", where, Describe(rk))
			continue
		case rk.ShortTag() == "!!merge":
			p.Errorf(k, "merge keys (<<) are not supported %s; write the keys out", where)
			continue
		}
		name := rk.Value
		if line, dup := first[name]; dup {
			p.Errorf(k, "duplicate key %q %s (first at line %d); remove one", name, where, line)
			continue
		}
		first[name] = k.Line
		if !slices.Contains(known, name) {
			p.Errorf(k, "unknown key %q %s%s", name, where, DidYouMean(name, "valid keys are "+Join(known, "and"), known...))
			continue
		}
		fs[name] = Field{k, v}
	}
	return fs
}

// Lookup returns the value of the first key called key in mapping m, or nil.
func Lookup(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := Resolve(m.Content[i]); k.Kind == yaml.ScalarNode && k.Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// The scalar readers below report a value of the wrong kind at n, naming it
// what, and return false.

func (p *Parser) KindError(n *yaml.Node, what, want string) {
	v := Resolve(n)
	hint := ""
	if _, err := strconv.ParseFloat(v.Value, 64); err == nil && v.ShortTag() == "!!str" && want != "a string" {
		hint = "; remove the quotes"
	}
	p.Errorf(n, "%s must be %s, not %s%s", what, want, Describe(v), hint)
}

// Str reads any non-empty scalar as its text.
func (p *Parser) Str(n *yaml.Node, what string) (string, bool) {
	v := Resolve(n)
	if v.Kind != yaml.ScalarNode || IsNull(v) {
		p.KindError(n, what, "a string")
		return "", false
	}
	return v.Value, true
}

// Number reads a finite Number.
func (p *Parser) Number(n *yaml.Node, what string) (float64, bool) {
	v := Resolve(n)
	if t := v.ShortTag(); v.Kind != yaml.ScalarNode || t != "!!int" && t != "!!float" {
		p.KindError(n, what, "a number")
		return 0, false
	}
	var f float64
	if err := v.Decode(&f); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		p.Errorf(n, "%s must be a finite number, not %s", what, v.Value)
		return 0, false
	}
	return f, true
}

// Integer reads a whole number.
func (p *Parser) Integer(n *yaml.Node, what string) (int, bool) {
	v := Resolve(n)
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" {
		p.KindError(n, what, "a whole number")
		return 0, false
	}
	var i int
	if err := v.Decode(&i); err != nil {
		p.Errorf(n, "%s is out of range: %s", what, v.Value)
		return 0, false
	}
	return i, true
}

// Duration reads a Go Duration string. A bare number is a mistake (the unit
// is missing) except 0, which needs none.
func (p *Parser) Duration(n *yaml.Node, what string) (time.Duration, bool) {
	v := Resolve(n)
	if v.Kind == yaml.ScalarNode {
		switch v.ShortTag() {
		case "!!str":
			d, err := time.ParseDuration(v.Value)
			if err != nil {
				p.Errorf(n, "%s %q is not a duration; write a number and a unit (ns, us, ms, s, m, h), such as 15s or 1m30s", what, v.Value)
				return 0, false
			}
			return d, true
		case "!!int", "!!float":
			var f float64
			if err := v.Decode(&f); err == nil && f == 0 {
				return 0, true
			}
			p.Errorf(n, "%s %s has no unit; write %ss, %sms or %sm", what, v.Value, v.Value, v.Value, v.Value)
			return 0, false
		}
	}
	p.KindError(n, what, "a duration such as 15s")
	return 0, false
}

// Boolean reads true or false.
func (p *Parser) Boolean(n *yaml.Node, what string) (bool, bool) {
	v := Resolve(n)
	var b bool
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" || v.Decode(&b) != nil {
		p.KindError(n, what, "true or false")
		return false, false
	}
	return b, true
}

// isEnvName reports whether s matches [A-Za-z_][A-Za-z0-9_]*.
func isEnvName(s string) bool {
	for i, c := range s {
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return s != ""
}

// Env reads a mapping of environment variables at n, called what: each
// name a valid variable name, once, its value a string without NUL.
// reserved says why a name is not the user's to set, or "".
func (p *Parser) Env(n *yaml.Node, what string, reserved func(name string) string) map[string]string {
	m := p.Mapping(n, what)
	if m == nil {
		return nil
	}
	env := make(map[string]string)
	first := make(map[string]int)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		name, ok := p.Str(k, "a name in "+what)
		if !ok {
			continue
		}
		if line, dup := first[name]; dup {
			p.Errorf(k, "duplicate key %q in %s (first at line %d); remove one", name, what, line)
			continue
		}
		first[name] = k.Line
		switch {
		case !isEnvName(name):
			p.Errorf(k, "%s: %q is not a valid variable name; use letters, digits and _, not starting with a digit", what, name)
			continue
		case reserved(name) != "":
			p.Errorf(k, "%s: %s", what, reserved(name))
			continue
		}
		switch rv := Resolve(v); {
		case IsNull(rv):
			env[name] = ""
		case rv.Kind == yaml.ScalarNode && strings.IndexByte(rv.Value, 0) < 0:
			env[name] = rv.Value
		default:
			p.KindError(v, what+"."+name, "a string")
		}
	}
	return env
}
