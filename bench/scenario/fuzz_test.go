package scenario

import (
	"errors"
	"reflect"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/coldbench/coldbench/bench/cost"
)

// The fuzz tests of the parsers of parts of scenario files. Each checks
// that its parser never panics, that it returns either mistakes with a
// file and a line, or a valid value, and that a valid value written back
// as YAML (format.go) parses to the same value. Their seeds are in
// testdata/fuzz/FuzzXxx/. FuzzParse, of whole files with targets of every
// kind, is bench/kinds/all's.

// checkErrors fails t unless err is a non-empty Errors whose every mistake
// is in file path, at a line, and says something.
func checkErrors(t *testing.T, path string, err error) {
	t.Helper()
	var es Errors
	if !errors.As(err, &es) || len(es) == 0 {
		t.Fatalf("error %v (%T) is not a non-empty scenario.Errors", err, err)
	}
	for _, e := range es {
		if e.Path != path || e.Line < 1 || e.Msg == "" {
			t.Errorf("mistake without a position or a message: %#v (%q)", e, e.Error())
		}
	}
}

func FuzzObjective(f *testing.F) {
	for _, s := range []string{
		"lambda p99 < 250ms", "lambda/cold p99.9 < 2s", "server p99.9 < 20ms", "server error_rate < 0.1%",
		"lambda/provisioned max <= 1m30s", "server/cold p50 < 1ms", "lambda error_rate < 100%",
		"lambda p99 < 0s", "server error_rate < 0.1", "lamda p99 < 1s", "server p98 < 1s", "server p50<1s",
		"server error_rate < 1e-3%", "lambda/warm mean < 1.5h",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		o, err := parseObjective(text)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			checkObjectiveInFile(t, text)
			return
		}
		if o.Text != text {
			t.Errorf("text %q, want %q", o.Text, text)
		}
		switch {
		case checkName(o.Target) != nil,
			o.Metric == ErrorRate && !(o.MaxErrorRate >= 0 && o.MaxErrorRate <= 1) || o.Metric == ErrorRate && o.Limit != 0,
			o.Metric != ErrorRate && (o.Limit <= 0 || o.MaxErrorRate != 0):
			t.Fatalf("invalid objective from %q: %+v", text, o)
		}
		canonical := formatObjective(o)
		again, err := parseObjective(canonical)
		if err != nil {
			t.Fatalf("%q, written back as %q, does not parse: %v", text, canonical, err)
		}
		o.Text, again.Text = "", ""
		if o != again {
			t.Errorf("%q written back as %q: got %+v, want %+v", text, canonical, again, o)
		}
	})
}

// checkObjectiveInFile checks that the bad objective text, in a scenario
// file, is reported at its line.
func checkObjectiveInFile(t *testing.T, text string) {
	t.Helper()
	const path = "objectives.yaml"
	data, err := yaml.Marshal(map[string]any{
		"objectives": []string{text},
		"phases":     []map[string]string{{"duration": "1s", "shape": "idle"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse(path, data, nil)
	if err == nil {
		t.Fatalf("objective %q: parseObjective rejects it, Parse takes it: %+v", text, s.Objectives)
	}
	checkErrors(t, path, err)
}

func FuzzCost(f *testing.F) {
	for _, s := range []string{
		"{}", "architecture: arm64", "{architecture: x86_64, instance: t3.small}", "target_utilization: 1",
		"prices: {instance_hourly: 0}", "min_instances: 10000", "min_instances: 0", "target_utilization: 0",
		"front_door: http_api", "front_door: alb", "front_door: {lambda: rest_api, server: alb}", "front_door: {server: http_api}",
		"front_door: api_gateway", "front_door: [alb]",
		"architecture: amd64", "instance: t4g.smal", "prices: {lambda_gb_second: -1}", "prices: [1]", "cheap",
		"architecture: arm64\ninstance: c7g.large\nmin_instances: 2\ntarget_utilization: 0.5\nprices:\n  lambda_request_per_million: 0.25\n  lambda_gb_second: 0.00002\n  instance_hourly: 0.08\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, ok := yamlValue(data)
		if !ok {
			return // not YAML: FuzzParse covers syntax
		}
		const path = "cost.yaml"
		p := &Parser{path: path}
		c := p.cost(n)
		if len(p.errs) > 0 {
			checkErrors(t, path, p.errs)
			return
		}
		if err := c.Check(mustPrices(t)); err != nil {
			t.Fatalf("cost section taken, but cost rejects it: %v (%+v)", err, c)
		}
		out, err := yaml.Marshal(formatCost(c))
		if err != nil {
			t.Fatal(err)
		}
		n, ok = yamlValue(out)
		if !ok {
			t.Fatalf("written back as invalid YAML:\n%s", out)
		}
		p = &Parser{path: path}
		again := p.cost(n)
		if len(p.errs) > 0 {
			t.Fatalf("written back, it does not parse: %v\n%s", p.errs, out)
		}
		if !reflect.DeepEqual(c, again) {
			t.Errorf("round trip: got %+v, want %+v\n%s", again, c, out)
		}
	})
}

// yamlValue returns the top node of the first YAML document in data.
func yamlValue(data []byte) (*yaml.Node, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 {
		return nil, false
	}
	return doc.Content[0], true
}

func mustPrices(t *testing.T) cost.Prices {
	t.Helper()
	p, err := cost.Default()
	if err != nil {
		t.Fatal(err)
	}
	return p
}
