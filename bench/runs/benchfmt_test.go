package runs_test

import (
	"bytes"
	"flag"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"golang.org/x/perf/benchfmt"

	"github.com/coldbench/coldbench/bench/kinds/lambdakind"
	"github.com/coldbench/coldbench/bench/kinds/serverkind"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// machine is the header of the test files.
var machine = runs.BenchMachine{GOOS: "linux", GOARCH: "amd64", CPU: "Test CPU @ 2.00GHz"}

// benchSummary returns the summary of a made-up run whose latencies are
// scaled by slow: a server and a Lambda function with cold starts and 429s,
// over two phases around an idle gap. seed varies the latencies a little
// from one sample to the next.
func benchSummary(t *testing.T, slow float64, seed int) *runs.Summary {
	t.Helper()
	return benchTargets(t, slow, seed, serverkind.Target("server"), lambdakind.Target("lambda"))
}

// benchTargets is benchSummary with the targets given: a Lambda function's
// requests have cold starts and 429s, a server's do not.
func benchTargets(t *testing.T, slow float64, seed int, targets ...scenario.Target) *runs.Summary {
	t.Helper()
	phases := []scenario.Phase{
		{Name: "warm-up", Duration: 2 * time.Second, Shape: scenario.Constant, Rate: 100},
		{Name: "gap", Duration: time.Second, Shape: scenario.Idle},
		{Name: "burst", Duration: time.Second, Shape: scenario.Constant, Rate: 200},
	}
	began := time.UnixMilli(1_700_000_000_000)
	s := &runs.Summary{RunID: "test", Scenario: "default", Runtime: "process", Targets: map[string]record.TargetSummary{}}
	for _, target := range targets {
		rec := record.New(target, phases, began, nil)
		for i := range 400 {
			phase, at := 0, time.Duration(i)*5*time.Millisecond
			if i >= 200 {
				phase, at = 2, 3*time.Second+time.Duration(i-200)*5*time.Millisecond
			}
			us := 200 + (i*37+seed*11)%300 // 200-499 µs
			if i%100 == 99 {
				us = 40_000 + i // the tail
			}
			r := &vegeta.Result{Timestamp: began.Add(at), Code: 201, Headers: http.Header{},
				Latency: time.Duration(float64(us)*slow) * time.Microsecond}
			if target.Kind == lambdakind.Name {
				switch {
				case i%50 == 0:
					r.Headers.Set(lambda.HeaderCold, "true")
					r.Latency += 10 * time.Millisecond
				case phase == 2 && i%7 == 0:
					r.Code, r.Error, r.Latency = 429, "429 Too Many Requests", 100*time.Microsecond
				default:
					r.Headers.Set(lambda.HeaderCold, "false")
				}
			}
			rec.Add(phase, r, r.Timestamp.Add(-time.Duration(i%3)*time.Millisecond))
		}
		tg, err := rec.Close()
		if err != nil {
			t.Fatal(err)
		}
		s.Targets[target.Name] = record.SummarizeTarget(tg)
	}
	return s
}

func writeBench(t *testing.T, s *runs.Summary) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := runs.WriteBench(&b, s, machine); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWriteBenchGolden(t *testing.T) {
	got := writeBench(t, benchSummary(t, 1, 0))
	golden := filepath.Join("testdata", "bench.golden.txt")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("WriteBench differs from %s (go test -update rewrites it):\n%s", golden, got)
	}
}

// TestWriteBenchParses reads the format back with benchfmt, the reader
// benchstat uses: every line is a result, every latency unit is scaled to
// seconds, and the configuration is the run's.
func TestWriteBenchParses(t *testing.T) {
	s := benchSummary(t, 1, 0)
	r := benchfmt.NewReader(bytes.NewReader(writeBench(t, s)), "bench.txt")
	var n int
	for r.Scan() {
		switch rec := r.Result().(type) {
		case *benchfmt.SyntaxError:
			t.Errorf("syntax error: %v", rec)
		case *benchfmt.Result:
			n++
			if got := string(rec.GetConfig("scenario")); got != "default" {
				t.Errorf("%s: scenario %q", rec.Name, got)
			}
			for _, v := range rec.Values {
				latency := strings.HasSuffix(v.OrigUnit, "-ns") || v.OrigUnit == "ns/op"
				if latency && !strings.HasSuffix(v.Unit, "sec") && v.Unit != "sec/op" {
					t.Errorf("%s: %s read as %s, want seconds", rec.Name, v.OrigUnit, v.Unit)
				}
			}
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	// server all; lambda all, cold, warm; a phase line each for the
	// two phases that sent requests.
	if want := 1 + 3 + 2*2; n != want {
		t.Errorf("%d results, want %d", n, want)
	}
}

// TestBenchstat runs the real benchstat on two sides of six runs each,
// concatenated as their bench.txt files would be, and checks that it reads
// every unit, scales every latency to seconds and compares every
// benchmark, with a significant difference where the runs differ.
func TestBenchstat(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs benchstat; skipped with -short")
	}
	dir := t.TempDir()
	for side, slow := range map[string]float64{"old": 1, "new": 1.5} {
		var b []byte
		for seed := range 6 {
			b = append(b, writeBench(t, benchSummary(t, slow, seed))...)
		}
		if err := os.WriteFile(filepath.Join(dir, side+".txt"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Run from the package's folder, where go tool finds the module's
	// benchstat.
	cmd := exec.Command("go", "tool", "benchstat", filepath.Join(dir, "old.txt"), filepath.Join(dir, "new.txt"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("benchstat: %v\n%s", err, stderr.String())
	}
	out := stdout.String()
	t.Logf("benchstat old.txt new.txt:\n%s", out)
	if stderr.Len() > 0 {
		t.Errorf("benchstat wrote to stderr:\n%s", stderr.String())
	}
	for _, bad := range []string{"unknown", "parse", "syntax", "-ns"} {
		if strings.Contains(out, bad) {
			t.Errorf("benchstat output mentions %q", bad)
		}
	}
	for _, want := range []string{
		"scenario: default", "runtime: process", "cpu: Test CPU @ 2.00GHz",
		"Server/class=all", "Lambda/class=cold", "Lambda/class=warm", "Lambda/phase=burst/class=all",
		"sec/op", "p99-sec", "p99.9-corrected-sec", "max-sec", "errors/op", "cold-starts",
		"+50.00% (p=0.002 n=6)", // 1.5 times slower, six samples a side
	} {
		if !strings.Contains(out, want) {
			t.Errorf("benchstat output lacks %q", want)
		}
	}
}

// fourTargets are the targets of the runs with several of each kind.
func fourTargets() []scenario.Target {
	return []scenario.Target{
		lambdakind.Target("small-fn"), lambdakind.Target("big-fn"),
		serverkind.Target("api-small"), serverkind.Target("api-big"),
	}
}

// TestWriteBenchTargets writes the bench.txt of a run of two functions
// and two servers: a line per target and class, cold starts on the
// functions' lines only, whatever the targets are called.
func TestWriteBenchTargets(t *testing.T) {
	got := writeBench(t, benchTargets(t, 1, 0, fourTargets()...))
	golden := filepath.Join("testdata", "bench-targets.golden.txt")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("WriteBench differs from %s (go test -update rewrites it):\n%s", golden, got)
	}
	results := parseBench(t, got)
	for _, name := range []string{"Small-fn", "Big-fn", "Api-small", "Api-big"} {
		classes := results[name+"/class=all"]
		if classes == nil {
			t.Fatalf("no %s/class=all in %v", name, results)
		}
		_, cold := classes["cold-starts"]
		if lambda := strings.HasSuffix(name, "-fn"); cold != lambda {
			t.Errorf("%s/class=all: cold-starts %v, want %v (it tells cold starts apart)", name, cold, lambda)
		}
		if _, ok := results[name+"/class=cold"]; ok != strings.HasSuffix(name, "-fn") {
			t.Errorf("%s: class=cold line %v", name, ok)
		}
	}
	if len(results) != 2*(3+2)+2*(1+2) {
		t.Errorf("%d results, want every class and phase of the four targets: %v", len(results), results)
	}
}

// TestBenchNames checks that benchfmt reads the benchmark names of targets
// back as the target's name and its keys: a name ending in -<digits> is not
// taken for GOMAXPROCS, and names that clash once upper-cased stay apart.
func TestBenchNames(t *testing.T) {
	s := benchTargets(t, 1, 0,
		lambdakind.Target("fn-2"), serverkind.Target("api_1"),
		serverkind.Target("edge"), serverkind.Target("Edge"))
	r := benchfmt.NewReader(bytes.NewReader(writeBench(t, s)), "bench.txt")
	bases := map[string]bool{}
	for r.Scan() {
		rec, ok := r.Result().(*benchfmt.Result)
		if !ok {
			t.Fatalf("not a result: %v", r.Result())
		}
		base, parts := rec.Name.Parts()
		bases[string(base)] = true
		last := string(parts[len(parts)-1])
		if !strings.HasPrefix(last, "/class=") {
			t.Errorf("%s: last part %q, want /class=...", rec.Name, last)
		}
		for _, p := range parts {
			if !strings.HasPrefix(string(p), "/") || !strings.Contains(string(p), "=") {
				t.Errorf("%s: part %q is not a /key=value", rec.Name, p)
			}
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"Fn-2": true, "Api_1": true, "edge": true, "Edge": true}
	if len(bases) != len(want) {
		t.Errorf("benchmark names %v, want %v", bases, want)
	}
	for b := range want {
		if !bases[b] {
			t.Errorf("benchmark names %v lack %s", bases, b)
		}
	}
}

// parseBench reads b with benchfmt and returns the units of each result by
// its full name, failing on any syntax error.
func parseBench(t *testing.T, b []byte) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	r := benchfmt.NewReader(bytes.NewReader(b), "bench.txt")
	for r.Scan() {
		switch rec := r.Result().(type) {
		case *benchfmt.SyntaxError:
			t.Errorf("syntax error: %v", rec)
		case *benchfmt.Result:
			units := map[string]bool{}
			for _, v := range rec.Values {
				units[v.Unit] = true
			}
			out[rec.Name.String()] = units
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
