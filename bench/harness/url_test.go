package harness_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/harness"
	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/kinds/lambdakind"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/process"
	"github.com/coldbench/coldbench/targets/server"
	"github.com/coldbench/coldbench/targets/testkit"
)

// urlScenario returns a scenario of one url target called name whose entry
// has the lines entry (indented by four spaces), sent phases.
func urlScenario(t *testing.T, name, entry, phases string) *scenario.Scenario {
	t.Helper()
	src := "name: url\ntargets:\n  " + name + ":\n    kind: url\n" + entry + "phases:\n" + phases
	sc, err := scenario.Parse("url.yaml", []byte(src), all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// runURL runs sc through the harness, in process mode, into reports.
func runURL(t *testing.T, sc *scenario.Scenario, reports string) (*harness.Result, error) {
	t.Helper()
	kit.Binaries(t)
	return harness.Run(context.Background(), harness.Config{
		Scenario: sc, ReportsDir: reports, BinDir: kit.Dir(), RunID: "url", Progress: testWriter{t}, Kinds: sandboxed(t, lambdakind.Process),
	})
}

// TestRunURLTargetServer points a url target at the built-in server,
// started by the test on loopback, and checks that the load arrives and
// that the summary and the report show the target by name, of kind url,
// with its URL as its code, unpriced and with all as its only class.
func TestRunURLTargetServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes; skipped with -short")
	}
	ctx := context.Background()
	srv, err := server.Run(ctx, kit.Binaries(t).Server, server.Config{})
	if srv != nil {
		defer srv.Stop(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
	sc := urlScenario(t, "staging", "    url: "+srv.URL()+"/\n", "  - {name: steady, duration: 1s, shape: constant, rate: 20}\n")
	res, err := runURL(t, sc, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var sum runs.Summary
	readJSON(t, filepath.Join(res.Dir, runs.SummaryFile), &sum)
	ts, ok := sum.Targets["staging"]
	if !ok || ts.Kind != "url" {
		t.Fatalf("summary: staging is %+v, want kind url", ts)
	}
	all := ts.Classes[record.All]
	if all.Requests == 0 || all.Errors != 0 || all.Codes["201"] != all.Requests {
		t.Errorf("staging: %+v, want requests all answered 201 Created", all)
	}
	if len(ts.Classes) != 1 || ts.ColdStarts != 0 {
		t.Errorf("staging: classes %v, %d cold starts; want all only and none", ts.Classes, ts.ColdStarts)
	}
	if ts.Code == nil || ts.Code.Form != "url" || ts.Code.Path != srv.URL() {
		t.Errorf("staging: code %+v, want url %s", ts.Code, srv.URL())
	}
	if sum.Costs["staging"] != nil || !hasNote(sum.Notes, "staging not priced") || !hasNote(sum.Notes, "it may have warmed") {
		t.Errorf("staging: cost %+v, notes %q; want unpriced, and the check request said", sum.Costs["staging"], sum.Notes)
	}
	page, err := os.ReadFile(res.Report)
	if err != nil || !strings.Contains(string(page), "staging") || !strings.Contains(string(page), srv.URL()) {
		t.Errorf("report: %v; want staging and its URL in it", err)
	}
}

// TestRunURLTargetColdHeader points a url target naming the router's cold
// header at a Lambda router over RIE processes, started by the test: the
// cold starts of the load are recorded, as cold and warm, with their
// anatomy. An idle gap longer than the keepalive makes one cold start
// during the load whatever the check request before it did.
func TestRunURLTargetColdHeader(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes; skipped with -short")
	}
	ctx := context.Background()
	bins := kit.Binaries(t)
	r, err := lambda.Run(ctx, process.New(bins.RIE, bins.Bootstrap), lambda.Config{Keepalive: 300 * time.Millisecond})
	defer func() {
		if err := r.Close(ctx); err != nil {
			t.Error(err)
		}
		testkit.AwaitNoProcesses(t, kit.Dir())
	}()
	if err != nil {
		t.Fatal(err)
	}
	sc := urlScenario(t, "fn-url", "    url: "+r.URL()+"\n    cold_header: "+lambda.HeaderCold+"\n    timeout: 10s\n",
		"  - {name: a, duration: 1s, shape: constant, rate: 5}\n"+
			"  - {name: gap, duration: 1200ms, shape: idle}\n"+
			"  - {name: b, duration: 1s, shape: constant, rate: 5}\n")
	res, err := runURL(t, sc, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var sum runs.Summary
	readJSON(t, filepath.Join(res.Dir, runs.SummaryFile), &sum)
	ts := sum.Targets["fn-url"]
	cold, warm, all := ts.Classes[record.Cold], ts.Classes[record.Warm], ts.Classes[record.All]
	if ts.Kind != "url" || cold.OK == 0 || warm.OK == 0 || cold.Requests+warm.Requests != all.Requests || all.Errors != 0 {
		t.Errorf("fn-url: kind %q, classes %+v; want url, cold and warm making up all, no errors", ts.Kind, ts.Classes)
	}
	if int64(ts.ColdStarts) != cold.Requests {
		t.Errorf("fn-url: %d cold starts, %d cold requests", ts.ColdStarts, cold.Requests)
	}
}

// TestRunURLTargetNotAnswering checks that a URL nothing listens at is an
// InputError naming it, before the load and before the run folder.
func TestRunURLTargetNotAnswering(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the targets; skipped with -short")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there now
	sc := urlScenario(t, "gone", "    url: "+url+"\n    timeout: 2s\n", "  - {duration: 1s, shape: constant, rate: 5}\n")
	reports := t.TempDir()
	res, err := runURL(t, sc, reports)
	var in *kinds.InputError
	if !errors.As(err, &in) || in.Target != "gone" || !strings.Contains(err.Error(), url) {
		t.Fatalf("Run = %v, %v; want an InputError of gone naming %s", res, err, url)
	}
	if entries, _ := os.ReadDir(reports); len(entries) != 0 {
		t.Errorf("reports holds %s, want nothing", fmt.Sprint(entries))
	}
}

func hasNote(notes []string, s string) bool {
	for _, n := range notes {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}
