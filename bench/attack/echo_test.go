package attack_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/kinds/all"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/attack"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/process"
	"github.com/coldbench/coldbench/targets/order"
	"github.com/coldbench/coldbench/targets/server"
	"github.com/coldbench/coldbench/targets/testkit"
)

// TestRequestsReachTargets sends requests other than the default order
// through attack.Run to both real targets, the server process and the
// emulated function (the router over RIE and bootstrap processes), and
// checks in their echoes that every part of each request arrived: a
// request written out, and the requests of a vegeta targets file, in turn.
func TestRequestsReachTargets(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real server and RIE processes")
	}
	t.Parallel()
	kit := testkit.Build()
	t.Cleanup(kit.Close)
	bins := kit.Binaries(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)

	srv, err := server.Run(ctx, bins.Server, server.Config{})
	t.Cleanup(func() {
		if srv != nil {
			srv.Stop(context.Background())
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	out := &testkit.Buffer{}
	router, err := lambda.Run(ctx, process.New(bins.RIE, bins.Bootstrap, process.WithOutput(out)), lambda.Config{})
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := router.Close(stopCtx); err != nil {
			t.Errorf("Close: %v", err)
		}
		if t.Failed() {
			t.Logf("environments' output:\n%s", out.String())
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	targets := []struct{ name, url string }{{"server", srv.URL()}, {"lambda", router.URL()}}

	t.Run("written out", func(t *testing.T) {
		s, err := scenario.Parse("x.yaml", []byte(`
request:
  method: PUT
  path: /echo/x?a=1&b=two
  headers: {X-Custom: "yes"}
  body: '{"n":1}'
phases: [{duration: 1s, shape: idle}]
`), all.Specs())
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range targets {
			echoes := sendInTurn(t, tg.url, s.Request.All())
			for i, e := range echoes {
				if e.Method != "PUT" || e.Path != "/echo/x" || e.Query != "a=1&b=two" || e.Body != `{"n":1}` ||
					!reflect.DeepEqual(e.Params, map[string]string{"a": "1", "b": "two"}) || e.Headers["x-custom"] != "yes" {
					t.Errorf("%s: request %d arrived as %+v", tg.name, i, e)
				}
			}
		}
	})

	t.Run("targets file", func(t *testing.T) {
		dir := t.TempDir()
		files := map[string]string{
			"s.yaml": "request: {targets_file: reqs.txt}\nphases: [{duration: 1s, shape: idle}]\n",
			"reqs.txt": "GET http://example.com/echo/one?q=1\nX-Custom: one\n\n" +
				"POST http://example.com/echo/two\nContent-Type: application/json\n@two.json\n\n" +
				"DELETE /echo/three\n",
			"two.json": `{"n":2}`,
		}
		for name, content := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		s, err := scenario.Load(filepath.Join(dir, "s.yaml"), all.Specs())
		if err != nil {
			t.Fatal(err)
		}
		reqs := s.Request.All()
		if len(reqs) != 3 {
			t.Fatalf("read %d requests from the targets file, want 3: %+v", len(reqs), reqs)
		}
		for _, tg := range targets {
			echoes := sendInTurn(t, tg.url, reqs)
			if len(echoes) < len(reqs) {
				t.Errorf("%s: %d requests answered, want each of the %d sent", tg.name, len(echoes), len(reqs))
			}
			for i, e := range echoes {
				r := reqs[i%len(reqs)]
				path, query, _ := strings.Cut(r.Path, "?")
				if e.Method != r.Method || e.Path != path || e.Query != query || e.Body != string(r.Body) ||
					e.Headers["x-custom"] != r.Header.Get("X-Custom") || e.Headers["content-type"] != r.Header.Get("Content-Type") {
					t.Errorf("%s: request %d arrived as %+v, want %+v", tg.name, i, e, r)
				}
			}
		}
	})
}

// sendInTurn sends reqs in turn to the target at url for 1 s, at 10 a
// second, one at a time so that they are sent in the order handed out,
// each marked with its number. It checks that each was answered 200, and
// marked, and returns the echoes in the order sent.
func sendInTurn(t *testing.T, url string, reqs []scenario.Request) []order.Echo {
	t.Helper()
	phases := []scenario.Phase{{Name: "p", Duration: time.Second, Shape: scenario.Constant, Rate: 10, Workers: 1}}
	var results []*vegeta.Result
	err := attack.Run(context.Background(), "t", url, phases, time.Now(), func(_ int, r *vegeta.Result, _ time.Time) {
		results = append(results, r)
	}, attack.Options{
		Timeout:  10 * time.Second,
		Requests: reqs,
		Mark:     func(n uint64, h http.Header) { h.Set("X-Mark", strconv.FormatUint(n, 10)) },
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(results, func(a, b *vegeta.Result) int { return int(a.Seq) - int(b.Seq) })
	echoes := make([]order.Echo, 0, len(results))
	for i, r := range results {
		var e order.Echo
		if err := json.Unmarshal(r.Body, &e); r.Code != http.StatusOK || err != nil {
			t.Fatalf("%s: request %d: %d %q %s (%v)", url, i, r.Code, r.Body, r.Error, err)
		}
		if e.Headers["x-mark"] != strconv.Itoa(i) {
			t.Errorf("%s: request %d marked %q", url, i, e.Headers["x-mark"])
		}
		echoes = append(echoes, e)
	}
	if len(echoes) == 0 {
		t.Fatalf("%s: nothing sent", url)
	}
	return echoes
}
