package lambdakind

import (
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/targets/lambda"
)

var (
	sum  = record.MergeSum
	none = record.MergeNone
)

// Counters are what the router counted (lambda.Stats) as labelled rows,
// in the order the report's table lists them, each saying how the runs
// of several load generators merge it.
func Counters(s lambda.Stats) record.Counters {
	c := func(key, label string, v int, merge record.Merge, report bool) record.Counter {
		return record.Counter{Key: key, Label: label, Value: int64(v), Merge: merge, Report: report}
	}
	return record.Counters{
		c("started", "environments started (cold starts and provisioned)", s.Started, sum, true),
		// The generators' fleets end together: their sum is all of them.
		c("provisioned_live", "of them provisioned, live at the end", s.ProvisionedLive, sum, true),
		// The shards of several generators are fleets of their own: the
		// sum of their peaks bounds the peak of them all from above.
		c(lambda.KeyPeakLive, "most live at once", s.PeakLive, sum, true),
		c("reaped", "reaped after their keepalive", s.Reaped, sum, true),
		c("recycled", "recycled after their maximum lifetime", s.Recycled, sum, true),
		c(lambda.KeyThrottled, "requests throttled: concurrency limit (429)", s.Throttled, sum, true),
		c(lambda.KeyScaleThrottled, "requests throttled: scaling rate (429)", s.ScaleThrottled, sum, true),
		c("function_crashes", "function crashes and panics (502, environment replaced)", s.FunctionCrashes, sum, true),
		c("timeouts", "timeouts (502, environment replaced)", s.Timeouts, sum, true),
		c("init_failures", "INIT failures (502, environment replaced)", s.InitFailures, sum, true),
		c("function_errors", "function errors (502, environment kept)", s.FunctionErrors, sum, true),
		c("killed", "environments killed from outside", s.Killed, sum, true),
		c("start_failed", "environments that failed to start", s.StartFailed, sum, true),
		c("pool_hits", "cold starts on a sandbox of the pool (started ahead of need)", s.PoolHits, sum, true),
		c("pool_misses", "pool misses: cold starts that found the pool empty and started a sandbox", s.PoolMisses, sum, true),
		c("pool_started", "sandboxes started into the pool, filling and refilling it", s.PoolStarted, sum, true),
		c("pool_start_failed", "sandboxes that failed to start into the pool", s.PoolStartFailed, sum, true),
		c("pool_lost", "sandboxes that exited while waiting in the pool", s.PoolLost, sum, true),
		c("init_report_late", "cold starts whose answer waited for the RIE's INIT REPORT (the wait is in their latency)", s.InitReportLate, sum, true),
		c("init_report_missing", "cold starts without the RIE's INIT REPORT (no INIT in their anatomy)", s.InitReportMissing, sum, true),
		c("discarded", "environments stopped after a failed invoke", s.Discarded, sum, false),
		c("crashed", "environments that exited on their own or were killed", s.Crashed, sum, false),
		c("invocations", "invokes sent to environments for requests", s.Invocations, sum, false),
		c("errors", "requests answered 502", s.Errors, sum, false),
		c(lambda.KeyPeakBusy, "most busy at once", s.PeakBusy, sum, false),
		c("live", "environments live at the end", s.Live, none, false),
		c("busy", "environments busy at the end", s.Busy, none, false),
		c("idle", "environments idle at the end", s.Idle, none, false),
		c("provisioned_idle", "provisioned environments idle at the end", s.ProvisionedIdle, none, false),
		c("pool_ready", "sandboxes ready in the pool at the end", s.PoolReady, none, false),
		c("pool_target", "sandboxes the pool keeps", s.PoolTarget, none, false),
	}
}
