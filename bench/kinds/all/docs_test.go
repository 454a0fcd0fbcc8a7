package all_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/scenario"
)

// repoRoot is the repository's root, from this package's folder.
const repoRoot = "../../.."

// docFiles returns the README and every page of docs/.
func docFiles(t *testing.T) []string {
	t.Helper()
	pages, err := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("no docs/*.md: %v", err)
	}
	return append([]string{filepath.Join(repoRoot, "README.md")}, pages...)
}

// documentedKeys reads the key reference of docs/scenarios.md: for each
// "### " heading of the section "## Key reference", the keys in the
// first column of its table.
func documentedKeys(t *testing.T) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "docs", "scenarios.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, ref, ok := strings.Cut(string(data), "\n## Key reference\n")
	if !ok {
		t.Fatal(`docs/scenarios.md has no "## Key reference"`)
	}
	if i := strings.Index(ref, "\n## "); i >= 0 {
		ref = ref[:i]
	}
	row := regexp.MustCompile("^\\| `([a-z_0-9]+)` \\|")
	keys := map[string][]string{}
	section := ""
	for _, line := range strings.Split(ref, "\n") {
		if h, ok := strings.CutPrefix(line, "### "); ok {
			section = h
			keys[section] = nil
			continue
		}
		if m := row.FindStringSubmatch(line); m != nil && section != "" {
			keys[section] = append(keys[section], m[1])
		}
	}
	return keys
}

// acceptedKeys are the keys the parser takes, by the reference's
// sections: from the lists it reads them from, and every kind's Spec.
func acceptedKeys() map[string][]string {
	specs := all.Specs()
	keys := map[string][]string{
		"Top level":            scenario.TopLevelKeys(specs),
		"Every target's entry": scenario.EntryKeys(),
		"A phase":              scenario.PhaseKeys(),
		"A request section":    scenario.RequestKeys(),
		"The cost section":     scenario.CostKeys(),
	}
	for _, sp := range specs {
		ks := slices.Clone(sp.Keys())
		if p, ok := sp.(scenario.Priced); ok {
			ks = append(ks, p.CostKeys()...)
		}
		if _, ok := sp.(scenario.Sweeper); ok {
			ks = append(ks, "sweep")
		}
		keys["kind: "+string(sp.Kind())] = ks
	}
	return keys
}

// TestKeysDocumented checks the key reference against the parser both
// ways: every key it takes is documented in its section, and every key
// documented is one it takes.
func TestKeysDocumented(t *testing.T) {
	doc, parser := documentedKeys(t), acceptedKeys()
	for section, keys := range parser {
		documented, ok := doc[section]
		if !ok {
			t.Errorf("docs/scenarios.md, Key reference: no section ### %s; add it with a row per key: %v", section, keys)
			continue
		}
		for _, k := range keys {
			if !slices.Contains(documented, k) {
				t.Errorf("docs/scenarios.md, Key reference, %s: the parser takes `%s`, which is not documented; add a row", section, k)
			}
		}
		for _, k := range documented {
			if !slices.Contains(keys, k) {
				t.Errorf("docs/scenarios.md, Key reference, %s: `%s` is documented but the parser refuses it; remove the row or fix the name", section, k)
			}
		}
	}
	for section := range doc {
		if _, ok := parser[section]; !ok {
			t.Errorf("docs/scenarios.md, Key reference: section ### %s matches no part of the parser", section)
		}
	}
}

// yamlBlock is one ```yaml example of the docs.
type yamlBlock struct {
	file string
	line int
	text string
}

// yamlBlocks returns every ```yaml block of the README and docs/.
func yamlBlocks(t *testing.T) []yamlBlock {
	t.Helper()
	var out []yamlBlock
	for _, f := range docFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		for i := 0; i < len(lines); i++ {
			if strings.TrimSpace(lines[i]) != "```yaml" {
				continue
			}
			start := i + 1
			for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			}
			out = append(out, yamlBlock{file: f, line: start + 1, text: strings.Join(lines[start:i], "\n") + "\n"})
		}
	}
	return out
}

// TestDocsExamplesParse parses every ```yaml example of the README and
// docs/ as a scenario file in scenarios/, a list of phases added to one
// that has none (an example of targets, objectives or the cost section).
// YAML that is not a scenario belongs in another kind of block (```text).
func TestDocsExamplesParse(t *testing.T) {
	blocks := yamlBlocks(t)
	if len(blocks) < 10 {
		t.Fatalf("found %d yaml examples; the docs have more", len(blocks))
	}
	for _, b := range blocks {
		src := b.text
		if !regexp.MustCompile(`(?m)^phases:`).MatchString(src) {
			src += "phases: [{duration: 1s, shape: idle}]\n"
		}
		// Paths in examples are written from scenarios/, where a
		// scenario file lives (traces/azure-day.csv, requests.txt).
		path := filepath.Join(repoRoot, "scenarios", "example.yaml")
		if _, err := scenario.Parse(path, []byte(src), all.Specs()); err != nil {
			t.Errorf("%s:%d: the example does not parse:\n%v\n%s", b.file, b.line, err, b.text)
		}
	}
}

// TestDocsLinks checks every relative link of the README and docs/: the
// file exists and, with a #fragment, has a heading of that anchor.
func TestDocsLinks(t *testing.T) {
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	anchors := map[string]map[string]bool{}
	anchorsOf := func(path string) map[string]bool {
		if a, ok := anchors[path]; ok {
			return a
		}
		a := map[string]bool{}
		data, err := os.ReadFile(path)
		if err == nil {
			for _, line := range strings.Split(string(data), "\n") {
				if h, ok := strings.CutPrefix(strings.TrimLeft(line, "#"), " "); ok && strings.HasPrefix(line, "#") {
					a[anchor(h)] = true
				}
			}
		}
		anchors[path] = a
		return a
	}
	for _, f := range docFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			for _, m := range link.FindAllStringSubmatch(line, -1) {
				target := m[1]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
					continue
				}
				file, frag, _ := strings.Cut(target, "#")
				path := f
				if file != "" {
					path = filepath.Join(filepath.Dir(f), file)
					if _, err := os.Stat(path); err != nil {
						t.Errorf("%s:%d: link to %s: no such file", f, i+1, target)
						continue
					}
				}
				if frag != "" && strings.HasSuffix(path, ".md") && !anchorsOf(path)[frag] {
					t.Errorf("%s:%d: link to %s: no heading with that anchor in %s", f, i+1, target, path)
				}
			}
		}
	}
}

// anchor is GitHub's anchor of heading h: lower case, letters, digits, -
// and _ kept, spaces as -, the rest dropped.
func anchor(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(h)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}
