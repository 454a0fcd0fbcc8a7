package lambda_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/testkit"
)

// failingProvider fails every start.
type failingProvider struct{}

func (failingProvider) Name() string { return "failing" }

func (failingProvider) Start(context.Context, lambda.Spec) (lambda.Environment, error) {
	return nil, errors.New("no room")
}

func TestProvisionedStartFailure(t *testing.T) {
	r, err := lambda.Run(context.Background(), failingProvider{}, lambda.Config{Provisioned: 2})
	t.Cleanup(func() { r.Close(context.Background()) })
	if err == nil || r == nil {
		t.Fatalf("Run = %v, %v; want the Router and an error", r, err)
	}
	if s := r.Stats(); s.StartFailed != 2 || s.Live != 0 || s.ProvisionedLive != 0 {
		t.Errorf("stats %+v", s)
	}
	if err := r.Close(context.Background()); err != nil {
		t.Error(err)
	}
}

func TestProvisionedRecycledNotReaped(t *testing.T) {
	var evs eventLog
	p := &fakeProvider{}
	// Idle far past the keepalive, the provisioned environment is kept
	// until it outlives MaxLifetime, then replaced.
	r, err := lambda.Run(context.Background(), p, lambda.Config{Provisioned: 1, Keepalive: 10 * time.Millisecond,
		MaxLifetime: 300 * time.Millisecond, OnEvent: evs.add})
	t.Cleanup(func() { r.Close(context.Background()) })
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := do(t, "GET", r.URL()+"/raw", "")
	if resp.StatusCode != 200 || resp.Header.Get(lambda.HeaderCold) != "false" || resp.Header.Get(lambda.HeaderProvisioned) != "true" {
		t.Errorf("request: %d %v", resp.StatusCode, resp.Header)
	}
	testkit.Eventually(t, "recycled and replaced", func() bool {
		s := r.Stats()
		return s.Recycled == 1 && s.ProvisionedLive == 1 && s.Started == 2
	})
	type ev struct {
		env  string
		kind lambda.EventKind
		prov bool
	}
	var got []ev
	for _, e := range evs.get() {
		got = append(got, ev{e.Env, e.Kind, e.Provisioned})
	}
	want := []ev{{"env-1", lambda.EventStarted, true}, {"env-2", lambda.EventStarted, true}, {"env-1", lambda.EventRecycled, true}}
	if len(got) < 3 || got[0] != want[0] || !(got[1] == want[1] && got[2] == want[2] || got[1] == want[2] && got[2] == want[1]) {
		t.Errorf("events %v, want %v (the last two in either order)", got, want)
	}
	if s := r.Stats(); s.Reaped != 0 {
		t.Errorf("provisioned environment reaped: %+v", s)
	}
}

func TestEventsWithFakes(t *testing.T) {
	var evs eventLog
	r, err := lambda.Run(context.Background(), &fakeProvider{}, lambda.Config{OnEvent: evs.add})
	t.Cleanup(func() { r.Close(context.Background()) })
	if err != nil {
		t.Fatal(err)
	}
	do(t, "GET", r.URL()+"/raw", "")
	if resp, _ := do(t, "GET", r.URL()+"/crash", ""); resp.StatusCode != 502 {
		t.Fatalf("crash: %d", resp.StatusCode)
	}
	testkit.Eventually(t, "discarded environment gone", func() bool { return r.Stats().Live == 0 })
	do(t, "GET", r.URL()+"/raw", "")
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	type ev struct {
		env  string
		kind string
		live int
	}
	var got []ev
	for _, e := range evs.get() {
		got = append(got, ev{e.Env, e.Kind.String(), e.Live})
	}
	want := []ev{{"env-1", "started", 1}, {"env-1", "discarded", 0}, {"env-2", "started", 1}, {"env-2", "stopped", 0}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != want[3] {
		t.Errorf("events %v, want %v", got, want)
	}
	// env-1's first invoke (/raw) succeeded, so /crash is no init failure.
	if s := r.Stats(); s.FunctionCrashes != 1 || s.InitFailures != 0 || s.Discarded != 1 {
		t.Errorf("stats %+v", s)
	}
}
