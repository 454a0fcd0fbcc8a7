package lambdakind

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/process"
	"github.com/coldbench/coldbench/targets/testkit"
)

// TestProbeSendsTheRequest checks, with real RIE and bootstrap processes,
// that a cold-start probe sends the scenario's request rather than an
// order of its own: an echo is a cold start like an order, and a path the
// function does not serve fails the probe, naming the request.
func TestProbeSendsTheRequest(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real RIE processes")
	}
	t.Parallel()
	kit := testkit.Build()
	t.Cleanup(kit.Close)
	bins := kit.Binaries(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := process.New(bins.RIE, bins.Bootstrap)
	t.Cleanup(func() { testkit.AwaitNoProcesses(t, kit.Dir()) })

	echo := scenario.Request{Method: "PUT", Path: "/echo/probe?a=1", Body: []byte("x")}
	a, err := probe(ctx, p, lambda.Config{}, echo, 1, "probe")
	if err != nil {
		t.Fatal(err)
	}
	if n := a.Total.TotalCount(); n != 1 {
		t.Errorf("%d cold starts measured, want 1", n)
	}

	_, err = probe(ctx, p, lambda.Config{}, scenario.Request{Method: "GET", Path: "/nope"}, 1, "probe")
	if err == nil || !strings.Contains(err.Error(), "first request (GET /nope) answered 404") {
		t.Errorf("probe of GET /nope: %v, want it answered 404", err)
	}
}
