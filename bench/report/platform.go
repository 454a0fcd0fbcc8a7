package report

import "github.com/coldbench/coldbench/targets/lambda"

// countRow is one line of the Lambda platform table.
type countRow struct {
	What  string
	Count int
}

// platformRows lists what the emulated Lambda service did: environments
// started and ended, throttles, and faults by kind. Zero counts other than
// the environments started are left out.
func platformRows(st *lambda.Stats) []countRow {
	if st == nil {
		return nil
	}
	rows := []countRow{{"environments started (cold starts and provisioned)", st.Started}}
	for _, r := range []countRow{
		{"of them provisioned, live at the end", st.ProvisionedLive},
		{"most live at once", st.PeakLive},
		{"reaped after their keepalive", st.Reaped},
		{"recycled after their maximum lifetime", st.Recycled},
		{"requests throttled: concurrency limit (429)", st.Throttled},
		{"requests throttled: scaling rate (429)", st.ScaleThrottled},
		{"function crashes and panics (502, environment replaced)", st.FunctionCrashes},
		{"timeouts (502, environment replaced)", st.Timeouts},
		{"INIT failures (502, environment replaced)", st.InitFailures},
		{"function errors (502, environment kept)", st.FunctionErrors},
		{"environments killed from outside", st.Killed},
		{"environments that failed to start", st.StartFailed},
		{"cold starts on a sandbox of the pool (started ahead of need)", st.PoolHits},
		{"pool misses: cold starts that found the pool empty and started a sandbox", st.PoolMisses},
		{"sandboxes started into the pool, filling and refilling it", st.PoolStarted},
		{"sandboxes that failed to start into the pool", st.PoolStartFailed},
		{"sandboxes that exited while waiting in the pool", st.PoolLost},
	} {
		if r.Count != 0 {
			rows = append(rows, r)
		}
	}
	return rows
}
