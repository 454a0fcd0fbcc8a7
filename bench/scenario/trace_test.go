package scenario_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/kinds/all"

	"github.com/coldbench/coldbench/bench/scenario"
)

// azureDay returns an Azure invocations file whose rows are the functions
// named, each with count(minute) requests in minute (from 0).
func azureDay(rows map[string]func(minute int) int) string {
	var b strings.Builder
	b.WriteString("HashOwner,HashApp,HashFunction,Trigger")
	for m := 1; m <= 1440; m++ {
		fmt.Fprintf(&b, ",%d", m)
	}
	b.WriteString("\n")
	names := make([]string, 0, len(rows))
	for n := range rows {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintf(&b, "o1,a1,%s,http", n)
		for m := range 1440 {
			fmt.Fprintf(&b, ",%d", rows[n](m))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// parseIn writes files (name to content) into a temporary folder, parses
// its s.yaml, and returns the scenario or the error with the folder cut
// from its paths.
func parseIn(t *testing.T, files map[string]string) (*scenario.Scenario, string) {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := scenario.Load(filepath.Join(dir, "s.yaml"), all.Specs())
	if err != nil {
		return nil, strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
	}
	return s, ""
}

func TestTraceCSV(t *testing.T) {
	s, err := parseIn(t, map[string]string{
		"s.yaml": "phases:\n  - {name: day, shape: trace, file: t.csv, format: csv, from: 1m, to: 4m, speed: 60}\n",
		"t.csv":  "minute,requests\n# a comment\n0,5\n1,7\n3,2\n4,9\n",
	})
	if err != "" {
		t.Fatal(err)
	}
	ph := s.Phases[0]
	tr := ph.Trace
	if tr.Interval != time.Minute || !slices.Equal(tr.Counts, []int{7, 0, 2}) {
		t.Errorf("interval %s counts %v; want 1m [7 0 2] (minutes 1 to 3, minute 2 missing)", tr.Interval, tr.Counts)
	}
	if ph.Duration != 3*time.Second {
		t.Errorf("duration %s; want 3s (3 minutes of trace at speed 60)", ph.Duration)
	}
	if tr.Requests() != 9 || tr.PeakRate() != 7 {
		t.Errorf("requests %d peak %g; want 9 and 7/s (7 a minute at speed 60)", tr.Requests(), tr.PeakRate())
	}
	if got := s.Speed(); got != 60 {
		t.Errorf("Speed() = %g; want 60", got)
	}
}

func TestTraceCSVTime(t *testing.T) {
	s, err := parseIn(t, map[string]string{
		"s.yaml": "phases:\n  - {name: a, shape: trace, file: t.csv, format: csv, interval: 1s, spacing: poisson, seed: 7, duration: 3s}\n",
		"t.csv":  "time,requests\n2019-07-15T00:00:00Z,1\n1563148801,2\n2019-07-15T00:00:02Z,3\n",
	})
	if err != "" {
		t.Fatal(err)
	}
	tr := s.Phases[0].Trace
	if !slices.Equal(tr.Counts, []int{1, 2, 3}) || tr.Spacing != scenario.Poisson || tr.Seed != 7 {
		t.Errorf("got %+v", tr)
	}
}

func TestTraceTimestamps(t *testing.T) {
	s, err := parseIn(t, map[string]string{
		"s.yaml": "phases:\n  - {name: a, shape: trace, file: t.txt, format: timestamps, from: 1s}\n",
		"t.txt":  "1563148800\n\n2019-07-15T00:00:01.5Z\n1563148800.25\n1563148803\n",
	})
	if err != "" {
		t.Fatal(err)
	}
	tr := s.Phases[0].Trace
	want := []time.Duration{500 * time.Millisecond, 2 * time.Second}
	if !slices.Equal(tr.Offsets, want) || s.Phases[0].Duration != 3*time.Second {
		t.Errorf("offsets %v duration %s; want %v and 3s (from 1s to the second after the last, 4s)", tr.Offsets, s.Phases[0].Duration, want)
	}
}

func TestTraceAzure(t *testing.T) {
	day := azureDay(map[string]func(int) int{
		"quiet": func(m int) int { return m % 2 },
		"busy":  func(m int) int { return 10 + m%3 },
	})
	for _, tt := range []struct{ choose, want string }{{"function: quiet", "quiet"}, {"rank: 1", "busy"}, {"rank: 2", "quiet"}} {
		s, err := parseIn(t, map[string]string{
			"s.yaml": "phases:\n  - {name: a, shape: trace, file: d.csv, format: azure, " + tt.choose + ", from: 2m, to: 5m}\n",
			"d.csv":  day,
		})
		if err != "" {
			t.Fatal(err)
		}
		tr := s.Phases[0].Trace
		if tr.Function != tt.want || len(tr.Counts) != 3 {
			t.Errorf("%s: function %q, %d counts; want %s and 3", tt.choose, tr.Function, len(tr.Counts), tt.want)
		}
		if tt.want == "busy" && !slices.Equal(tr.Counts, []int{12, 10, 11}) {
			t.Errorf("busy minutes 2-4: %v; want [12 10 11]", tr.Counts)
		}
	}
}

func TestTraceSpeedsDiffer(t *testing.T) {
	_, err := parseIn(t, map[string]string{
		"s.yaml": "targets: [lambda]\nphases:\n  - {name: a, shape: trace, file: t.csv, format: csv, speed: 2}\n  - {name: b, shape: trace, file: t.csv, format: csv, speed: 3}\n",
		"t.csv":  "second,requests\n0,1\n",
	})
	want := `s.yaml:4: phase "b": speed 3 differs from phase "a"'s (2) at line 3; the function's durations are divided by one speed, so give every trace phase the same`
	if err != want {
		t.Errorf("got\n%s\nwant\n%s", err, want)
	}
	s, _ := parseIn(t, map[string]string{
		"s.yaml": "targets: [lambda]\nphases:\n  - {name: a, shape: trace, file: t.csv, format: csv, speed: 2}\n",
		"t.csv":  "second,requests\n0,1\n",
	})
	if got := s.Target("lambda").Speed; got != 2 {
		t.Errorf("the function's Speed is %g; want 2", got)
	}
}

func TestTraceErrors(t *testing.T) {
	phase := func(fields string) string {
		return "\n\nphases:\n  - {name: day, shape: trace, " + fields + "}\n"
	}
	day := azureDay(map[string]func(int) int{"f1": func(int) int { return 1 }, "f2": func(int) int { return 2 }})
	tests := []struct {
		name, yaml, file, want string
	}{
		{"bad count", phase("file: t.csv, format: csv"), "minute,requests\n0,1\n\n1,x\n",
			`s.yaml:4: phase "day": t.csv:4: requests "x" is not a whole number of requests (0 or more)`},
		{"bad header", phase("file: t.csv, format: csv"), "minutes,requests\n0,1\n",
			`s.yaml:4: phase "day": t.csv:1: the header's first column is "minutes"; use time, minute or second (did you mean "minute"?)`},
		{"time without interval", phase("file: t.csv, format: csv"), "time,requests\n0,1\n",
			`s.yaml:4: phase "day": t.csv:1: the header time,requests needs the phase's interval: 1s or 1m`},
		{"rows fall", phase("file: t.csv, format: csv"), "second,requests\n3,1\n2,1\n",
			`s.yaml:4: phase "day": t.csv:3: second "2" is not after the row before; rows must rise`},
		{"three columns", phase("file: t.csv, format: csv"), "second,requests\n0,1\n1,2,3\n",
			`s.yaml:4: phase "day": t.csv:3: wrong number of fields; each row needs two columns`},
		{"bad timestamp", phase("file: t.csv, format: timestamps"), "1563148800\nyesterday\n",
			`s.yaml:4: phase "day": t.csv:2: "yesterday" is neither an RFC 3339 time (2019-07-15T08:00:00.250Z) nor Unix seconds (1563177600.25)`},
		{"missing file", phase("file: nope.csv, format: csv"), "",
			`s.yaml:4: phase "day": cannot read the trace file nope.csv: no such file or directory; it is looked up relative to the scenario file's folder, as nope.csv`},
		{"unknown format", phase("file: t.csv, format: cvs"), "",
			`s.yaml:4: phase "day": unknown trace format "cvs" (did you mean "csv"?)`},
		{"missing format", phase("file: t.csv"), "",
			`s.yaml:4: phase "day": missing format, which shape trace needs`},
		{"duration mismatch", phase("file: t.csv, format: csv, duration: 5s, speed: 30"), "minute,requests\n0,1\n1,1\n",
			`s.yaml:4: phase "day": duration 5s does not match the window: 2m0s of trace at speed 30 lasts 4s; remove duration or make it 4s`},
		{"window past the end", phase("file: t.csv, format: csv, to: 3m"), "minute,requests\n0,1\n1,1\n",
			`s.yaml:4: phase "day": to is past the trace's end (2m0s), not 3m`},
		{"window off the intervals", phase("file: t.csv, format: csv, from: 30s"), "minute,requests\n0,1\n1,1\n",
			`s.yaml:4: phase "day": from must be a whole number of the trace's intervals (1m0s), not 30s`},
		{"empty window", phase("file: t.csv, format: csv, from: 1m, to: 1m"), "minute,requests\n0,1\n1,1\n",
			`s.yaml:4: phase "day": the window is empty: from 1m0s to 1m0s; to must be after from`},
		{"azure needs a choice", phase("file: t.csv, format: azure"), day,
			`s.yaml:4: phase "day": t.csv:3: the file has more than one function; choose one with function: <HashFunction> or rank: N (1 the busiest)`},
		{"azure no such function", phase("file: t.csv, format: azure, function: f9"), day,
			`s.yaml:4: phase "day": t.csv: no row has HashFunction "f9"; copy it from the file's third column`},
		{"azure bad minute", phase("file: t.csv, format: azure, rank: 1"), strings.Replace(day, ",2,2,2", ",2,-2,2", 1),
			`s.yaml:4: phase "day": t.csv:3: minute 2: requests "-2" is not a whole number of requests (0 or more)`},
		{"azure key on csv", phase("file: t.csv, format: csv, rank: 1"), "minute,requests\n0,1\n",
			`s.yaml:4: phase "day": rank chooses a row of format azure, not of csv; remove it`},
		{"trace key on constant", "phases:\n  - {name: c, duration: 1s, shape: constant, rate: 1, speed: 2}\n", "",
			`s.yaml:2: phase "c": speed is a key of shape trace, not of constant; remove it`},
		{"speed zero", phase("file: t.csv, format: csv, speed: 0"), "minute,requests\n0,1\n",
			`s.yaml:4: phase "day": speed is trace seconds per second of run, more than 0 and at most 1e6, not 0`},
		{"spacing typo", phase("file: t.csv, format: csv, spacing: poison"), "minute,requests\n0,1\n",
			`s.yaml:4: phase "day": unknown spacing "poison" (did you mean "poisson"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"s.yaml": tt.yaml}
			if tt.file != "" {
				files["t.csv"] = tt.file
			}
			_, err := parseIn(t, files)
			if err != tt.want {
				t.Errorf("got\n%s\nwant\n%s", err, tt.want)
			}
		})
	}
}

// TestReplayScenario loads scenarios/replay.yaml: its window of the
// generated day lasts 50 s of run per target, and its function ages 288
// times faster.
func TestReplayScenario(t *testing.T) {
	s, err := scenario.Load(filepath.Join("..", "..", "scenarios", "replay.yaml"), all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Duration(); d != 50*time.Second {
		t.Errorf("duration %s, want 50s", d)
	}
	tr := s.Phases[0].Trace
	if tr.Function != "api" || len(tr.Counts) != 4*60 || tr.Requests() == 0 {
		t.Errorf("function %q, %d minutes, %d requests; want api, 240 and some", tr.Function, len(tr.Counts), tr.Requests())
	}
	if got := s.Target("lambda").Speed; got != 288 {
		t.Errorf("the function's speed %g, want 288", got)
	}
}

// TestTraceWhole checks that a window keeps the whole trace it was cut
// from, at its own speed, for the simulation of the whole trace.
func TestTraceWhole(t *testing.T) {
	day := azureDay(map[string]func(int) int{"f": func(m int) int { return m % 3 }})
	s, err := parseIn(t, map[string]string{
		"s.yaml": "phases:\n  - {name: a, shape: trace, file: d.csv, format: azure, function: f, from: 2m, to: 5m, speed: 60}\n",
		"d.csv":  day,
	})
	if err != "" {
		t.Fatal(err)
	}
	tr := s.Trace()
	w := tr.Whole()
	// 1440 minutes of 0, 1, 2, ...: 480 × (0+1+2) = 1440 requests.
	if w.From != 0 || w.To != 24*time.Hour || w.Length != 24*time.Hour || w.Speed != 1 || len(w.Counts) != 1440 || w.Requests() != 1440 {
		t.Errorf("whole: from %s to %s, length %s, speed %g, %d counts, %d requests; want the day at speed 1, 1440 requests",
			w.From, w.To, w.Length, w.Speed, len(w.Counts), w.Requests())
	}
	if tr.From != 2*time.Minute || tr.Requests() != 2+0+1 || tr.Speed != 60 {
		t.Errorf("the window changed: from %s, %d requests, speed %g", tr.From, tr.Requests(), tr.Speed)
	}
}
