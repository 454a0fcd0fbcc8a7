package lambda_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/order"
	"github.com/coldbench/coldbench/targets/testkit"
)

// first picks the first live environment, checking that there are n.
func first(t *testing.T, n int) func(int) int {
	return func(got int) int {
		if got != n {
			t.Errorf("KillOne: %d live environments, want %d", got, n)
		}
		return 0
	}
}

// closeAndAwait closes r and waits until no RIE or bootstrap process is left.
func closeAndAwait(t *testing.T, r *lambda.Router) {
	t.Helper()
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	testkit.AwaitNoProcesses(t, filepath.Dir(kit.Binaries(t).RIE))
}

// crashed says whether evs holds a crash of env.
func crashed(evs *eventLog, env string) bool {
	for _, ev := range evs.get() {
		if ev.Env == env && ev.Kind == lambda.EventCrashed {
			return true
		}
	}
	return false
}

func TestKillOneIdle(t *testing.T) {
	var evs eventLog
	r, _ := startRouter(t, lambda.Config{Keepalive: time.Hour, OnEvent: evs.add}, order.Work{})
	if _, err := r.KillOne(first(t, 0)); !errors.Is(err, lambda.ErrNoLiveEnvironment) {
		t.Errorf("KillOne with no environment: %v, want ErrNoLiveEnvironment", err)
	}
	warm := mustPost(t, r)
	if _, err := r.KillOne(func(int) int { return 1 }); err == nil {
		t.Error("KillOne picking past the end: no error")
	}
	id, err := r.KillOne(first(t, 1))
	if err != nil || id != warm.env() {
		t.Fatalf("KillOne: %q, %v; want %s", id, err, warm.env())
	}
	testkit.Eventually(t, "crash of "+id, func() bool { return crashed(&evs, id) })
	next := mustPost(t, r)
	if next.cold() != "true" || next.env() == id {
		t.Errorf("after the kill: %v, want cold on a new environment", next)
	}
	if s := r.Stats(); s.Crashed != 1 || s.Killed != 1 || s.Discarded != 0 || s.Errors != 0 || s.Started != 2 || s.Live != 1 {
		t.Errorf("stats %+v", s)
	}
	closeAndAwait(t, r)
}

func TestKillOneBusy(t *testing.T) {
	var evs eventLog
	r, _ := startRouter(t, lambda.Config{Keepalive: time.Hour, OnEvent: evs.add,
		Function: lambda.Spec{Timeout: time.Minute}}, order.Work{})
	warm := mustPost(t, r) // so that the killed invoke is not the first: no INIT failure

	type answer struct {
		res result
		at  time.Time
	}
	done := make(chan answer, 1)
	go func() {
		res := postFault(&http.Client{Timeout: time.Minute}, r.URL(), "sleep=2s")
		done <- answer{res, time.Now()}
	}()
	testkit.Eventually(t, "request in flight", func() bool { return r.Stats().Busy == 1 })
	time.Sleep(100 * time.Millisecond) // let the invoke reach the function
	killed := time.Now()
	id, err := r.KillOne(first(t, 1))
	if err != nil || id != warm.env() {
		t.Fatalf("KillOne: %q, %v; want %s", id, err, warm.env())
	}
	a := <-done
	if a.res.err != nil || a.res.status != http.StatusBadGateway || a.res.env() != id {
		t.Errorf("request in flight: %v, want a 502 from %s", a.res, id)
	}
	if d := a.at.Sub(killed); d > time.Second {
		t.Errorf("the 502 came %v after the kill: not before the 2s sleep was over", d)
	}
	t.Logf("502 %v after the kill: %s", a.at.Sub(killed).Round(time.Millisecond), a.res.header.Get(lambda.HeaderError))
	next := mustPost(t, r)
	if next.cold() != "true" || next.env() == id {
		t.Errorf("after the kill: %v, want cold on a new environment", next)
	}
	testkit.Eventually(t, "crash of "+id, func() bool { return crashed(&evs, id) })
	if s := r.Stats(); s.Crashed != 1 || s.Killed != 1 || s.Discarded != 0 || s.FunctionCrashes != 1 || s.Errors != 1 || s.Started != 2 {
		t.Errorf("stats %+v", s)
	}
	closeAndAwait(t, r)
}

func TestKillOneNotKiller(t *testing.T) {
	r, err := lambda.Run(context.Background(), &fakeProvider{}, lambda.Config{})
	defer r.Close(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if resp, _ := do(t, http.MethodPost, r.URL()+"/raw", `{}`); resp.StatusCode >= 500 {
		t.Fatalf("POST: %d", resp.StatusCode)
	}
	if id, err := r.KillOne(first(t, 1)); err == nil {
		t.Errorf("KillOne of a fake environment: %q, no error", id)
	}
	if s := r.Stats(); s.Live != 1 || s.Killed != 0 {
		t.Errorf("stats %+v", s)
	}
}

// failKillProvider starts fake environments whose Kill fails.
type failKillProvider struct{ fakeProvider }

type failKillEnv struct{ *fakeEnv }

func (failKillEnv) Kill() error { return errors.New("kill refused") }

func (p *failKillProvider) Start(ctx context.Context, spec lambda.Spec) (lambda.Environment, error) {
	e, err := p.fakeProvider.Start(ctx, spec)
	return failKillEnv{e.(*fakeEnv)}, err
}

func TestKillOneFailedKillDiscards(t *testing.T) {
	r, err := lambda.Run(context.Background(), &failKillProvider{}, lambda.Config{})
	defer r.Close(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := do(t, http.MethodPost, r.URL()+"/raw", `{}`)
	env := resp.Header.Get(lambda.HeaderEnv)
	if id, err := r.KillOne(first(t, 1)); err == nil || id != env {
		t.Errorf("KillOne: %q, %v; want an error about %s", id, err, env)
	}
	testkit.Eventually(t, "environment stopped", func() bool { s := r.Stats(); return s.Live == 0 && s.Discarded == 1 })
	if resp, _ := do(t, http.MethodPost, r.URL()+"/raw", `{}`); resp.Header.Get(lambda.HeaderCold) != "true" || resp.Header.Get(lambda.HeaderEnv) == env {
		t.Errorf("after the failed kill: cold=%s env=%s, want cold on a new environment", resp.Header.Get(lambda.HeaderCold), resp.Header.Get(lambda.HeaderEnv))
	}
	if s := r.Stats(); s.Killed != 0 || s.Crashed != 0 {
		t.Errorf("stats %+v", s)
	}
}
