package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Load reads and validates the scenario file at path, whose targets are
// of the kinds k (bench/kinds/all lists coldbench's). An error reading the
// file is returned as is; mistakes in it are reported as by Parse.
func Load(path string, k Specs) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data, k)
}

// Parse validates a scenario from data, whose targets are of the kinds k;
// path is used in messages and Scenario.Path. If there are mistakes, the
// scenario is nil and the error is an Errors listing all of them, in file
// order.
func Parse(path string, data []byte, k Specs) (*Scenario, error) {
	p := &Parser{path: path, data: data, kinds: k}
	var s *Scenario
	if root := p.document(data); root != nil {
		s = p.scenario(root)
	}
	if len(p.errs) > 0 {
		slices.SortStableFunc(p.errs, func(a, b *Error) int {
			if a.Line != b.Line {
				return a.Line - b.Line
			}
			return a.Col - b.Col
		})
		return nil, p.errs
	}
	return s, nil
}

// Parser reads one scenario file and collects its mistakes. A kind's Spec
// reads its settings through it: the value readers (Str, Integer,
// Duration...) report a value of the wrong kind at its line, and Errorf
// any other mistake, where it is.
type Parser struct {
	kinds Specs      // the kinds targets may be of
	entry *yaml.Node // the key of the target entry being read (Entry)
	path  string
	data  []byte // the file, to find what yaml.v3 reports without a line
	errs  Errors
	// Sec names the section being read in messages: "function" or
	// "server" in the shorthand, "targets.<name>" in a target's entry.
	Sec string
}

// Errorf records a mistake at node n.
func (p *Parser) Errorf(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, &Error{Path: p.path, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)})
}

// fileStart stands for the whole file in messages about it.
func fileStart() *yaml.Node { return &yaml.Node{Line: 1, Column: 1} }

// document returns the top node of the single YAML document in data, or nil
// if there is none to validate.
func (p *Parser) document(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			p.Errorf(fileStart(), "empty scenario file; it needs at least a list of phases")
		} else {
			p.syntax(err)
		}
		return nil
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		p.Errorf(&next, "a scenario file holds one YAML document; remove this --- and what follows")
	case !errors.Is(err, io.EOF):
		p.syntax(err)
	}
	if len(doc.Content) == 0 || IsNull(Resolve(doc.Content[0])) {
		p.Errorf(fileStart(), "empty scenario file; it needs at least a list of phases")
		return nil
	}
	return doc.Content[0]
}

// syntax records a YAML syntax error at the line yaml.v3 reports.
//
// yaml.v3 counts lines from 0 in its parser's errors (though from 1 in its
// scanner's), and leaves the line out when it counts 0; syntax puts that
// right. An alias to an unknown anchor has no line at all: syntax finds the
// alias in the file.
func (p *Parser) syntax(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, m, ok := strings.Cut(rest, ": "); ok {
			if n, err := strconv.Atoi(num); err == nil {
				line, msg = n, m
			}
		}
	}
	switch {
	case isParserProblem(msg):
		line++
	case line == 0:
		line = p.aliasLine(msg)
	}
	p.errs = append(p.errs, &Error{Path: p.path, Line: line, Msg: "invalid YAML: " + msg})
}

// aliasLine returns the line of the alias that msg, "unknown anchor 'x'
// referenced", is about: the first line with *x on it outside a comment.
// For any other message, or an alias it cannot find, it returns 1, the
// start of the file.
func (p *Parser) aliasLine(msg string) int {
	name, ok := strings.CutPrefix(msg, "unknown anchor '")
	if !ok {
		return 1
	}
	if name, ok = strings.CutSuffix(name, "' referenced"); !ok || name == "" {
		return 1
	}
	for i, text := range strings.Split(string(p.data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(text), "#") {
			continue
		}
		if j := strings.Index(text, " #"); j >= 0 {
			text = text[:j]
		}
		for rest := text; ; {
			j := strings.Index(rest, "*"+name)
			if j < 0 {
				break
			}
			rest = rest[j+1+len(name):]
			if rest == "" || !isAnchorChar(rest[0]) {
				return i + 1
			}
		}
	}
	return 1
}

// isAnchorChar reports whether c can be part of an anchor or alias name,
// as yaml.v3's scanner reads them: [0-9A-Za-z_-].
func isAnchorChar(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == '-'
}

// isParserProblem reports whether msg is one of the problems the yaml.v3
// parser (rather than its scanner) reports.
func isParserProblem(msg string) bool {
	switch msg {
	case "did not find expected <stream-start>",
		"did not find expected <document start>",
		"found undefined tag handle",
		"did not find expected node content",
		"did not find expected '-' indicator",
		"did not find expected key",
		"did not find expected ',' or ']'",
		"did not find expected ',' or '}'",
		"found duplicate %YAML directive",
		"found incompatible YAML document",
		"found duplicate %TAG directive":
		return true
	}
	return false
}
