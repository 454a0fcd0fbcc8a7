package serverkind

import (
	"slices"

	"github.com/coldbench/coldbench/bench/report"
	"github.com/coldbench/coldbench/bench/scenario"
)

// Name is the kind's name in a scenario (kind: server).
const Name scenario.Kind = "server"

// What the scenario reads: the Spec and its capabilities.
var (
	_ report.Describer     = ServerConfig{}
	_ scenario.Spec        = Kind{}
	_ scenario.Shorthand   = Kind{}
	_ scenario.FrontDoored = Kind{}
	_ scenario.Priced      = Kind{}
	_ scenario.Formatter   = Kind{}
)

// Kind is server.
func (Kind) Kind() scenario.Kind { return Name }

// Keys are the built-in server's work and the keys of the user's own
// server.
func (Kind) Keys() []string {
	return slices.Concat([]string{"init_work", "request_work", "request_wait"}, userServerKeys())
}

// CostKeys are, of the cost section's, those that size and price a
// server's instances, and its front door.
func (Kind) CostKeys() []string {
	return []string{"instance", "min_instances", "target_utilization", "front_door"}
}

// Parse reads a server's settings (ServerConfig) into t: it records all
// its requests as one class.
func (Kind) Parse(p *scenario.Parser, f map[string]scenario.Field, t *scenario.Target) {
	c := ServerConfig{Work: p.Work(f, p.Sec)}
	parseOwn(p, f, &c)
	t.Settings = c
}

// Target returns a server target called name: the built-in server
// without work, as the scenario reads an empty entry.
func Target(name string) scenario.Target {
	return scenario.Target{Name: name, Kind: Name, Settings: ServerConfig{}, Classes: []string{"all"}}
}

// Section is the shorthand's server section.
func (Kind) Section() string { return "server" }

// Rank runs the shorthand's server first.
func (Kind) Rank() int { return 0 }

// FrontDoors are a server's.
func (Kind) FrontDoors() scenario.DoorFamily { return scenario.ServerDoors }

// Settings returns the settings of the server target t; the built-in
// server's without work for any other.
func Settings(t scenario.Target) ServerConfig {
	c, _ := t.Settings.(ServerConfig)
	return c
}

// Describe says what c sets, for the report's list of targets: the
// built-in server's work.
func (c ServerConfig) Describe() string {
	if c.Work.Zero() {
		return ""
	}
	return c.Work.String()
}

// Format writes the built-in server's work back as the keys of its entry
// (scenario.Formatter); the keys of a user's own server are not written.
func (Kind) Format(t scenario.Target) map[string]any { return scenario.FormatWork(Settings(t).Work) }
