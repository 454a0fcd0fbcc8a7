package scenario

import (
	"path/filepath"

	"gopkg.in/yaml.v3"
)

// File reads a path named in the scenario at n, what in messages, and
// returns it relative to the scenario File's folder unless it is
// absolute: a scenario names files the way its author sees them from
// where the File lives, wherever coldbench is run from. Whether the File
// exists is the kind's to check, before the load.
func (p *Parser) File(n *yaml.Node, what string) string {
	s, ok := p.Str(n, what)
	if !ok {
		return ""
	}
	if filepath.IsAbs(s) {
		return filepath.Clean(s)
	}
	return filepath.Join(p.Dir(), s)
}

// dirOf returns the folder of the scenario file at path.
func dirOf(path string) string { return filepath.Dir(path) }
