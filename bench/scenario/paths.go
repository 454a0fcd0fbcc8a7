package scenario

import (
	"path/filepath"

	"gopkg.in/yaml.v3"
)

// file reads a path named in the scenario at n, what in messages, and
// returns it relative to the scenario file's folder unless it is
// absolute: a scenario names files the way its author sees them from
// where the file lives, wherever coldbench is run from. Whether the file
// exists is the kind's to check, before the load.
func (p *parser) file(n *yaml.Node, what string) string {
	s, ok := p.str(n, what)
	if !ok {
		return ""
	}
	if filepath.IsAbs(s) {
		return filepath.Clean(s)
	}
	return filepath.Join(filepath.Dir(p.path), s)
}
