package lambda

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"time"
)

// platformJSON is the data file of the modelled platform part of a cold
// start, a string so that nothing can change it.
//
//go:embed platform.json
var platformJSON string

// PlatformFigure is one published figure the platform model rests on.
type PlatformFigure struct {
	ID       string `json:"id"`
	Measured string `json:"measured"`
	Value    string `json:"value"`
	Source   string `json:"source"`
	URL      string `json:"url"`
	Date     string `json:"date"`
	Quote    string `json:"quote"`
}

// PlatformData is the platform model's data file: its default Delay, how
// that was derived, and the figures behind it, with sources and dates.
type PlatformData struct {
	Version     string `json:"version"`
	Retrieved   string `json:"retrieved"`
	Description string `json:"description"`
	Default     struct {
		Distribution string   `json:"distribution"`
		P50Ms        float64  `json:"p50_ms"`
		P99Ms        float64  `json:"p99_ms"`
		AppliesTo    string   `json:"applies_to"`
		Derivation   string   `json:"derivation"`
		NotModelled  []string `json:"not_modelled"`
	} `json:"default"`
	Figures []PlatformFigure `json:"figures"`
}

// Delay is the data file's default model.
func (d PlatformData) Delay() Delay {
	ms := func(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }
	return Delay{P50: ms(d.Default.P50Ms), P99: ms(d.Default.P99Ms)}
}

// Published returns the platform model's data file, platform.json. It
// panics if the embedded file is broken, which its test rules out.
func Published() PlatformData {
	var d PlatformData
	if err := json.Unmarshal([]byte(platformJSON), &d); err != nil {
		panic(fmt.Sprintf("lambda: platform.json: %v", err))
	}
	if d.Default.Distribution != "lognormal" {
		panic(fmt.Sprintf("lambda: platform.json: distribution %q, not lognormal", d.Default.Distribution))
	}
	if err := d.Delay().Validate(); err != nil || d.Delay().Zero() {
		panic(fmt.Sprintf("lambda: platform.json: default %v: %v", d.Delay(), err))
	}
	return d
}
