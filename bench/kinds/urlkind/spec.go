package urlkind

import (
	"net/http"

	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
)

// Name is the kind's name in a scenario (kind: url).
const Name scenario.Kind = "url"

var (
	_ scenario.Spec      = Kind{}
	_ scenario.Formatter = Kind{}
)

// Kind is url.
func (Kind) Kind() scenario.Kind { return Name }

// Keys are a url target's: it is not priced.
func (Kind) Keys() []string { return []string{"url", "cold_header", "timeout"} }

// Parse reads a url target's settings (URLConfig) into t: it records all
// its requests, and cold and warm when it names the header that tells
// them apart.
func (Kind) Parse(p *scenario.Parser, f map[string]scenario.Field, t *scenario.Target) {
	c := parseURL(p, f, p.Entry())
	t.Settings = c
	if c.ColdHeader != "" {
		t.Classes = []string{"all", "cold", "warm"}
		t.ColdHeader = c.ColdHeader
		// A url in front of coldbench's own emulated Lambda service
		// answers with its other headers too.
		t.Routed = http.CanonicalHeaderKey(c.ColdHeader) == http.CanonicalHeaderKey(lambda.HeaderCold)
	}
}

// Settings returns the settings of the url target t.
func Settings(t scenario.Target) URLConfig {
	c, _ := t.Settings.(URLConfig)
	return c
}

// Format writes a url target's settings back as the keys of its entry
// (scenario.Formatter).
func (Kind) Format(t scenario.Target) map[string]any {
	c := Settings(t)
	m := map[string]any{"url": c.URL, "timeout": c.Timeout.String()}
	if c.ColdHeader != "" {
		m["cold_header"] = c.ColdHeader
	}
	return m
}
