package report

import (
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/targets/lambda"
)

// countTable is the table of what each emulated Lambda service did: a
// column per target that has platform counters, a row per count.
type countTable struct {
	Targets []string
	Rows    []countRow
}

// countRow is one count of the platform table, one value per target.
type countRow struct {
	What   string
	Counts []int
}

// platformTable lists what the emulated Lambda service of each target
// that has one (Target.Platform) did: environments started and ended,
// throttles, and faults by kind. Rows that are zero for every target,
// other than the environments started, are left out. It returns nil when
// no target has platform counters.
func platformTable(targets []*record.Target) *countTable {
	var stats []*lambda.Stats
	tb := &countTable{}
	for _, t := range targets {
		if t.Platform != nil {
			stats = append(stats, t.Platform)
			tb.Targets = append(tb.Targets, t.Name)
		}
	}
	if len(stats) == 0 {
		return nil
	}
	for i, r := range []struct {
		what  string
		count func(*lambda.Stats) int
	}{
		{"environments started (cold starts and provisioned)", func(s *lambda.Stats) int { return s.Started }},
		{"of them provisioned, live at the end", func(s *lambda.Stats) int { return s.ProvisionedLive }},
		{"most live at once", func(s *lambda.Stats) int { return s.PeakLive }},
		{"reaped after their keepalive", func(s *lambda.Stats) int { return s.Reaped }},
		{"recycled after their maximum lifetime", func(s *lambda.Stats) int { return s.Recycled }},
		{"requests throttled: concurrency limit (429)", func(s *lambda.Stats) int { return s.Throttled }},
		{"requests throttled: scaling rate (429)", func(s *lambda.Stats) int { return s.ScaleThrottled }},
		{"function crashes and panics (502, environment replaced)", func(s *lambda.Stats) int { return s.FunctionCrashes }},
		{"timeouts (502, environment replaced)", func(s *lambda.Stats) int { return s.Timeouts }},
		{"INIT failures (502, environment replaced)", func(s *lambda.Stats) int { return s.InitFailures }},
		{"function errors (502, environment kept)", func(s *lambda.Stats) int { return s.FunctionErrors }},
		{"environments killed from outside", func(s *lambda.Stats) int { return s.Killed }},
		{"environments that failed to start", func(s *lambda.Stats) int { return s.StartFailed }},
		{"cold starts on a sandbox of the pool (started ahead of need)", func(s *lambda.Stats) int { return s.PoolHits }},
		{"pool misses: cold starts that found the pool empty and started a sandbox", func(s *lambda.Stats) int { return s.PoolMisses }},
		{"sandboxes started into the pool, filling and refilling it", func(s *lambda.Stats) int { return s.PoolStarted }},
		{"sandboxes that failed to start into the pool", func(s *lambda.Stats) int { return s.PoolStartFailed }},
		{"sandboxes that exited while waiting in the pool", func(s *lambda.Stats) int { return s.PoolLost }},
	} {
		row := countRow{What: r.what}
		any := i == 0
		for _, st := range stats {
			n := r.count(st)
			row.Counts = append(row.Counts, n)
			any = any || n != 0
		}
		if any {
			tb.Rows = append(tb.Rows, row)
		}
	}
	return tb
}
