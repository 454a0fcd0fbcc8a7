package harness_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"
	"golang.org/x/perf/benchfmt"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
)

// checkInterop checks that the files of the run folder dir, whose summary
// is sum, read back with the tools they are made for and agree with sum:
// histograms.hlog with hdrhistogram-go's log reader, results.bin with
// vegeta's decoder and its report command, bench.txt with benchfmt.
func checkInterop(t *testing.T, dir string, sum *runs.Summary) {
	t.Helper()
	results := decodeResults(t, filepath.Join(dir, runs.ResultsFile))
	checkIntervalLog(t, filepath.Join(dir, runs.HistogramsFile), sum, results)
	checkVegetaReport(t, filepath.Join(dir, runs.ResultsFile), sum)
	checkBenchFile(t, filepath.Join(dir, runs.BenchFile), sum)
}

// boundarySlack is how far from an interval's boundary a response may end
// and still be counted on either side: the log keeps times in ms and its
// reader converts them through float seconds, which may lose one more.
const boundarySlack = 2 * time.Millisecond

// checkIntervalLog reads the interval log at path with hdrhistogram-go's
// reader and checks its headers, tags, times and counts against sum and
// the results of the run.
func checkIntervalLog(t *testing.T, path string, sum *runs.Summary, results []vegeta.Result) {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// #[StartTime] and #[BaseTime]: the run's start, in whole seconds
	// (the writer keeps no more); the reader takes interval times as
	// offsets from BaseTime.
	for _, header := range []string{"StartTime", "BaseTime"} {
		m := regexp.MustCompile(`(?m)^#\[` + header + `: ([\d.]+) `).FindSubmatch(text)
		if m == nil {
			t.Errorf("hlog: no #[%s] header", header)
			continue
		}
		if sec, _ := strconv.ParseFloat(string(m[1]), 64); int64(sec) != sum.Started.Unix() {
			t.Errorf("hlog #[%s: %s], want the run's start %d", header, m[1], sum.Started.Unix())
		}
	}

	byTag := map[string][]*hdrhistogram.Histogram{}
	r := hdrhistogram.NewHistogramLogReader(bytes.NewReader(text))
	for {
		h, err := r.NextIntervalHistogram()
		if err != nil {
			t.Fatalf("reading %s: %v", path, err)
		}
		if h == nil {
			break
		}
		byTag[h.Tag()] = append(byTag[h.Tag()], h)
	}

	// Tags and counts: every class with successes has its tag and its
	// corrected tag, whose intervals add up to the summary's histogram,
	// counts and percentiles alike.
	want := map[string]bool{}
	for name, ts := range sum.Targets {
		if ts.Anatomy != nil { // the cold-start parts and the router's waits
			for _, tag := range []string{"sandbox", "platform", "init", "queue"} {
				want[name+"/"+tag] = true
			}
		}
		// The generator's lag: every scheduled request's, in
		// <target>/lag, which adds up to the summary's.
		if ts.Lag != nil {
			want[name+"/lag"] = true
			total := record.NewHistogram()
			for _, h := range byTag[name+"/lag"] {
				total.Merge(h)
			}
			if total.TotalCount() != ts.Lag.Count || total.ValueAtQuantile(50) != ts.Lag.P50 {
				t.Errorf("hlog %s/lag: %d values, p50 %d; summary says %+v", name, total.TotalCount(), total.ValueAtQuantile(50), *ts.Lag)
			}
		}
		for class, st := range ts.Classes {
			tag := name + "/" + string(class)
			if st.OK == 0 {
				continue
			}
			want[tag], want[tag+"/corrected"] = true, true
			views := []struct {
				tag  string
				want record.Latency
			}{{tag, st.Latency}, {tag + "/corrected", *st.Corrected}}
			if st.Net != nil {
				want[tag+"/net"] = true
				views = append(views, struct {
					tag  string
					want record.Latency
				}{tag + "/net", *st.Net})
			}
			for _, tc := range views {
				total := record.NewHistogram()
				for _, h := range byTag[tc.tag] {
					total.Merge(h)
				}
				if total.TotalCount() != st.OK {
					t.Errorf("hlog %s: %d values over its intervals, summary says %d ok", tc.tag, total.TotalCount(), st.OK)
				} else if got := record.LatencyOf(total); got != tc.want {
					t.Errorf("hlog %s: intervals merged give %+v, summary says %+v", tc.tag, got, tc.want)
				}
			}
		}
	}
	var intervals int
	for tag, hs := range byTag {
		intervals += len(hs)
		if !want[tag] {
			t.Errorf("hlog: unexpected tag %q", tag)
		}
	}

	// Times: every interval is a second long, starts inside the run, and
	// holds the successes of its target that ended within it.
	for name := range sum.Targets {
		var ends []time.Time
		for _, res := range results {
			if strings.HasPrefix(res.Attack, name+"/") && res.Error == "" && res.Code/100 == 2 {
				ends = append(ends, res.End())
			}
		}
		for _, h := range byTag[name+"/all"] {
			start, end := time.UnixMilli(h.StartTimeMs()), time.UnixMilli(h.EndTimeMs())
			if d := end.Sub(start); d < time.Second-time.Millisecond || d > time.Second+time.Millisecond {
				t.Errorf("hlog %s interval at %v lasts %v, want 1s", h.Tag(), start, d)
			}
			if start.Before(sum.Started.Truncate(time.Millisecond)) || start.After(sum.Ended) {
				t.Errorf("hlog %s interval at %v: outside the run (%v to %v)", h.Tag(), start, sum.Started, sum.Ended)
			}
			surely, maybe := 0, 0
			for _, e := range ends {
				if !e.Before(start.Add(boundarySlack)) && e.Before(end.Add(-boundarySlack)) {
					surely++
				}
				if !e.Before(start.Add(-boundarySlack)) && e.Before(end.Add(boundarySlack)) {
					maybe++
				}
			}
			if n := int(h.TotalCount()); n < surely || n > maybe {
				t.Errorf("hlog %s interval at %v holds %d values; %d to %d successes ended within it", h.Tag(), start.UTC(), n, surely, maybe)
			}
		}
	}
	t.Logf("hlog: %d tags, %d intervals read back", len(byTag), intervals)
}

// checkVegetaReport runs vegeta's own report on results.bin and checks that
// it counts every request of the run.
func checkVegetaReport(t *testing.T, path string, sum *runs.Summary) {
	t.Helper()
	var want int64
	for _, ts := range sum.Targets {
		want += ts.Classes[record.All].Requests
	}
	cmd := exec.Command("go", "tool", "vegeta", "report", "-type=json", path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go tool vegeta report: %v\n%s", err, stderr.String())
	}
	var m struct {
		Requests uint64 `json:"requests"`
	}
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("go tool vegeta report -type=json: %v\n%s", err, out)
	}
	if int64(m.Requests) != want {
		t.Errorf("vegeta report counts %d requests, summary.json %d", m.Requests, want)
	}
	t.Logf("vegeta report: %d requests", m.Requests)
}

// checkBenchFile reads bench.txt with benchfmt, as benchstat does, and
// checks that its whole-run lines count the summary's requests.
func checkBenchFile(t *testing.T, path string, sum *runs.Summary) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if b, err := os.ReadFile(path); err == nil {
		t.Logf("%s:\n%s", runs.BenchFile, b)
	}
	want := map[string]int64{}
	for name, ts := range sum.Targets {
		for class, st := range ts.Classes {
			if st.Requests > 0 {
				want[strings.ToUpper(name[:1])+name[1:]+"/class="+string(class)] = st.Requests
			}
		}
	}
	r := benchfmt.NewReader(bufio.NewReader(f), path)
	for r.Scan() {
		switch rec := r.Result().(type) {
		case *benchfmt.SyntaxError:
			t.Errorf("%s: %v", runs.BenchFile, rec)
		case *benchfmt.Result:
			name := string(rec.Name.Full())
			if n, ok := want[name]; ok {
				if int64(rec.Iters) != n {
					t.Errorf("%s %s: %d iterations, summary says %d requests", runs.BenchFile, name, rec.Iters, n)
				}
				delete(want, name)
			}
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	for name := range want {
		t.Errorf("%s: no line for %s", runs.BenchFile, name)
	}
}

// decodeResults reads every result of results.bin with vegeta's decoder.
func decodeResults(t *testing.T, path string) []vegeta.Result {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := vegeta.NewDecoder(bufio.NewReader(f))
	var out []vegeta.Result
	for {
		var r vegeta.Result
		if err := dec.Decode(&r); err == io.EOF {
			return out
		} else if err != nil {
			t.Fatalf("decoding %s after %d results: %v", path, len(out), err)
		}
		out = append(out, r)
	}
}
