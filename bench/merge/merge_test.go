package merge

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// threeRuns writes the run folders of three generators that ran together,
// each a third of the rate, their schedules a few ms apart, and loads them.
func threeRuns(t *testing.T) ([]*runs.Run, *fed) {
	t.Helper()
	reports, f := t.TempDir(), newFed()
	var rs []*runs.Run
	for i, skew := range []time.Duration{0, 40 * time.Millisecond, 1090 * time.Millisecond} {
		dir := writeRun(t, reports, gen{id: "gen-" + string(rune('0'+i)), started: t0.Add(skew), seed: uint64(i + 1), scale: 0.333}, f)
		r, err := runs.Load(dir)
		must(t, err)
		rs = append(rs, r)
	}
	return rs, f
}

// count is the number of values in h, 0 if h is nil.
func count(h *hdrhistogram.Histogram) int64 {
	if h == nil {
		return 0
	}
	return h.TotalCount()
}

// sameHist fails unless got and want hold the same values.
func sameHist(t *testing.T, what string, got, want *hdrhistogram.Histogram) {
	t.Helper()
	if want == nil {
		want = record.NewHistogram()
	}
	if got.TotalCount() != want.TotalCount() || got.Max() != want.Max() || got.Min() != want.Min() || got.Mean() != want.Mean() {
		t.Errorf("%s: count %d max %d min %d mean %g, want %d %d %d %g", what,
			got.TotalCount(), got.Max(), got.Min(), got.Mean(), want.TotalCount(), want.Max(), want.Min(), want.Mean())
		return
	}
	for _, q := range []float64{50, 90, 99, 99.9, 99.99} {
		if g, w := got.ValueAtQuantile(q), want.ValueAtQuantile(q); g != w {
			t.Errorf("%s: p%g = %d, want %d", what, q, g, w)
		}
	}
}

func TestMerge(t *testing.T) {
	rs, f := threeRuns(t)
	m, err := Merge(rs, Options{})
	must(t, err)

	if len(m.Targets) != 2 || m.Targets[0].Name != "server" || m.Targets[1].Name != "lambda" {
		t.Fatalf("targets %v, want server then lambda (the order their schedules began)", m.Targets)
	}
	var results int64
	for _, tg := range m.Targets {
		for c, s := range tg.Classes {
			key := tg.Name + "/" + string(c)
			sameHist(t, key, s.Histogram, f.hist[key])
			sameHist(t, key+"/corrected", s.Corrected, f.hist[key]) // sent on time: corrected = latency
			if s.Counts.Requests != f.requests[key] {
				t.Errorf("%s: %d requests, want %d", key, s.Counts.Requests, f.requests[key])
			}
			for code, n := range f.codes[key] {
				if s.Counts.Codes[code] != n {
					t.Errorf("%s: %d responses %d, want %d", key, s.Counts.Codes[code], code, n)
				}
			}
			if got := m.Summary.Targets[tg.Name].Classes[c]; got.Requests != f.requests[key] || got.OK != count(f.hist[key]) {
				t.Errorf("summary %s: %d requests, %d ok; want %d, %d", key, got.Requests, got.OK, f.requests[key], count(f.hist[key]))
			}
		}
		results += tg.Classes[record.All].Counts.Requests
		if len(tg.Phases) != len(testPhases) {
			t.Fatalf("%s: %d phases, want %d", tg.Name, len(tg.Phases), len(testPhases))
		}
		for i, p := range tg.Phases {
			for c, s := range p.Classes {
				key := tg.Name + "/" + string(c)
				var want *hdrhistogram.Histogram
				if f.phase[key] != nil {
					want = f.phase[key][i]
				}
				sameHist(t, key+" phase "+p.Name, s.Histogram, want)
			}
		}
		if len(tg.Points) == 0 || len(tg.ColdStarts) != 0 || len(tg.Timeline) != 0 {
			t.Errorf("%s: %d points, %d cold starts, %d events; want points only", tg.Name, len(tg.Points), len(tg.ColdStarts), len(tg.Timeline))
		}
	}
	if results != f.results {
		t.Errorf("%d requests merged, %d sent", results, f.results)
	}

	// The intervals sum to the whole run and are whole seconds from the
	// earliest start of schedule.
	sums := map[string]*hdrhistogram.Histogram{}
	for _, h := range m.Intervals {
		if sums[h.Tag()] == nil {
			sums[h.Tag()] = record.NewHistogram()
		}
		sums[h.Tag()].Merge(h)
	}
	for _, tg := range m.Targets {
		sameHist(t, "intervals of "+tg.Name+"/all", sums[tg.Name+"/all"], f.hist[tg.Name+"/all"])
		for _, h := range m.Intervals {
			if strings.HasPrefix(h.Tag(), tg.Name+"/") && (h.StartTimeMs()-tg.Began.UnixMilli())%1000 != 0 {
				t.Errorf("interval %s at %d is not whole seconds from %s's start %d", h.Tag(), h.StartTimeMs(), tg.Name, tg.Began.UnixMilli())
			}
		}
	}
	lam := m.Targets[1]
	sameHist(t, "anatomy total", lam.Anatomy.Total, f.hist["lambda/cold"])
	if n := lam.Anatomy.Parts[record.Platform].TotalCount(); n != f.hist["lambda/cold"].TotalCount() {
		t.Errorf("anatomy: %d platform parts, want one per cold start, %d", n, f.hist["lambda/cold"].TotalCount())
	}
	if n := lam.Queue.TotalCount(); n != f.hist["lambda/warm"].TotalCount()+f.hist["lambda/cold"].TotalCount() {
		t.Errorf("queue: %d waits, want one per relayed request", n)
	}

	s := m.Summary
	p := s.Targets["lambda"].Counters
	started, _ := p.Get("started")
	throttled, _ := p.Get("throttled")
	peak, _ := p.Get("peak_live")
	if _, snapshot := p.Get("live"); started != 9 || throttled != 6 || peak != 9 || snapshot {
		t.Errorf("counters %+v, want the sums, and no snapshot", p)
	}
	if s.RateScale < 0.998 || s.RateScale > 1 || !s.Started.Equal(t0) || s.Scenario != "synthetic" {
		t.Errorf("summary: scale %g, started %v, scenario %q", s.RateScale, s.Started, s.Scenario)
	}
	notes := strings.Join(s.Notes, "\n")
	for _, want := range []string{"gen-0, gen-1, gen-2", "3 shards", "\nshared note", "gen-1: note of gen-1", "up to 1.09s apart", "0.999 times"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}

	// The run folder: readable back, and itself a consistent run.
	dir := filepath.Join(t.TempDir(), "merged")
	must(t, m.Write(context.Background(), dir))
	back, err := runs.Load(dir)
	must(t, err)
	sameHist(t, "merged hlog lambda/all", back.Total("lambda/all"), f.hist["lambda/all"])
	if _, err := Merge([]*runs.Run{back}, Options{}); err != nil {
		t.Errorf("the merged run folder is not consistent: %v", err)
	}
	n, err := Results(context.Background(), io.Discard, []string{dir})
	if err != nil || n != f.results {
		t.Errorf("merged results.bin: %d results (%v), want %d", n, err, f.results)
	}
	if fi, err := os.Stat(filepath.Join(dir, runs.ReportFile)); err != nil || fi.Size() == 0 {
		t.Errorf("report: %v", err)
	}
	if err := m.Write(context.Background(), dir); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("writing over a run folder: %v, want an error", err)
	}
}

// TestMergeRejects checks that runs that cannot be merged are refused with
// a message that says what is wrong and where.
func TestMergeRejects(t *testing.T) {
	other := []scenario.Phase{testPhases[0], {Name: "gap", Duration: 2 * time.Second, Shape: scenario.Idle}, testPhases[2]}
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, reports string, rs []*runs.Run) []*runs.Run
		want   []string
	}{
		{"another scenario", func(t *testing.T, _ string, rs []*runs.Run) []*runs.Run {
			rs[1].Summary.Scenario = "default"
			return rs
		}, []string{`gen-1 ran "default"`, `gen-0 ran scenario "synthetic"`}},
		{"other phases", func(t *testing.T, reports string, rs []*runs.Run) []*runs.Run {
			r, err := runs.Load(writeRun(t, reports, gen{id: "odd", started: t0, seed: 9, phases: other}, newFed()))
			must(t, err)
			return append(rs, r)
		}, []string{"different phases for lambda", "phase 2 is gap 2s–3s against gap 2s–4s"}},
		{"not at the same time", func(t *testing.T, reports string, rs []*runs.Run) []*runs.Run {
			r, err := runs.Load(writeRun(t, reports, gen{id: "late", started: t0.Add(time.Hour), seed: 9}, newFed()))
			must(t, err)
			return append(rs, r)
		}, []string{"did not run at the same time", "before", "late started at 2026-03-01 13:00:00.000 UTC"}},
		{"no phases.hlog", func(t *testing.T, _ string, rs []*runs.Run) []*runs.Run {
			rs[2].Phases = nil
			return rs
		}, []string{"gen-2 has no phases.hlog", "run the generator again"}},
		{"misaligned interval", func(t *testing.T, _ string, rs []*runs.Run) []*runs.Run {
			h := rs[1].Intervals["server/all"][1]
			h.SetStartTimeMs(h.StartTimeMs() + 500)
			h.SetEndTimeMs(h.EndTimeMs() + 500)
			return rs
		}, []string{"gen-1: histograms.hlog", "server/all", "not a whole number of 1s intervals"}},
		{"other interval length", func(t *testing.T, _ string, rs []*runs.Run) []*runs.Run {
			h := rs[0].Intervals["lambda/warm"][0]
			h.SetEndTimeMs(h.StartTimeMs() + 5000)
			return rs
		}, []string{"gen-0: histograms.hlog", "lambda/warm", "lasts 5s, not 1s"}},
		{"interval missing", func(t *testing.T, _ string, rs []*runs.Run) []*runs.Run {
			rs[0].Intervals["lambda/all"] = rs[0].Intervals["lambda/all"][1:]
			return rs
		}, []string{"gen-0: histograms.hlog holds", "successful lambda/all responses", "incomplete"}},
		{"phase missing", func(t *testing.T, _ string, rs []*runs.Run) []*runs.Run {
			rs[2].Phases["server/all"] = rs[2].Phases["server/all"][:2]
			return rs
		}, []string{"gen-2: phases.hlog holds 2 phases tagged server/all, summary.json has 3"}},
		{"nothing", func(*testing.T, string, []*runs.Run) []*runs.Run { return nil }, []string{"no run folder"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs, _ := threeRuns(t)
			rs = tc.change(t, filepath.Dir(rs[0].Dir), rs)
			_, err := Merge(rs, Options{})
			var mismatch *MismatchError
			if !errors.As(err, &mismatch) {
				t.Fatalf("Merge: %v, want a *MismatchError", err)
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q:\n%v", want, err)
				}
			}
		})
	}
}
