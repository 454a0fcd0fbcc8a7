package record

import (
	"net/http"
	"strconv"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/targets/lambda"
)

// NewColdStart splits the latency of a cold-started response into its
// parts, from the headers the router and the function set on it.
func NewColdStart(h http.Header, latency time.Duration) ColdStart {
	cs := ColdStart{
		Latency:  latency,
		Env:      h.Get(lambda.HeaderEnv),
		Platform: headerUs(h, lambda.HeaderPlatform),
		Sandbox:  headerUs(h, lambda.HeaderSandbox),
		Init:     headerUs(h, lambda.HeaderInit),
		PoolMiss: h.Get(lambda.HeaderPool) == string(lambda.PoolMiss),

		HostWait:    headerUs(h, lambda.HeaderHostWait),
		SandboxWait: headerUs(h, lambda.HeaderSandboxWait),
		InitWait:    headerUs(h, lambda.HeaderInitWait),
	}
	cs.Invoke = max(latency-cs.Platform-cs.Sandbox-cs.Init, 0)
	// The INIT's share of the wait is the router's to say
	// (lambda.HeaderInitWait): one rule for every function.
	return cs
}

// Net returns cs less its host wait: each part less the wait in it, the
// latency less all of it. The modelled platform part has none.
func (cs ColdStart) Net() ColdStart {
	n := cs
	n.Latency = max(cs.Latency-cs.HostWait, 0)
	n.Sandbox = max(cs.Sandbox-cs.SandboxWait, 0)
	n.Init = max(cs.Init-cs.InitWait, 0)
	n.Invoke = max(cs.Invoke-max(cs.HostWait-cs.SandboxWait-cs.InitWait, 0), 0)
	n.HostWait, n.SandboxWait, n.InitWait = 0, 0, 0
	return n
}

// headerUs reads a header holding microseconds.
func headerUs(h http.Header, name string) time.Duration {
	us, _ := strconv.ParseInt(h.Get(name), 10, 64)
	return time.Duration(us) * time.Microsecond
}

// part returns the duration of part p of cs.
func (cs ColdStart) part(p Part) time.Duration {
	switch p {
	case Platform:
		return cs.Platform
	case Sandbox:
		return cs.Sandbox
	case Init:
		return cs.Init
	}
	return cs.Invoke
}

// Anatomy is a set of cold starts measured one way (the load of a run, or a
// probe of one runtime), split into their parts.
type Anatomy struct {
	Label   string // what measured them, e.g. "probe, container"
	Runtime string // where the environments ran
	// Target is, for probes, the target whose code they ran.
	Target string
	Parts  map[Part]*hdrhistogram.Histogram
	Total  *hdrhistogram.Histogram // whole cold-start latencies
	// PoolMisses counts the cold starts whose sandbox was started on
	// demand because the pool was empty.
	PoolMisses int64
}

// NewAnatomy returns an empty Anatomy.
func NewAnatomy(label, runtime string) *Anatomy {
	a := &Anatomy{Label: label, Runtime: runtime, Parts: map[Part]*hdrhistogram.Histogram{}, Total: NewHistogram()}
	for _, p := range Parts {
		a.Parts[p] = NewHistogram()
	}
	return a
}

// Add records the parts of one cold start, in µs.
func (a *Anatomy) Add(cs ColdStart) {
	for _, p := range Parts {
		a.Parts[p].RecordValue(clamp(cs.part(p).Microseconds()))
	}
	a.Total.RecordValue(clamp(cs.Latency.Microseconds()))
	if cs.PoolMiss {
		a.PoolMisses++
	}
}

// AnatomySummary is the summary of an Anatomy, in µs.
type AnatomySummary struct {
	Label   string             `json:"label"`
	Runtime string             `json:"runtime"`
	Target  string             `json:"target,omitempty"`
	Parts   map[Part]PartStats `json:"parts"`
	Total   PartStats          `json:"total"`
	// PoolMisses counts cold starts whose sandbox was started on demand.
	PoolMisses int64 `json:"pool_misses"`
}

// Summary returns the summary of a.
func (a *Anatomy) Summary() AnatomySummary {
	s := AnatomySummary{Label: a.Label, Runtime: a.Runtime, Target: a.Target, Parts: map[Part]PartStats{}, Total: SummarizePart(a.Total), PoolMisses: a.PoolMisses}
	for p, h := range a.Parts {
		s.Parts[p] = SummarizePart(h)
	}
	return s
}
