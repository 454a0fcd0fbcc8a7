package merge

import (
	"bufio"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
)

// testPhases is the schedule of the synthetic runs.
var testPhases = []scenario.Phase{
	{Name: "steady", Duration: 2 * time.Second, Shape: scenario.Constant, Rate: 50},
	{Name: "gap", Duration: time.Second, Shape: scenario.Idle},
	{Name: "burst", Duration: 1500 * time.Millisecond, Shape: scenario.Constant, Rate: 200},
}

// gen describes a synthetic generator's run.
type gen struct {
	id      string
	started time.Time
	seed    uint64
	phases  []scenario.Phase
	scale   float64
	// targets are the targets run, one after the other; default a server
	// then a Lambda function, the shorthand's.
	targets []scenario.Target
}

// defaultTargets are the targets of a gen that names none.
func defaultTargets() []scenario.Target {
	return []scenario.Target{target("server", serverKind), target("lambda", lambdaKind)}
}

// fed is what the synthetic runs recorded, fed to one histogram per tag,
// and counted: what a merge must reproduce.
type fed struct {
	hist     map[string]*hdrhistogram.Histogram   // by tag, whole run
	phase    map[string][]*hdrhistogram.Histogram // by tag, per phase
	requests map[string]int64                     // by target/class
	codes    map[string]map[int]int64             // by target/class
	results  int64                                // results written to results.bin
}

func newFed() *fed {
	return &fed{hist: map[string]*hdrhistogram.Histogram{}, phase: map[string][]*hdrhistogram.Histogram{},
		requests: map[string]int64{}, codes: map[string]map[int]int64{}}
}

func (f *fed) record(tag string, phase, phases int, us int64) {
	if f.hist[tag] == nil {
		f.hist[tag] = record.NewHistogram()
		for range phases {
			f.phase[tag] = append(f.phase[tag], record.NewHistogram())
		}
	}
	f.hist[tag].RecordValue(us)
	f.phase[tag][phase].RecordValue(us)
}

// writeRun writes a run folder for g under reports, as coldbench run
// would: the results go through record.Recorder into histograms.hlog (with
// hdrhistogram-go's HistogramLogWriter), phases.hlog, summary.json and
// results.bin, and each Lambda function has its folder. Every value and
// count is also fed to f.
func writeRun(t *testing.T, reports string, g gen, f *fed) string {
	t.Helper()
	if g.phases == nil {
		g.phases = testPhases
	}
	if g.targets == nil {
		g.targets = defaultTargets()
	}
	dir := filepath.Join(reports, g.id)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	hf, err := os.Create(filepath.Join(dir, runs.HistogramsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer hf.Close()
	hb := bufio.NewWriter(hf)
	lw := hdrhistogram.NewHistogramLogWriter(hb)
	lw.SetBaseTime(g.started.Truncate(time.Second).UnixMilli()) // as the harness does
	must(t, lw.OutputLogFormatVersion())
	must(t, lw.OutputStartTime(g.started.UnixMilli()))
	must(t, lw.OutputBaseTime(g.started.UnixMilli()))
	must(t, lw.OutputLegend())
	rf, err := os.Create(filepath.Join(dir, runs.ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer rf.Close()
	rb := bufio.NewWriter(rf)
	enc := vegeta.NewEncoder(rb)

	rng := rand.New(rand.NewPCG(g.seed, 7))
	sum := &runs.Summary{RunID: g.id, Scenario: "synthetic", ScenarioFile: "testdata/none.yaml", Started: g.started,
		Runtime: "process", Machine: "test machine", WorkRate: 1000, RateScale: g.scale, Targets: map[string]record.TargetSummary{},
		Notes: []string{"note of " + g.id, "shared note"}}
	var targets []*record.Target
	began := g.started.Add(1500 * time.Millisecond) // build, probes, start-up
	for _, target := range g.targets {
		name := target.Name
		rec := record.New(target, g.phases, began, lw)
		var at time.Duration
		for pi, p := range g.phases {
			if p.Shape != scenario.Idle {
				step := time.Duration(float64(time.Second) / (p.Rate * scaleOr1(g.scale)))
				for off := at; off < at+p.Duration; off += step {
					res, class := result(rng, target, began.Add(off), off == at)
					rec.Add(pi, res, time.Time{})
					must(t, enc.Encode(res))
					f.results++
					feed(f, name, class, pi, len(g.phases), res)
				}
			}
			at += p.Duration
		}
		tg, err := rec.Close()
		must(t, err)
		targets = append(targets, tg)
		if target.Kind == lambdaKind {
			tg.Counters = record.Counters{
				{Key: "started", Value: 3, Merge: record.MergeSum}, {Key: "throttled", Value: 2, Merge: record.MergeSum},
				{Key: "peak_live", Value: 3, Merge: record.MergeSum}, {Key: "live", Value: 1, Merge: record.MergeNone}}
			tg.Runtime = "process"
			fdir := runs.TargetDir(dir, name)
			fl, err := runs.OpenFunctionLog(fdir) // makes the folder
			must(t, err)
			must(t, fl.Close())
			must(t, runs.WriteEnvironments(fdir, nil))
		}
		sum.Targets[name] = record.SummarizeTarget(tg)
		began = tg.Ended.Add(200 * time.Millisecond) // the next target starts after this one
	}
	sum.Ended = began
	must(t, hb.Flush())
	must(t, rb.Flush())
	pf, err := os.Create(filepath.Join(dir, runs.PhasesFile))
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	must(t, runs.WritePhases(pf, g.started, targets))
	b, err := json.MarshalIndent(sum, "", "  ")
	must(t, err)
	must(t, os.WriteFile(filepath.Join(dir, runs.SummaryFile), b, 0o644))
	return dir
}

func scaleOr1(f float64) float64 {
	if f == 0 {
		return 1
	}
	return f
}

// result makes one result for target sent at sent: a server's always
// succeeds; a Lambda function's is cold when first, else warm, and one in
// ten is throttled. Latencies spread over four decades.
func result(rng *rand.Rand, target scenario.Target, sent time.Time, first bool) (*vegeta.Result, record.Class) {
	lat := time.Duration(float64(200*time.Microsecond) * (1 + rng.ExpFloat64()*20))
	res := &vegeta.Result{Attack: target.Name, Timestamp: sent, Latency: lat, Code: 200, Method: "POST", URL: "http://127.0.0.1/order", Headers: http.Header{}}
	if target.Kind != lambdaKind {
		return res, ""
	}
	switch {
	case first:
		res.Latency += 30 * time.Millisecond
		res.Headers.Set(lambda.HeaderCold, "true")
		res.Headers.Set(lambda.HeaderPlatform, "9000")
		res.Headers.Set(lambda.HeaderInit, "20000")
		return res, record.Cold
	case rng.IntN(10) == 0:
		res.Code = 429
		return res, ""
	}
	res.Headers.Set(lambda.HeaderCold, "false")
	res.Headers.Set(lambda.HeaderQueue, "3")
	return res, record.Warm
}

// feed records res in f as the recorder classifies it.
func feed(f *fed, target string, class record.Class, phase, phases int, res *vegeta.Result) {
	us := res.Latency.Microseconds()
	for _, c := range []record.Class{record.All, class} {
		if c == "" {
			continue
		}
		key := target + "/" + string(c)
		f.requests[key]++
		if f.codes[key] == nil {
			f.codes[key] = map[int]int64{}
		}
		f.codes[key][int(res.Code)]++
		if res.Code == 200 {
			f.record(key, phase, phases, us)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
