package merge

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/perf/benchfmt"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
)

// fourTargets are two servers and two Lambda functions, in an order that is
// neither by name nor by kind.
func fourTargets() []scenario.Target {
	return []scenario.Target{
		target("api-small", serverKind), target("small-fn", lambdaKind),
		target("big-fn", lambdaKind), target("api-big", serverKind),
	}
}

// TestMergeTargets merges two generators' runs of four targets: each
// target is merged by name, keeps its kind, its runtime and the sums of its
// platform's counters, the merged run has them in the generators' order,
// and its run folder is complete, bench.txt included, without the
// functions' folders, which its notes name.
func TestMergeTargets(t *testing.T) {
	reports, f := t.TempDir(), newFed()
	var rs []*runs.Run
	for i, skew := range []time.Duration{0, 30 * time.Millisecond} {
		dir := writeRun(t, reports, gen{id: "gen-" + string(rune('0'+i)), started: t0.Add(skew), seed: uint64(i + 1), scale: 0.5, targets: fourTargets()}, f)
		r, err := runs.Load(dir)
		must(t, err)
		rs = append(rs, r)
	}
	m, err := Merge(rs, Options{})
	must(t, err)

	var names []string
	for _, tg := range m.Targets {
		names = append(names, tg.Name)
	}
	want := []string{"api-small", "small-fn", "big-fn", "api-big"}
	if !slices.Equal(names, want) {
		t.Fatalf("targets %v, want the generators' order %v", names, want)
	}
	for _, tg := range m.Targets {
		lambda := strings.HasSuffix(tg.Name, "-fn")
		ts := m.Summary.Targets[tg.Name]
		if wantKind := map[bool]string{true: "lambda", false: "server"}[lambda]; tg.Kind != wantKind || ts.Kind != wantKind {
			t.Errorf("%s: kind %q, summary %q; want %q", tg.Name, tg.Kind, ts.Kind, wantKind)
		}
		if lambda != (ts.Runtime == "process") {
			t.Errorf("%s: runtime %q", tg.Name, ts.Runtime)
		}
		p := ts.Counters
		started, _ := p.Get("started")
		throttled, _ := p.Get("throttled")
		peak, _ := p.Get("peak_live")
		if lambda != (p != nil) || lambda && (started != 6 || throttled != 4 || peak != 6) {
			t.Errorf("%s: counters %+v, want the sums of a function's, none for a server", tg.Name, p)
		}
		if _, cold := ts.Classes[record.Cold]; cold != lambda {
			t.Errorf("%s: cold class %v", tg.Name, cold)
		}
		for c, s := range tg.Classes {
			key := tg.Name + "/" + string(c)
			sameHist(t, key, s.Histogram, f.hist[key])
			if s.Counts.Requests != f.requests[key] {
				t.Errorf("%s: %d requests, want %d", key, s.Counts.Requests, f.requests[key])
			}
		}
	}
	notes := strings.Join(m.Summary.Notes, "\n")
	if want := "The folders of small-fn, big-fn (environments.csv, function.log, invocations.csv) stay in each generator's run folder"; !strings.Contains(notes, want) {
		t.Errorf("notes lack %q:\n%s", want, notes)
	}

	dir := filepath.Join(t.TempDir(), "merged")
	must(t, m.Write(context.Background(), dir))
	entries, err := os.ReadDir(dir)
	must(t, err)
	var files []string
	for _, e := range entries {
		files = append(files, e.Name())
	}
	wantFiles := []string{runs.BenchFile, runs.HistogramsFile, runs.ReportFile, runs.PhasesFile, runs.ResultsFile, runs.SummaryFile}
	slices.Sort(wantFiles)
	if !slices.Equal(files, wantFiles) {
		t.Errorf("merged run folder holds %v, want %v", files, wantFiles)
	}
	back, err := runs.Load(dir)
	must(t, err)
	if !slices.Equal(back.Targets, want) {
		t.Errorf("merged run folder's targets %v, want %v", back.Targets, want)
	}
	if _, err := Merge([]*runs.Run{back}, Options{}); err != nil {
		t.Errorf("the merged run folder is not consistent: %v", err)
	}

	// bench.txt: every target's classes, read back by benchfmt, cold
	// starts on the functions' lines.
	b, err := os.ReadFile(filepath.Join(dir, runs.BenchFile))
	must(t, err)
	got := map[string]bool{}
	r := benchfmt.NewReader(bytes.NewReader(b), runs.BenchFile)
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			t.Fatalf("bench.txt: %v", r.Result())
		}
		if strings.Contains(res.Name.String(), "/phase=") {
			continue
		}
		_, cold := res.Value("cold-starts")
		if fn := strings.Contains(res.Name.String(), "-fn/"); fn && strings.HasSuffix(res.Name.String(), "/class=all") != cold {
			t.Errorf("bench.txt %s: cold-starts %v", res.Name, cold)
		}
		got[res.Name.String()] = true
	}
	must(t, r.Err())
	for _, name := range []string{"Api-small/class=all", "Small-fn/class=all", "Small-fn/class=cold", "Small-fn/class=warm", "Big-fn/class=all", "Big-fn/class=warm", "Api-big/class=all"} {
		if !got[name] {
			t.Errorf("bench.txt lacks %s: %v", name, got)
		}
	}
}

// TestMergeKinds refuses to merge generators that ran a target of one name
// as another kind.
func TestMergeKinds(t *testing.T) {
	reports := t.TempDir()
	other := fourTargets()
	other[1].Kind = serverKind
	var rs []*runs.Run
	for i, ts := range [][]scenario.Target{fourTargets(), other} {
		r, err := runs.Load(writeRun(t, reports, gen{id: "gen-" + string(rune('0'+i)), started: t0, seed: 1, targets: ts}, newFed()))
		must(t, err)
		rs = append(rs, r)
	}
	_, err := Merge(rs, Options{})
	if err == nil || !strings.Contains(err.Error(), "recorded small-fn as a lambda") || !strings.Contains(err.Error(), "gen-1 as a server") {
		t.Errorf("Merge: %v, want the kinds named", err)
	}
}
