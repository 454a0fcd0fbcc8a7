package record_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/kinds/lambdakind"
	"github.com/coldbench/coldbench/bench/kinds/serverkind"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
)

var phases = []scenario.Phase{
	{Name: "a", Duration: 2 * time.Second, Shape: scenario.Constant, Rate: 1},
	{Name: "b", Duration: 2 * time.Second, Shape: scenario.Constant, Rate: 1},
}

func result(began time.Time, at, latency time.Duration, code uint16, cold string) *vegeta.Result {
	r := &vegeta.Result{Timestamp: began.Add(at), Latency: latency, Code: code, Headers: http.Header{}}
	if code == 429 {
		r.Error = "429 Too Many Requests"
	}
	if cold != "" {
		r.Headers.Set(lambda.HeaderCold, cold)
		r.Headers.Set(lambda.HeaderEnv, "env-1")
	}
	if cold == "true" {
		r.Headers.Set(lambda.HeaderPlatform, "1500")
		r.Headers.Set(lambda.HeaderInit, "20000")
	}
	return r
}

func TestRecorderSplitsClassesPhasesAndIntervals(t *testing.T) {
	began := time.UnixMilli(1_700_000_000_000)
	var log bytes.Buffer
	w := hdrhistogram.NewHistogramLogWriter(&log)
	rec := record.New(lambdakind.Target("lambda"), phases, began, w)

	ms := time.Millisecond
	rec.Add(0, result(began, 0, 50*ms, 200, "true"), time.Time{})                  // cold, interval 0
	rec.Add(0, result(began, 100*ms, 1*ms, 200, "false"), time.Time{})             // warm, interval 0
	rec.Add(0, result(began, 1500*ms, 2*ms, 200, "false"), began.Add(1490*ms))     // warm, interval 1, sent 10 ms late
	rec.Add(1, result(began, 2500*ms, 100*time.Microsecond, 429, ""), time.Time{}) // throttled
	rec.Add(1, result(began, 3500*ms, 3*ms, 200, "false"), time.Time{})            // warm, interval 3
	tg, err := rec.Close()
	if err != nil {
		t.Fatal(err)
	}

	want := map[record.Class][3]int64{ // requests, errors, ok
		record.All:  {5, 1, 4},
		record.Cold: {1, 0, 1},
		record.Warm: {3, 0, 3},
	}
	for c, w := range want {
		s := tg.Classes[c]
		got := [3]int64{s.Counts.Requests, s.Counts.Errors, s.Histogram.TotalCount()}
		if got != w {
			t.Errorf("%s: requests, errors, ok = %v, want %v", c, got, w)
		}
	}
	if n := tg.Classes[record.All].Counts.Codes[429]; n != 1 {
		t.Errorf("429 count = %d, want 1", n)
	}
	if n := tg.Phases[1].Classes[record.All].Counts.Requests; n != 2 {
		t.Errorf("phase b requests = %d, want 2", n)
	}
	// 50 ms of cold start: 1.5 ms platform, 20 ms init, 28.5 ms invoke.
	want0 := record.ColdStart{Latency: 50 * ms, Env: "env-1", Platform: 1500 * time.Microsecond, Init: 20 * ms, Invoke: 28500 * time.Microsecond}
	if len(tg.ColdStarts) != 1 || tg.ColdStarts[0] != want0 {
		t.Errorf("cold starts = %+v, want [%+v]", tg.ColdStarts, want0)
	}
	for p, us := range map[record.Part]int64{record.Platform: 1500, record.Init: 20000, record.Invoke: 28500} {
		h := tg.Anatomy.Parts[p]
		if h.TotalCount() != 1 || !h.ValuesAreEquivalent(h.Max(), us) {
			t.Errorf("anatomy %s: %d values, max %d µs; want one of %d", p, h.TotalCount(), h.Max(), us)
		}
	}
	if got := tg.Classes[record.Cold].Histogram.Max(); !tg.Classes[record.Cold].Histogram.ValuesAreEquivalent(got, 50_000) {
		t.Errorf("cold max = %d µs, want 50000", got)
	}

	// The request sent 10 ms after it was due took 2 ms, or 12 ms counted
	// from when it was due; the others were sent on time.
	warm := tg.Classes[record.Warm]
	if got := warm.Corrected.Max(); !warm.Corrected.ValuesAreEquivalent(got, 12_000) {
		t.Errorf("warm corrected max = %d µs, want 12000", got)
	}
	if got := warm.Histogram.Max(); !warm.Histogram.ValuesAreEquivalent(got, 3_000) {
		t.Errorf("warm max = %d µs, want 3000", got)
	}
	if st := record.Summarize(warm); st.Corrected == nil || st.Corrected.Max != warm.Corrected.Max() || st.Max != warm.Histogram.Max() {
		t.Errorf("summary of warm: %+v, corrected %+v", st.Latency, st.Corrected)
	}

	// The interval log holds every successful response exactly once, by tag.
	counts := map[string]int64{}
	r := hdrhistogram.NewHistogramLogReader(&log)
	for {
		h, err := r.NextIntervalHistogram()
		if err != nil {
			t.Fatal(err)
		}
		if h == nil {
			break
		}
		counts[h.Tag()] += h.TotalCount()
	}
	wantTags := map[string]int64{"lambda/all": 4, "lambda/cold": 1, "lambda/warm": 3, "lambda/sandbox": 1, "lambda/platform": 1, "lambda/init": 1,
		"lambda/all/corrected": 4, "lambda/cold/corrected": 1, "lambda/warm/corrected": 3}
	for tag, n := range wantTags {
		if counts[tag] != n {
			t.Errorf("interval log %s: %d values, want %d (all: %v)", tag, counts[tag], n, counts)
		}
	}
}

func TestRecorderServerHasOnlyAll(t *testing.T) {
	began := time.Now()
	rec := record.New(serverkind.Target("server"), phases, began, nil)
	rec.Add(0, result(began, 0, time.Millisecond, 201, ""), time.Time{})
	rec.Add(0, &vegeta.Result{Timestamp: began, Latency: time.Second, Error: "connection refused"}, time.Time{})
	tg, _ := rec.Close()
	if len(tg.Classes) != 1 {
		t.Fatalf("classes = %v, want only all", tg.Classes)
	}
	s := record.Summarize(tg.Classes[record.All])
	if s.Requests != 2 || s.Errors != 1 || s.OK != 1 || s.Codes["0"] != 1 {
		t.Errorf("summary = %+v", s)
	}
	if live := rec.Live(); live.Requests != 2 || live.Errors != 1 {
		t.Errorf("live = %+v", live)
	}
}

// TestRecorderProvisionedAndQueue checks that requests served by
// provisioned environments get their class (within warm) and that the
// router's waits are recorded, in the run and in the interval log.
func TestRecorderProvisionedAndQueue(t *testing.T) {
	began := time.UnixMilli(1_700_000_000_000)
	var log bytes.Buffer
	rec := record.New(lambdakind.Target("lambda"), phases, began, hdrhistogram.NewHistogramLogWriter(&log))
	for i, prov := range []string{"true", "true", "false"} {
		r := result(began, time.Duration(i)*time.Millisecond, time.Millisecond, 200, "false")
		r.Headers.Set(lambda.HeaderProvisioned, prov)
		r.Headers.Set(lambda.HeaderQueue, "40")
		rec.Add(0, r, time.Time{})
	}
	rec.Add(0, result(began, 5*time.Millisecond, 100*time.Microsecond, 429, ""), time.Time{}) // no wait: never queued
	tg, _ := rec.Close()
	if n := tg.Classes[record.Provisioned].Counts.Requests; n != 2 {
		t.Errorf("provisioned requests = %d, want 2", n)
	}
	if n := tg.Classes[record.Warm].Counts.Requests; n != 3 {
		t.Errorf("warm requests = %d, want 3 (provisioned ones are warm too)", n)
	}
	if q := tg.Queue; q.TotalCount() != 3 || !q.ValuesAreEquivalent(q.Max(), 40) {
		t.Errorf("queue: %d values, max %d; want 3 of 40 µs", q.TotalCount(), q.Max())
	}
	if !strings.Contains(log.String(), "Tag=lambda/queue,") {
		t.Error("no lambda/queue histograms in the interval log")
	}
}

// TestRecorderLag checks that the generator's lag (sent minus due) is kept
// per target and phase, whatever the outcome, in the interval log as
// <target>/lag and in the summary, and that a rate: max phase, which has
// no schedule, and results without a due time add nothing to it.
func TestRecorderLag(t *testing.T) {
	began := time.UnixMilli(1_700_000_000_000)
	ph := []scenario.Phase{
		{Name: "a", Duration: 2 * time.Second, Shape: scenario.Constant, Rate: 1},
		{Name: "max", Duration: 2 * time.Second, Shape: scenario.Constant, Max: true, Workers: 2},
	}
	var log bytes.Buffer
	rec := record.New(serverkind.Target("server"), ph, began, hdrhistogram.NewHistogramLogWriter(&log))
	for i, late := range []time.Duration{0, 100 * time.Microsecond, 300 * time.Microsecond} {
		r := result(began, time.Duration(i)*time.Millisecond, time.Millisecond, 201, "")
		rec.Add(0, r, r.Timestamp.Add(-late))
	}
	r := result(began, 4*time.Millisecond, time.Millisecond, 429, "")
	rec.Add(0, r, r.Timestamp.Add(-2*time.Millisecond)) // a failure was late too
	r = result(began, 5*time.Millisecond, time.Millisecond, 201, "")
	rec.Add(0, r, time.Time{})
	r = result(began, 2*time.Second, time.Millisecond, 201, "")
	rec.Add(1, r, r.Timestamp)
	tg, _ := rec.Close()
	if l := tg.Lag; l.TotalCount() != 4 || l.ValueAtQuantile(50) != 100 || !l.ValuesAreEquivalent(l.Max(), 2000) {
		t.Errorf("lag: %d values, p50 %d µs, max %d µs; want 4, 100 and 2000", l.TotalCount(), l.ValueAtQuantile(50), l.Max())
	}
	if n := tg.Phases[1].Lag.TotalCount(); n != 0 {
		t.Errorf("rate: max phase has %d lags, want none", n)
	}
	if !strings.Contains(log.String(), "Tag=server/lag,") {
		t.Error("no server/lag histograms in the interval log")
	}
	s := record.SummarizeTarget(tg)
	if s.Lag == nil || s.Lag.Count != 4 || s.Lag.P50 != 100 || s.Phases[0].Lag == nil || s.Phases[1].Lag != nil {
		t.Errorf("summary lag %+v, phases %+v and %+v", s.Lag, s.Phases[0].Lag, s.Phases[1].Lag)
	}
}

// TestRecorderHostWait: each response's host wait comes off its net
// latency, and a cold start's comes off its parts: the sandbox's and
// INIT's as the router and the function said, the rest off the invoke.
func TestRecorderHostWait(t *testing.T) {
	began := time.UnixMilli(1_700_000_000_000)
	var log bytes.Buffer
	w := hdrhistogram.NewHistogramLogWriter(&log)
	rec := record.New(lambdakind.Target("lambda"), phases, began, w)
	ms := time.Millisecond

	cold := result(began, 0, 300*ms, 200, "true") // platform 1.5 ms, INIT 20 ms
	cold.Headers.Set(lambda.HeaderSandbox, "60000")
	cold.Headers.Set(lambda.HeaderHostWait, "200000")
	cold.Headers.Set(lambda.HeaderSandboxWait, "40000")
	cold.Headers.Set(lambda.HeaderInitWait, "15000")
	rec.Add(0, cold, time.Time{})
	warm := result(began, 100*ms, 10*ms, 200, "false")
	warm.Headers.Set(lambda.HeaderHostWait, "4000")
	warm.Headers.Set(lambda.HeaderQueue, "500")
	warm.Headers.Set(lambda.HeaderInvoke, "8000")
	rec.Add(0, warm, time.Time{})
	tg, err := rec.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !tg.HostWait {
		t.Fatal("HostWait false after responses with a host wait")
	}
	for c, want := range map[record.Class]int64{record.Cold: 100_000, record.Warm: 6000} {
		if got := tg.Classes[c].Net.Max(); got < want*999/1000 || got > want*1001/1000 {
			t.Errorf("%s: net latency %d µs, want %d", c, got, want)
		}
	}
	if got, want := tg.Classes[record.All].WaitShare(), 204.0/310; got < want-1e-9 || got > want+1e-9 {
		t.Errorf("host-wait share %v, want %v", got, want)
	}
	// Outside the router: 10 ms less 0.5 ms queued and 8 ms invoking.
	if o := tg.Classes[record.Warm].Outside; o.TotalCount() != 1 || o.Max() < 1499 || o.Max() > 1501 {
		t.Errorf("outside the router: %d values, max %d µs; want 1 of 1500", o.TotalCount(), o.Max())
	}
	cs := tg.ColdStarts[0].Net()
	// Invoke: 300 − 60 − 1.5 − 20 = 218.5 ms, less 200 − 40 − 15 = 145 ms.
	if cs.Sandbox != 20*ms || cs.Init != 5*ms || cs.Invoke != 73500*time.Microsecond || cs.Latency != 100*ms {
		t.Errorf("net cold start %+v", cs)
	}
	if !strings.Contains(log.String(), "lambda/cold/net") {
		t.Error("interval log has no lambda/cold/net histogram")
	}
	s := record.SummarizeTarget(tg)
	if s.NetAnatomy == nil || s.Classes[record.Warm].Net == nil || s.Classes[record.Warm].WaitShare == nil {
		t.Errorf("summary lacks the net figures: %+v", s)
	}
}

// TestRecorderNoHostWait: a target whose responses carry no host wait
// has no net figures in its summary, nor, not behind a router, in its
// interval log.
func TestRecorderNoHostWait(t *testing.T) {
	began := time.UnixMilli(1_700_000_000_000)
	var log bytes.Buffer
	rec := record.New(serverkind.Target("server"), phases, began, hdrhistogram.NewHistogramLogWriter(&log))
	rec.Add(0, result(began, 0, time.Millisecond, 200, ""), time.Time{})
	tg, _ := rec.Close()
	s := record.SummarizeTarget(tg)
	if tg.HostWait || s.Classes[record.All].Net != nil || strings.Contains(log.String(), "/net") {
		t.Error("net figures for a target without host wait")
	}
}
