package all_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/kinds/lambdakind"
	"github.com/coldbench/coldbench/bench/scenario"
)

// FuzzParse is the fuzz test of the scenario parser with every kind of
// coldbench's: it never panics, it returns either mistakes with a file and
// a line, or a valid scenario, and a valid scenario written back
// (scenario.Format, with each kind's Formatter) parses to the same one.
// Its seeds are the scenario files of the repository.

// seedFiles returns the scenario files of the repository, the seeds of
// FuzzParse.
func seedFiles(f *testing.F) [][]byte {
	f.Helper()
	var out [][]byte
	for _, pattern := range []string{"../../scenario/testdata/*.yaml", "../../testdata/*.yaml", "../../harness/testdata/*.yaml", "../../../scenarios/*.yaml"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		f.Fatal("no scenario files found to seed from")
	}
	return out
}

// unpositioned clears what a round trip does not keep: lines, and the
// text of objectives as written.
func unpositioned(s *scenario.Scenario) *scenario.Scenario {
	c := *s
	c.Phases = append([]scenario.Phase(nil), s.Phases...)
	for i := range c.Phases {
		c.Phases[i].Line = 0
	}
	c.Targets = append([]scenario.Target(nil), s.Targets...)
	for i := range c.Targets {
		c.Targets[i].Line = 0
		if fn, ok := c.Targets[i].Settings.(lambdakind.FunctionConfig); ok {
			fn.Code.Line = 0
			c.Targets[i].Settings = fn
		}
	}
	c.Objectives = append([]scenario.Objective(nil), s.Objectives...)
	for i := range c.Objectives {
		c.Objectives[i].Line, c.Objectives[i].Text = 0, ""
	}
	return &c
}

func FuzzParse(f *testing.F) {
	for _, b := range seedFiles(f) {
		f.Add(b)
	}
	const path = "fuzz.yaml"
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scenario.Parse(path, data, all.Specs())
		if err != nil {
			if s != nil {
				t.Fatalf("a scenario and an error: %v", err)
			}
			checkErrors(t, path, err)
			return
		}
		if len(s.Phases) == 0 || len(s.Targets) == 0 || s.Path != path {
			t.Fatalf("valid scenario without phases, targets or its path: %+v", s)
		}
		for _, ph := range s.Phases {
			if ph.Duration <= 0 || ph.Line < 1 {
				t.Errorf("phase %q: duration %v, line %d", ph.Name, ph.Duration, ph.Line)
			}
		}
		if err := s.Cost.Check(mustPrices(t)); err != nil {
			t.Errorf("valid scenario with a cost section cost rejects: %v", err)
		}
		out, err := scenario.Format(s, all.Specs())
		if err != nil {
			t.Fatal(err)
		}
		again, err := scenario.Parse(path, out, all.Specs())
		if err != nil {
			t.Fatalf("the scenario written back does not parse: %v\n%s", err, out)
		}
		if a, b := unpositioned(s), unpositioned(again); !reflect.DeepEqual(a, b) {
			t.Errorf("round trip changed the scenario:\n got %+v\nwant %+v\n%s", b, a, out)
		}
	})
}

// checkErrors fails t unless err is a non-empty scenario.Errors whose
// every mistake is in file path, at a line, and says something.
func checkErrors(t *testing.T, path string, err error) {
	t.Helper()
	var es scenario.Errors
	if !errors.As(err, &es) || len(es) == 0 {
		t.Fatalf("error %v (%T) is not a non-empty scenario.Errors", err, err)
	}
	for _, e := range es {
		if e.Path != path || e.Line < 1 || e.Msg == "" {
			t.Errorf("mistake without a position or a message: %#v (%q)", e, e.Error())
		}
	}
}

// mustPrices returns the price table.
func mustPrices(t *testing.T) cost.Prices {
	t.Helper()
	p, err := cost.Default()
	if err != nil {
		t.Fatal(err)
	}
	return p
}
