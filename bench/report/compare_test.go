package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/bench/compare"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
)

// comparedRun returns a run of 30 one-second intervals with latencies
// known in advance, times slow:
//
//   - server/all: 400 a second, 1000..1399 µs, one second in ten 30% slower,
//     and server/all/corrected 100 µs more;
//   - lambda/warm: 300 a second, 2000..3497 µs, and lambda/all with them;
//   - lambda/cold: 2 a second in the first 10 seconds, 150..169 ms.
func comparedRun(id string, started time.Time, slow float64) *runs.Run {
	iv := map[string][]*hdrhistogram.Histogram{}
	add := func(tag string, at int, h *hdrhistogram.Histogram) {
		if h.TotalCount() == 0 {
			return
		}
		h.SetTag(tag)
		h.SetStartTimeMs(started.Add(time.Duration(at) * time.Second).UnixMilli())
		h.SetEndTimeMs(started.Add(time.Duration(at+1) * time.Second).UnixMilli())
		iv[tag] = append(iv[tag], h)
	}
	for s := range 30 {
		hiccup := 1.0
		if s%10 == 7 {
			hiccup = 1.3
		}
		server, warm, cold, all := record.NewHistogram(), record.NewHistogram(), record.NewHistogram(), record.NewHistogram()
		corrected := record.NewHistogram()
		for i := range 400 {
			v := int64(slow * hiccup * float64(1000+(i*7+s)%400))
			server.RecordValue(v)
			corrected.RecordValue(v + 100)
		}
		for i := range 300 {
			warm.RecordValue(int64(slow * hiccup * float64(2000+(i*5+s)%300*5)))
		}
		if s < 10 {
			for j := range 2 {
				cold.RecordValue(int64(slow * float64(150_000+(s*2+j)*1000)))
			}
		}
		all.Merge(warm)
		all.Merge(cold)
		add("server/all", s, server)
		add("server/all/corrected", s, corrected)
		add("lambda/warm", s, warm)
		add("lambda/cold", s, cold)
		add("lambda/all", s, all)
	}
	return &runs.Run{
		Dir: "reports/" + id,
		Summary: &runs.Summary{
			RunID: id, Scenario: "steady", Started: started, Runtime: "process",
			Machine: "linux/amd64, 2 CPUs, go1.26.8", WorkRate: 1000,
		},
		Intervals: iv,
		Targets:   []string{"server", "lambda"}, // the order a run of them has
	}
}

// syntheticComparison compares a run with one 25% slower. It is
// deterministic: the bootstrap's seed is fixed.
func syntheticComparison(t testing.TB) *compare.Comparison {
	t.Helper()
	day := time.Date(2026, 3, 14, 2, 0, 0, 0, time.UTC)
	base := comparedRun("20260314-020000-steady", day, 1)
	next := comparedRun("20260315-020000-steady", day.Add(24*time.Hour), 1.25)
	c, err := compare.Compare(base, next, compare.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c.Base.Link, c.New.Link = "../20260314-020000-steady/index.html", "index.html"
	return c
}

func renderComparison(t *testing.T, c *compare.Comparison) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteComparison(&buf, c); err != nil {
		t.Fatalf("WriteComparison: %v", err)
	}
	return buf.String()
}

func TestWriteComparison(t *testing.T) {
	out := renderComparison(t, syntheticComparison(t))
	for _, want := range []string{
		"<h1>coldbench compare: 20260315-020000-steady against 20260314-020000-steady</h1>",
		`<a href="../20260314-020000-steady/index.html">20260314-020000-steady</a>`,
		// html/template writes + as &#43;.
		`<div class="verdict failed">Gate failed (p99 at most 10% worse): lambda/warm p99 &#43;25.0% (CI &#43;0.4% … &#43;55.7%).</div>`,
		// The server's p50, 25% slower, significant.
		`<tr class="worse target"><td class="l">server/all</td><td>12000 → 12000</td><td class="l">p50</td><td>1.22</td><td>1.53</td><td class="change">&#43;25.0%</td><td>&#43;20.8% … &#43;29.4%</td>`,
		// Its p99 is as much slower, but 3 seconds in 30 set it: not
		// significant.
		`<td class="l">p99</td><td>1.77</td><td>2.21</td><td class="change">~</td><td>-1.3% … &#43;58.4%</td>`,
		// 20 cold starts: their p99 is the top value, not tested.
		"the top value of 20: not tested",
		"<h3>lambda/cold</h3>", "base 20260314-020000-steady (n=12000)", "new, corrected (n=12000)",
		`<td class="l">server/all/corrected</td>`, "coordinated omission",
		"How the changes are tested",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(out, "<svg"); n != 4 {
		t.Errorf("page has %d charts, want 4: one per target and class", n)
	}
	selfContained(t, out)
}

func TestComparisonEdgeCases(t *testing.T) {
	day := time.Date(2026, 3, 14, 2, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		change func(base, next *runs.Run)
		want   []string
	}{
		{"same", func(base, next *runs.Run) { *next = *comparedRun("b", day, 1) }, []string{
			`<div class="verdict passed">Gate passed (p99 at most 10% worse): server/all, server/all/corrected, lambda/all, lambda/warm.`,
			`<td class="change">~</td>`,
		}},
		{"no lambda in new", func(base, next *runs.Run) {
			for _, tag := range []string{"lambda/all", "lambda/warm", "lambda/cold"} {
				delete(next.Intervals, tag)
			}
		}, []string{"Target lambda is in the base run only: it is not compared."}},
		{"no lambda/cold in new", func(base, next *runs.Run) { delete(next.Intervals, "lambda/cold") },
			[]string{"Not tested: no lambda/cold values in the new run.", "<td>20 → 0</td>"}},
		{"nothing", func(base, next *runs.Run) { base.Intervals, next.Intervals = nil, nil }, []string{
			"Neither run has successful responses to plot.", `<div class="verdict idle">Gate not applied`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base, next := comparedRun("a", day, 1), comparedRun("b", day, 1.25)
			tc.change(base, next)
			c, err := compare.Compare(base, next, compare.Options{})
			if err != nil {
				t.Fatal(err)
			}
			out := renderComparison(t, c)
			for _, want := range tc.want {
				if !strings.Contains(out, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			selfContained(t, out)
		})
	}
}

func TestComparisonGolden(t *testing.T) {
	goldenPage(t, "compare.golden.html", renderComparison(t, syntheticComparison(t)))
}

// goldenPage compares out with the file name in testdata, which go test
// -update rewrites.
func goldenPage(t *testing.T, name, out string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if out != string(want) {
		t.Errorf("page differs from %s; run go test -update and review the diff", path)
	}
}
