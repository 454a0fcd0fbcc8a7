package runs

import (
	"time"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/verdict"
	"github.com/coldbench/coldbench/targets/lambda"
)

// Summary is the content of summary.json: the run's identity and, per target
// and class, counts and latency percentiles in microseconds.
type Summary struct {
	RunID        string                          `json:"run_id"`
	Scenario     string                          `json:"scenario"`
	ScenarioFile string                          `json:"scenario_file"`
	Started      time.Time                       `json:"started"`
	Ended        time.Time                       `json:"ended"`
	Interrupted  bool                            `json:"interrupted"`
	Runtime      string                          `json:"runtime"` // where Lambda environments ran
	Machine      string                          `json:"machine"`
	WorkRate     float64                         `json:"work_iterations_per_ms"`
	RateScale    float64                         `json:"rate_scale,omitempty"` // run -rate-scale (merged: the generators' sum); 0: as written
	Notes        []string                        `json:"notes,omitempty"`
	Targets      map[string]record.TargetSummary `json:"targets"`
	Probes       []record.AnatomySummary         `json:"cold_start_probes,omitempty"`
	Lambda       *lambda.Stats                   `json:"lambda_platform,omitempty"`
	// Objectives holds the scenario's objectives judged against the run.
	Objectives []verdict.Outcome `json:"objectives,omitempty"`
	// Cost prices the run for both targets (package cost).
	Cost *cost.Result `json:"cost,omitempty"`
}
