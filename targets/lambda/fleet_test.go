package lambda_test

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/order"
	"github.com/coldbench/coldbench/targets/testkit"
)

// postFault sends an order request asking the function for fault (see
// X-Coldbench-Fault in the bootstrap).
func postFault(client *http.Client, url, fault string) result {
	req, err := http.NewRequest(http.MethodPost, url+order.Path, strings.NewReader(`{"item":"book","qty":1}`))
	if err != nil {
		return result{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	if fault != "" {
		req.Header.Set("X-Coldbench-Fault", fault)
	}
	resp, err := client.Do(req)
	if err != nil {
		return result{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return result{status: resp.StatusCode, body: string(b), header: resp.Header, err: err}
}

// postAllFault sends n requests asking for fault at once.
func postAllFault(url string, n int, fault string) []result {
	client := &http.Client{Timeout: 60 * time.Second}
	results := make([]result, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { <-start; results[i] = postFault(client, url, fault) })
	}
	close(start)
	wg.Wait()
	return results
}

// tally counts answers: created by cold-ness, and 429s by body.
type tally struct {
	cold, warm, provisioned int
	throttled               map[string]int
	other                   []result
}

func count(results []result) tally {
	c := tally{throttled: map[string]int{}}
	for _, res := range results {
		switch {
		case res.err == nil && res.status == http.StatusCreated && res.cold() == "true":
			c.cold++
		case res.err == nil && res.status == http.StatusCreated:
			c.warm++
		case res.err == nil && res.status == http.StatusTooManyRequests:
			c.throttled[res.body]++
		default:
			c.other = append(c.other, res)
		}
		if res.header.Get(lambda.HeaderProvisioned) == "true" {
			c.provisioned++
		}
	}
	return c
}

const (
	concurrencyThrottle = `{"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."}`
	scaleThrottle       = `{"Reason":"ConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."}`
)

func TestBurstAfterReapIsCappedAtConcurrency(t *testing.T) {
	r, _ := startRouter(t, lambda.Config{Concurrency: 10, Keepalive: 200 * time.Millisecond,
		Function: lambda.Spec{Timeout: time.Minute}}, order.Work{})
	for _, res := range postAllFault(r.URL(), 3, "sleep=200ms") {
		if res.status != http.StatusCreated {
			t.Fatalf("warm-up: %v", res)
		}
	}
	started := r.Stats().Started
	testkit.Eventually(t, "environments reaped", func() bool {
		s := r.Stats()
		return s.Live == 0 && s.Reaped == started
	})

	c := count(postAllFault(r.URL(), 25, "sleep=3s")) // held long enough for all 25 to arrive on a loaded machine
	if c.cold != 10 || c.warm != 0 || c.throttled[concurrencyThrottle] != 15 || len(c.other) != 0 {
		t.Errorf("burst: %d cold, %d warm, throttled %v, other %v; want 10 cold and 15 × 429", c.cold, c.warm, c.throttled, c.other)
	}
	if s := r.Stats(); s.Started != started+10 || s.Throttled != 15 || s.ScaleThrottled != 0 {
		t.Errorf("stats %+v", s)
	}
}

func TestProvisionedConcurrency(t *testing.T) {
	r, _ := startRouter(t, lambda.Config{Concurrency: 10, Provisioned: 5,
		Function: lambda.Spec{Timeout: time.Minute}}, order.Work{})
	if s := r.Stats(); s.Started != 5 || s.ProvisionedLive != 5 || s.ProvisionedIdle != 5 || s.Live != 5 {
		t.Fatalf("after Run: %+v", s)
	}
	for i := range 5 {
		res := mustPost(t, r)
		if res.cold() != "false" || res.fnCold() != "false" || res.header.Get(lambda.HeaderProvisioned) != "true" {
			t.Errorf("request %d: %v provisioned=%s, want warm on a provisioned environment", i, res, res.header.Get(lambda.HeaderProvisioned))
		}
		if q := res.header.Get(lambda.HeaderQueue); q == "" || strings.Trim(q, "0123456789") != "" {
			t.Errorf("%s = %q", lambda.HeaderQueue, q)
		}
	}
	results := postAllFault(r.URL(), 6, "sleep=3s")
	c := count(results)
	if c.warm != 5 || c.provisioned != 5 || c.cold != 1 || len(c.other) != 0 {
		t.Errorf("6 at once: %d warm, %d provisioned, %d cold, other %v; want 5 warm provisioned and 1 cold on-demand", c.warm, c.provisioned, c.cold, c.other)
	}
	for _, res := range results {
		if res.cold() == "true" && res.header.Get(lambda.HeaderProvisioned) != "false" {
			t.Errorf("cold start on a provisioned environment: %v", res)
		}
	}
	if s := r.Stats(); s.Started != 6 || s.ProvisionedLive != 5 || s.Live != 6 {
		t.Errorf("stats %+v", s)
	}
}

func TestFunctionCrashDiscardsEnvironment(t *testing.T) {
	for _, fault := range []string{"exit", "panic"} {
		t.Run(fault, func(t *testing.T) {
			r, _ := startRouter(t, lambda.Config{}, order.Work{})
			warm := mustPost(t, r)
			res := postFault(http.DefaultClient, r.URL(), fault)
			if res.err != nil || res.status != http.StatusBadGateway || res.env() != warm.env() {
				t.Fatalf("%s: %v, want 502 on %s", fault, res, warm.env())
			}
			next := mustPost(t, r)
			if next.cold() != "true" || next.fnCold() != "true" || next.env() == warm.env() {
				t.Errorf("after %s: %v, want cold on a new environment", fault, next)
			}
			after := mustPost(t, r)
			if after.cold() != "false" || after.env() != next.env() {
				t.Errorf("then: %v, want warm on %s", after, next.env())
			}
			testkit.Eventually(t, "crashed environment gone", func() bool { return r.Stats().Live == 1 })
			if s := r.Stats(); s.FunctionCrashes != 1 || s.InitFailures != 0 || s.Timeouts != 0 || s.Started != 2 || s.Discarded+s.Crashed != 1 {
				t.Errorf("stats %+v", s)
			}
			t.Logf("%s answered %v", fault, res)
		})
	}
}

func TestInitFailure(t *testing.T) {
	r, _ := startRouter(t, lambda.Config{}, order.Work{})
	res := postFault(http.DefaultClient, r.URL(), "exit")
	if res.err != nil || res.status != http.StatusBadGateway || res.cold() != "true" {
		t.Fatalf("first invoke with exit: %v, want a cold 502", res)
	}
	next := mustPost(t, r)
	if next.cold() != "true" || next.env() == res.env() {
		t.Errorf("after an init failure: %v, want cold on a new environment", next)
	}
	if s := r.Stats(); s.InitFailures != 1 || s.FunctionCrashes != 0 {
		t.Errorf("stats %+v", s)
	}
}

func TestScaleRateThrottles(t *testing.T) {
	r, _ := startRouter(t, lambda.Config{Concurrency: 10, ScaleRate: 2, ScaleWindow: time.Hour,
		Function: lambda.Spec{Timeout: time.Minute}}, order.Work{})
	results := postAllFault(r.URL(), 5, "sleep=1s")
	c := count(results)
	if c.cold != 2 || c.throttled[scaleThrottle] != 3 || len(c.other) != 0 {
		t.Errorf("5 at once: %d cold, throttled %v, other %v; want 2 cold and 3 throttled by the scaling rate", c.cold, c.throttled, c.other)
	}
	for _, res := range results {
		if res.status == http.StatusTooManyRequests && res.header.Get(lambda.HeaderErrorType) != "TooManyRequestsException" {
			t.Errorf("429 without TooManyRequestsException: %v", res)
		}
	}
	if s := r.Stats(); s.Started != 2 || s.ScaleThrottled != 3 || s.Throttled != 0 {
		t.Errorf("stats %+v", s)
	}
}

func TestMaxLifetimeRecyclesBusyEnvironment(t *testing.T) {
	r, _ := startRouter(t, lambda.Config{Keepalive: time.Hour, MaxLifetime: 300 * time.Millisecond}, order.Work{})
	first := mustPost(t, r)
	var next result
	testkit.Eventually(t, "environment recycled while in use", func() bool {
		next = mustPost(t, r)
		return next.env() != first.env()
	})
	if next.cold() != "true" {
		t.Errorf("after recycling: %v, want cold", next)
	}
	if s := r.Stats(); s.Recycled < 1 || s.Reaped != 0 || s.Crashed != 0 {
		t.Errorf("stats %+v", s)
	}
}

// eventLog collects a router's events.
type eventLog struct {
	mu   sync.Mutex
	list []lambda.Event
}

func (e *eventLog) add(ev lambda.Event) { e.mu.Lock(); e.list = append(e.list, ev); e.mu.Unlock() }

func (e *eventLog) get() []lambda.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.list)
}

func TestOnEvent(t *testing.T) {
	type ev struct {
		env  string
		kind lambda.EventKind
		live int
	}
	// events returns what evs holds, checking that none is provisioned or
	// untimed.
	events := func(evs *eventLog) []ev {
		var got []ev
		for _, e := range evs.get() {
			got = append(got, ev{e.Env, e.Kind, e.Live})
			if e.Provisioned || e.Time.IsZero() {
				t.Errorf("event %+v", e)
			}
		}
		return got
	}

	// An environment idle past its keepalive is reaped.
	var reaped eventLog
	r, _ := startRouter(t, lambda.Config{Keepalive: 200 * time.Millisecond, OnEvent: reaped.add}, order.Work{})
	first := mustPost(t, r)
	testkit.Eventually(t, "reaped", func() bool { return r.Stats().Reaped == 1 && r.Stats().Live == 0 })
	if got, want := events(&reaped), []ev{{first.env(), lambda.EventStarted, 1}, {first.env(), lambda.EventReaped, 0}}; !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}

	// One whose RIE is killed crashes. A keepalive far longer than
	// finding and killing the process takes, however loaded the machine,
	// so that it is not reaped first.
	var crashed eventLog
	r, _ = startRouter(t, lambda.Config{Keepalive: time.Hour, OnEvent: crashed.add}, order.Work{})
	binDir := filepath.Dir(kit.Binaries(t).RIE)
	second := mustPost(t, r)
	var rie int
	for pid, exe := range testkit.Processes(binDir) {
		if exe == kit.Binaries(t).RIE {
			rie = pid
		}
	}
	if rie == 0 {
		t.Fatal("no RIE process found")
	}
	if err := syscall.Kill(rie, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, "crash seen", func() bool { return len(crashed.get()) == 2 })
	if got, want := events(&crashed), []ev{{second.env(), lambda.EventStarted, 1}, {second.env(), lambda.EventCrashed, 0}}; !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(crashed.get()); n != 2 {
		t.Errorf("%d events after Close, want 2", n)
	}
}
