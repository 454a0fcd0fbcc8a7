package runs

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/coldbench/coldbench/bench/record"
)

// BenchMachine is the machine a run ran on, as go test prints it above its
// benchmarks (goos, goarch and cpu lines).
type BenchMachine struct {
	GOOS, GOARCH, CPU string
}

// LocalMachine returns the BenchMachine of this machine: its GOOS and
// GOARCH, and the CPU model Linux names in /proc/cpuinfo (empty where
// there is none).
func LocalMachine() BenchMachine {
	m := BenchMachine{GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

// WriteBenchFile writes BenchFile in the run folder dir from s, with this
// machine's header.
func WriteBenchFile(dir string, s *Summary) error {
	var b bytes.Buffer
	if err := WriteBench(&b, s, LocalMachine()); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, BenchFile), b.Bytes(), 0o644)
}

// WriteBench writes s to w in Go's benchmark format, so that benchstat
// compares runs as it compares go test -bench outputs:
//
//	go tool benchstat old/bench.txt new/bench.txt
//
// The header holds the machine m and the run's configuration (scenario,
// runtime, interrupted). Then, for every target, sorted by name, one line
// per class over the whole run, BenchmarkSmall-fn/class=warm, and one per
// phase that sent requests, BenchmarkSmall-fn/phase=burst/class=all (see
// benchNames for the names). The iteration count is the requests of the
// class; the values are the mean latency of its successful responses as
// ns/op, their percentiles as p50-ns ... max-ns, the same corrected for
// coordinated omission as p50-corrected-ns ..., less host wait (where it
// was measured, record.Stats.Net) as p50-net-ns ..., the share of requests that
// failed as errors/op and, on the class=all lines of a target that tells
// cold starts apart (its summary has a cold class), the cold starts as
// cold-starts.
//
// Latencies are in ns because benchstat knows ns: it reads p99-ns as
// p99-sec and prints 1.234m (ms) or 56.7µ, where µs would be an unknown
// unit printed as 1.234k p99-µs. One run is one sample; benchstat needs
// several per benchmark for a confidence interval and a p-value, so
// concatenate the bench.txt of several runs of each side, as go test
// -count does:
//
//	cat old-*/bench.txt > old.txt; cat new-*/bench.txt > new.txt
//	go tool benchstat old.txt new.txt
func WriteBench(w io.Writer, s *Summary, m BenchMachine) error {
	bw := bufio.NewWriter(w)
	for _, kv := range [][2]string{
		{"goos", m.GOOS}, {"goarch", m.GOARCH}, {"cpu", m.CPU},
		{"scenario", s.Scenario}, {"runtime", s.Runtime}, {"interrupted", strconv.FormatBool(s.Interrupted)},
	} {
		// An empty value is written too: it clears the key a file
		// concatenated before this one set.
		fmt.Fprintf(bw, "%s: %s\n", kv[0], oneLine(kv[1]))
	}
	names := benchNames(slices.Sorted(maps.Keys(s.Targets)))
	for _, name := range slices.Sorted(maps.Keys(s.Targets)) {
		t := s.Targets[name]
		bench := "Benchmark" + names[name]
		_, split := t.Classes[record.Cold] // it tells cold starts apart
		for _, c := range record.SortClasses(slices.Collect(maps.Keys(t.Classes))) {
			st := t.Classes[c]
			if st.Requests == 0 {
				continue
			}
			cold := -1
			if split && c == record.All {
				cold = t.ColdStarts
			}
			benchLine(bw, bench+"/class="+benchPart(string(c)), st, cold)
		}
		for _, p := range t.Phases {
			st, ok := p.Classes[record.All]
			if !ok || st.Requests == 0 {
				continue
			}
			cold := -1
			if split {
				cold = int(p.Classes[record.Cold].Requests)
			}
			benchLine(bw, bench+"/phase="+benchPart(p.Name)+"/class=all", st, cold)
		}
	}
	return bw.Flush()
}

// benchNames returns the benchmark name of each target of names, without
// the Benchmark prefix: the target's name with its first letter
// upper-cased, as Go's benchmarks are named (small-fn is Small-fn, server
// Server); targets whose names would then clash (small-fn and Small-fn)
// keep their names as they are, which are unique. Characters benchfmt
// reads as separators (spaces, / and =) become _, though a target's name
// has none (scenario.checkName). A name may end in -<digits> (fn-2), which
// benchfmt would read as GOMAXPROCS at the end of a benchmark's name; it
// never is at the end: /class=<class> always follows.
func benchNames(names []string) map[string]string {
	out := make(map[string]string, len(names))
	uses := map[string]int{}
	for _, n := range names {
		uses[benchPart(title(n))]++
	}
	for _, n := range names {
		out[n] = benchPart(title(n))
		if uses[out[n]] > 1 {
			out[n] = benchPart(n)
		}
	}
	return out
}

// benchLine writes the line of one class: cold is its cold starts, or
// negative to leave them out.
func benchLine(w io.Writer, name string, st record.Stats, cold int) {
	fmt.Fprintf(w, "%s\t%d", name, st.Requests)
	if st.OK > 0 {
		fmt.Fprintf(w, "\t%s ns/op", strconv.FormatFloat(st.Mean*1e3, 'f', 0, 64))
		latencyValues(w, st.Latency, "")
		if st.Corrected != nil {
			latencyValues(w, *st.Corrected, "-corrected")
		}
		if st.Net != nil {
			latencyValues(w, *st.Net, "-net")
		}
	}
	rate := float64(st.Errors) / float64(st.Requests)
	fmt.Fprintf(w, "\t%s errors/op", strconv.FormatFloat(rate, 'g', 6, 64))
	if cold >= 0 {
		fmt.Fprintf(w, "\t%d cold-starts", cold)
	}
	fmt.Fprintln(w)
}

// latencyValues writes the percentiles of l in ns, their units suffixed.
func latencyValues(w io.Writer, l record.Latency, suffix string) {
	for _, v := range []struct {
		name string
		us   int64
	}{{"p50", l.P50}, {"p90", l.P90}, {"p99", l.P99}, {"p99.9", l.P999}, {"max", l.Max}} {
		fmt.Fprintf(w, "\t%d %s%s-ns", v.us*1000, v.name, suffix)
	}
}

// benchPart makes s fit in a benchmark name: no spaces, and no / or =,
// which separate a name's parts and keys.
func benchPart(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '/' || r == '=' {
			return '_'
		}
		return r
	}, s)
}

// title returns s with its first letter upper-cased: server → Server.
func title(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

// oneLine keeps a header value on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
