package runs

import (
	"time"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/record"
)

// Summary is the content of summary.json: the run's identity and, per target
// and class, counts and latency percentiles in microseconds.
type Summary struct {
	RunID        string    `json:"run_id"`
	Scenario     string    `json:"scenario"`
	ScenarioFile string    `json:"scenario_file"`
	Started      time.Time `json:"started"`
	Ended        time.Time `json:"ended"`
	Interrupted  bool      `json:"interrupted"`
	Runtime      string    `json:"runtime"` // where Lambda environments ran (each target says too)
	Machine      string    `json:"machine"`
	WorkRate     float64   `json:"work_iterations_per_ms"`
	RateScale    float64   `json:"rate_scale,omitempty"` // run -rate-scale (merged: the generators' sum); 0: as written
	Notes        []string  `json:"notes,omitempty"`
	// Targets holds each target by name; each says its kind.
	Targets map[string]record.TargetSummary `json:"targets"`
	Probes  []record.AnatomySummary         `json:"cold_start_probes,omitempty"`
	// Objectives holds the scenario's objectives judged against the run.
	Objectives []Outcome `json:"objectives,omitempty"`
	// Costs prices each target alone, by name (package cost).
	Costs map[string]*cost.Result `json:"costs,omitempty"`
	// Verdict ranks the targets, names the cheapest one that meets every
	// objective and taxes each one with cold starts (package verdict).
	Verdict *Verdict `json:"verdict,omitempty"`
	// Tuning holds each memory sweep's sizes and the size each of Power
	// Tuning's strategies chooses (package tuning); empty without a sweep.
	Tuning []Sweep `json:"power_tuning,omitempty"`
}
