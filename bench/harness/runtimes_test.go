package harness_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/harness"
	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/kinds/lambdakind"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/testkit"
)

// examples is the folder of the example functions, from this package's.
const examples = "../../targets/examples"

// writeScenario writes src to a new scenario file and loads it.
func writeScenario(t *testing.T, src string) *scenario.Scenario {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Load(path, all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// runScenario runs sc in rt without probes and returns the result.
func runScenario(t *testing.T, sc *scenario.Scenario, rt lambdakind.Sandbox) (*harness.Result, error) {
	t.Helper()
	kit.Binaries(t)
	res, err := harness.Run(context.Background(), harness.Config{
		Scenario: sc, ReportsDir: t.TempDir(), BinDir: kit.Dir(), RunID: "rt", Progress: testWriter{t}, Kinds: sandboxed(t, rt),
	})
	testkit.AwaitNoProcesses(t, kit.Dir())
	return res, err
}

// bodies returns the bodies of target's answers of status 2xx, and how
// many answers were not.
func bodies(t *testing.T, res *harness.Result, target string) (ok []string, failed int) {
	t.Helper()
	for _, r := range decodeResults(t, filepath.Join(res.Dir, runs.ResultsFile)) {
		if name, _, _ := strings.Cut(r.Attack, "/"); name != target {
			continue
		}
		if r.Code/100 == 2 && r.Error == "" {
			ok = append(ok, string(r.Body))
		} else {
			failed++
		}
	}
	return ok, failed
}

// TestSeedHandler runs the seed's own Lambda handler, its file as written
// (targets/examples/seedfn/index.mjs), on nodejs22.x through the router,
// in local processes and in containers, and checks that every request is
// answered "Order created!", that the summary says what ran, and that its
// cold starts have an INIT.
func TestSeedHandler(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes; skipped with -short")
	}
	testkit.RequireInterpreter(t, "node")
	code, _ := filepath.Abs(filepath.Join(examples, "seedfn"))
	for _, rt := range []lambdakind.Sandbox{lambdakind.Process, lambdakind.Container} {
		t.Run(string(rt), func(t *testing.T) {
			if rt == lambdakind.Container {
				testkit.RequireDocker(t)
			}
			sc := writeScenario(t, "targets:\n  seed:\n    kind: lambda\n    runtime: nodejs22.x\n    handler: index.handler\n    code: "+code+
				"\n    concurrency: 4\nphases:\n  - {name: steady, duration: 2s, shape: constant, rate: 5}\n")
			res, err := runScenario(t, sc, rt)
			if err != nil {
				t.Fatal(err)
			}
			ok, failed := bodies(t, res, "seed")
			if len(ok) == 0 || failed > 0 {
				t.Errorf("%d answers, %d failed; want all of them", len(ok), failed)
			}
			for _, b := range ok {
				if b != "Order created!" {
					t.Fatalf("answer %q, want the seed's \"Order created!\"", b)
				}
			}
			var sum runs.Summary
			readJSON(t, filepath.Join(res.Dir, runs.SummaryFile), &sum)
			ts := sum.Targets["seed"]
			if c := ts.Code; c == nil || c.Form != "code" || c.Handler != "index.handler" || c.Runtime != "nodejs22.x" || !strings.HasPrefix(c.Ran, "node v") {
				t.Errorf("summary code %+v, want the folder, its handler, nodejs22.x asked and the node that ran", ts.Code)
			}
			if a := ts.Anatomy; a == nil || a.Parts["init"].Count == 0 || a.Parts["init"].P50 <= 0 {
				t.Errorf("no INIT in the anatomy: %+v", a)
			}
		})
	}
}

// TestHandlerErrors checks that each broken handler is a kinds.InputError
// (exit code 2), found before the run folder exists, that says what
// Lambda would report.
func TestHandlerErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes; skipped with -short")
	}
	testkit.RequireInterpreter(t, "node")
	testkit.RequireInterpreter(t, "python3")
	fixtures, _ := filepath.Abs("../../targets/lambda/runtimes/testdata")
	seed, _ := filepath.Abs(filepath.Join(examples, "seedfn"))
	for _, c := range []struct {
		name, runtime, handler, code string
		want                         []string
	}{
		{"module missing", "nodejs22.x", "app.handler", seed, []string{"Runtime.ImportModuleError", "app.js, app.mjs or app.cjs"}},
		{"not exported", "nodejs22.x", "index.main", seed, []string{"Runtime.HandlerNotFound", "export a function"}},
		{"syntax error", "nodejs22.x", "index.handler", filepath.Join(fixtures, "node-syntax"), []string{"Runtime.UserCodeSyntaxError", "fix the syntax error"}},
		{"python syntax error", "python3.13", "lambda_function.handler", filepath.Join(fixtures, "python-syntax"), []string{"Runtime.UserCodeSyntaxError"}},
		{"python module missing", "python3.13", "nope.handler", filepath.Join(fixtures, "python"), []string{"Runtime.ImportModuleError", "nope.py"}},
		{"folder missing", "nodejs22.x", "index.handler", filepath.Join(t.TempDir(), "gone"), []string{"no such folder"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc := writeScenario(t, "targets:\n  fn:\n    kind: lambda\n    runtime: "+c.runtime+"\n    handler: "+c.handler+"\n    code: "+c.code+
				"\nphases:\n  - {duration: 1s, shape: constant, rate: 1}\n")
			reports := t.TempDir()
			_, err := harness.Run(context.Background(), harness.Config{
				Scenario: sc, ReportsDir: reports, BinDir: kit.Dir(), RunID: "bad", Progress: testWriter{t}, Kinds: sandboxed(t, lambdakind.Process),
			})
			var ie *kinds.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want a kinds.InputError", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if entries, _ := os.ReadDir(reports); len(entries) > 0 {
				t.Errorf("a run folder was written: %v", entries)
			}
		})
	}
}

// TestInitErrorUnderLoad runs a handler that loads in the check but
// throws during every INIT under load: each request is answered as
// Lambda answers it, 502 with the error the runtime posted, and each
// failed environment is replaced by a new one.
func TestInitErrorUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes; skipped with -short")
	}
	testkit.RequireInterpreter(t, "node")
	code, _ := filepath.Abs("../../targets/lambda/runtimes/testdata/node-init-fails-live")
	sc := writeScenario(t, "targets:\n  fn:\n    kind: lambda\n    runtime: nodejs22.x\n    handler: index.handler\n    code: "+code+
		"\n    concurrency: 4\nphases:\n  - {name: steady, duration: 1s, shape: constant, rate: 5}\n")
	res, err := runScenario(t, sc, lambdakind.Process)
	if err != nil {
		t.Fatal(err)
	}
	envs := map[string]bool{}
	n := 0
	for _, r := range decodeResults(t, filepath.Join(res.Dir, runs.ResultsFile)) {
		if r.Code == 429 {
			continue
		}
		n++
		if r.Code != 502 || !strings.Contains(string(r.Body), `"errorType":"Error"`) || !strings.Contains(string(r.Body), "no database configured") {
			t.Errorf("answer %d %q, want 502 with the runtime's init error", r.Code, r.Body)
		}
		envs[r.Headers.Get("X-Coldbench-Env")] = true
	}
	if n < 2 || len(envs) != n {
		t.Errorf("%d answers from %d environments; want each from a new one, the failed one replaced", n, len(envs))
	}
}

// zipFolder writes the files under dir into a new deployment package.
func zipFolder(t *testing.T, dir string) string {
	t.Helper()
	files := map[string]string{}
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			files[filepath.ToSlash(rel)] = path
		}
		return err
	})
	return writeZip(t, files)
}

// TestHandlersThroughTheRouter runs a Node.js ES module, a Node.js
// CommonJS module and a Python function (at the root and in a subfolder),
// each from its folder and from a zip, on real RIE processes behind the
// router, and checks what arrives: the event's method, path, query,
// header and body, and the context's fields. A thrown error is a function
// error (502, its type in X-Coldbench-Error), as a Function URL answers it.
func TestHandlersThroughTheRouter(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes; skipped with -short")
	}
	testkit.RequireInterpreter(t, "node")
	testkit.RequireInterpreter(t, "python3")
	fixtures, _ := filepath.Abs("../../targets/lambda/runtimes/testdata")
	type fn struct{ name, runtime, handler, code string }
	var fns []fn
	for _, f := range []struct{ name, runtime, handler, dir string }{
		{"esm", "nodejs22.x", "index.handler", "node-esm"},
		{"cjs", "nodejs20.x", "index.handler", "node-cjs"},
		{"py", "python3.13", "lambda_function.handler", "python"},
		{"pysub", "python3.12", "pkg/handlers.handler", "python"},
	} {
		dir := filepath.Join(fixtures, f.dir)
		fns = append(fns, fn{f.name, f.runtime, f.handler, "code: " + dir}, fn{f.name + "-zip", f.runtime, f.handler, "zip: " + zipFolder(t, dir)})
	}
	fns = append(fns, fn{"pyenv", "python3.11", "lambda_function.handler", "code: " + filepath.Join(fixtures, "python-env")},
		fn{"fails", "nodejs22.x", "index.fail", "code: " + filepath.Join(fixtures, "node-esm")},
		fn{"pyfails", "python3.13", "lambda_function.fail", "code: " + filepath.Join(fixtures, "python")})
	src := "request: {method: POST, path: \"/orders/7?x=1\", headers: {x-test: hello}, body: '{\"a\":1}'}\ntargets:\n"
	for _, f := range fns {
		src += "  " + f.name + ":\n    kind: lambda\n    memory: 256\n    concurrency: 2\n    runtime: " + f.runtime + "\n    handler: " + f.handler + "\n    " + f.code + "\n"
	}
	src += "phases:\n  - {name: steady, duration: 600ms, shape: constant, rate: 5}\n"
	res, err := runScenario(t, writeScenario(t, src), lambdakind.Process)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range decodeResults(t, filepath.Join(res.Dir, runs.ResultsFile)) {
		name, _, _ := strings.Cut(r.Attack, "/")
		if r.Code == 429 {
			continue
		}
		got[name]++
		if strings.Contains(name, "fails") {
			if e := r.Headers.Get("X-Coldbench-Error"); r.Code != 502 || e != "function error: OrderError" {
				t.Errorf("%s: %d %q, want a 502 function error OrderError", name, r.Code, e)
			}
			continue
		}
		if name == "pyenv" {
			// It read Lambda's variables as it loaded, in the check too.
			var seen struct{ Region, Name string }
			json.Unmarshal(r.Body, &seen)
			if r.Code != 200 || seen.Region != "us-east-1" || seen.Name != name {
				t.Errorf("%s: %d %q", name, r.Code, r.Body)
			}
			continue
		}
		if strings.HasPrefix(name, "pysub") {
			// pkg/handlers.py answers a plain value: a 200 of it as JSON.
			var seen struct{ From, RawPath, RequestID string }
			json.Unmarshal(r.Body, &seen)
			if r.Code != 200 || seen.From != "pkg/handlers.py" || seen.RawPath != "/orders/7" || seen.RequestID != r.Headers.Get("X-Amzn-RequestId") {
				t.Errorf("%s: %d %q", name, r.Code, r.Body)
			}
			continue
		}
		var seen struct {
			Method, RawPath, RawQueryString, XTest, Body, RequestID, FunctionName string
			MemoryLimitInMB                                                       any
			RemainingPositive                                                     bool
		}
		if err := json.Unmarshal(r.Body, &seen); err != nil || r.Code != 200 {
			t.Errorf("%s: %d %q (%v)", name, r.Code, r.Body, err)
			continue
		}
		want := []any{"POST", "/orders/7", "x=1", "hello", `{"a":1}`, r.Headers.Get("X-Amzn-RequestId"), name, "256", true}
		have := []any{seen.Method, seen.RawPath, seen.RawQueryString, seen.XTest, seen.Body, seen.RequestID, seen.FunctionName, fmt.Sprint(seen.MemoryLimitInMB), seen.RemainingPositive}
		if !reflect.DeepEqual(have, want) {
			t.Errorf("%s saw %v, want %v", name, have, want)
		}
	}
	for _, f := range fns {
		if got[f.name] == 0 {
			t.Errorf("%s: no answers", f.name)
		}
	}
}
