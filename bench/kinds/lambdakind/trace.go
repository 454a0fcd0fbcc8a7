package lambdakind

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/bench/attack"
	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
)

// wholeTrace simulates the whole trace tr (at its own speed) through the
// function's service rules, as written in the scenario, not divided by a
// replay's speed, on a virtual clock (lambda.Simulate), each invocation
// lasting a latency drawn from what this run measured, warm or cold. It
// prices what the simulation counted with what the run billed: each
// simulated invocation bills the run's mean billed duration of its class
// (b for the cold ones, INIT included), which is linear, so the total's
// expectation is exact for the run's means.
func wholeTrace(tr *scenario.TraceData, fn FunctionConfig, rec *record.Target, u *cost.LambdaUsage, b billing) (*kinds.TraceUse, error) {
	svc, err := measuredService(rec)
	if err != nil {
		return nil, fmt.Errorf("simulating the whole trace: %w", err)
	}
	sim := lambda.Simulation{Config: config(fn, 1, 0, false), Span: tr.Length, Seed: tr.Seed}
	res := lambda.Simulate(sim, attack.TraceArrivals(tr), svc)

	t := res.Total
	warmRows := u.BilledRows - b.coldRows
	warmMs, coldMs := 0.0, 0.0
	if warmRows > 0 {
		warmMs = (u.BilledMs - b.coldMs) / float64(warmRows)
	}
	if b.coldRows > 0 {
		coldMs = b.coldMs / float64(b.coldRows)
	}
	// A class the run billed no invocation of is billed as the other
	// class (a cold one as a warm one plus the mean INIT), and only with
	// neither at its mean latency, which holds what is not billed too.
	fallback := ""
	switch {
	case warmRows <= 0 && b.coldRows > 0:
		warmMs, fallback = coldMs, "; no warm invocation was billed, so warm ones are billed as the cold ones"
	case warmRows > 0 && b.coldRows <= 0:
		coldMs, fallback = warmMs, "; no cold invocation was billed, so cold ones are billed as the warm ones"
		if u.ColdStarts > 0 {
			coldMs += u.InitMs / float64(u.ColdStarts)
			fallback += " plus the mean INIT"
		}
	case warmRows <= 0:
		warmMs, coldMs = svc.warmMean, svc.coldMean
		fallback = "; no invocation was billed, so each is billed at its class's mean latency, which overstates it"
	}
	provMs := warmMs
	if u.ProvisionedRows > 0 {
		provMs = u.ProvisionedBilledMs / float64(u.ProvisionedRows)
	}
	onDemandWarm := t.Invocations - t.ColdStarts - t.Provisioned
	initMs := 0.0
	if u.ColdStarts > 0 {
		initMs = u.InitMs / float64(u.ColdStarts) * float64(t.ColdStarts)
	}
	whole := &cost.LambdaUsage{
		MemoryMB: u.MemoryMB, Provisioned: u.Provisioned, InitInBilled: u.InitInBilled,
		Requests: t.Requests, Throttled: t.Throttled + t.ScaleThrottled, Invocations: t.Invocations,
		ColdStarts: t.ColdStarts, InitMs: initMs,
		BilledMs: float64(onDemandWarm)*warmMs + float64(t.ColdStarts)*coldMs, BilledRows: onDemandWarm + t.ColdStarts,
		ProvisionedBilledMs: float64(t.Provisioned) * provMs, ProvisionedRows: t.Provisioned,
		Source: fmt.Sprintf("simulated: the whole trace (%s, %d requests) through the router's rules on a virtual clock, "+
			"invocations lasting latencies drawn from this run's warm and cold ones; billed at this run's mean billed duration per invocation, "+
			"%.4g ms warm and %.4g ms cold (INIT included)%s", tr.Length, t.Requests, warmMs, coldMs, fallback),
	}
	return &kinds.TraceUse{
		Usage:      functionUsage{*whole},
		Simulation: &res,
		Notes: []string{fmt.Sprintf("The whole trace (%s) was simulated, not run: the fleet's rules at the trace's own speed (keepalive %s, concurrency %d), "+
			"with invocation times drawn from this run's measured warm (%d) and cold (%d) latencies.",
			tr.Length, durationOr(fn.Keepalive, lambda.DefaultKeepalive), intOr(fn.Concurrency, lambda.DefaultConcurrency), svc.warm.n, svc.cold.n)},
	}, nil
}

// scheduleByRules runs the scenario's schedule through the function's
// rules on a virtual clock (lambda.Simulate), at the speed the router ran
// them, each invocation lasting a latency drawn from rec's, less host wait
// where it was measured: how many cold starts, throttles and environments
// at once Lambda, whose environments do not wait for each other's CPU,
// would have had for the same traffic. Nil when rec has no latency to draw
// or the schedule sends nothing.
func scheduleByRules(phases []scenario.Phase, fn FunctionConfig, speed float64, rec *record.Target) *lambda.SimResult {
	svc, err := measuredService(rec)
	if err != nil || len(phases) == 0 {
		return nil
	}
	var span time.Duration
	for _, p := range phases {
		span += p.Duration
	}
	res := lambda.Simulate(lambda.Simulation{Config: config(fn, speed, 0, false), Span: span, Seed: 1}, attack.ScheduleArrivals(phases), svc)
	if res.Total.Requests == 0 {
		return nil
	}
	return &res
}

// service draws invocation times from the latencies a run measured.
type service struct {
	warm, cold         sampler
	warmMean, coldMean float64 // ms
}

// measuredService returns the Service of rec's warm and cold latencies (as
// sent, not corrected: how long an environment was busy), less their host
// wait where it was measured and the scenario did not keep it (how long
// an environment with vCPUs of its own would have been busy). A class
// with no latency takes the other's.
func measuredService(rec *record.Target) (*service, error) {
	hist := func(c record.Class) *hdrhistogram.Histogram {
		s := rec.Classes[c]
		if s == nil {
			return nil
		}
		if h, _ := rec.Sent(s); h != nil && h.TotalCount() > 0 {
			return h
		}
		return nil
	}
	w, c := hist(record.Warm), hist(record.Cold)
	switch {
	case w == nil && c == nil:
		return nil, errors.New("no warm or cold request succeeded, so there is no latency to draw invocation times from")
	case w == nil:
		w = c
	case c == nil:
		c = w
	}
	return &service{warm: newSampler(w), cold: newSampler(c), warmMean: w.Mean() / 1000, coldMean: c.Mean() / 1000}, nil
}

// Duration implements lambda.Service.
func (s *service) Duration(cold bool, rng *rand.Rand) time.Duration {
	if cold {
		return s.cold.draw(rng)
	}
	return s.warm.draw(rng)
}

// sampler draws values from a histogram's distribution: a bucket in
// proportion to its count, then uniformly within it.
type sampler struct {
	from, to []int64 // µs, per bucket with a count
	cum      []int64 // counts up to and including each bucket
	n        int64
}

func newSampler(h *hdrhistogram.Histogram) sampler {
	var s sampler
	for _, b := range h.Distribution() {
		if b.Count == 0 {
			continue
		}
		s.n += b.Count
		s.from, s.to, s.cum = append(s.from, b.From), append(s.to, b.To), append(s.cum, s.n)
	}
	return s
}

func (s sampler) draw(rng *rand.Rand) time.Duration {
	k := rng.Int64N(s.n)
	i := sort.Search(len(s.cum), func(i int) bool { return s.cum[i] > k })
	us := s.from[i]
	if w := s.to[i] - s.from[i]; w > 0 {
		us += rng.Int64N(w + 1)
	}
	return time.Duration(us) * time.Microsecond
}

func durationOr(d, or time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return or
}

func intOr(n, or int) int {
	if n > 0 {
		return n
	}
	return or
}
