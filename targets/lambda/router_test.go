package lambda_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/process"
	"github.com/coldbench/coldbench/targets/order"
	"github.com/coldbench/coldbench/targets/testkit"
)

// startRouter runs a router over real RIE processes. Cleanup closes it and
// checks that no RIE or bootstrap process is left, whatever the test did.
func startRouter(t *testing.T, cfg lambda.Config, work order.Work) (*lambda.Router, *testkit.Buffer) {
	t.Helper()
	b := kit.Binaries(t)
	work.Rate = workRate
	cfg.Function.Env = work.EnvMap()
	return runRouter(t, b.RIE, b.Bootstrap, cfg)
}

// runRouter runs a router over real RIE processes running bootstrap.
// Cleanup closes it and checks that no process of the folders of rie and
// bootstrap is left, whatever the test did.
func runRouter(t *testing.T, rie, bootstrap string, cfg lambda.Config) (*lambda.Router, *testkit.Buffer) {
	t.Helper()
	out := &testkit.Buffer{}
	r, err := lambda.Run(context.Background(), process.New(rie, bootstrap, process.WithOutput(out)), cfg)
	t.Cleanup(func() {
		closeAndCheck(t, r, rie, bootstrap)
		if t.Failed() {
			t.Logf("environments' output:\n%s", out.String())
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return r, out
}

// closeAndCheck closes r, if not nil, and checks that nothing is live and
// that no process of the folders of rie and bootstrap is left.
func closeAndCheck(t *testing.T, r *lambda.Router, rie, bootstrap string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if r != nil {
		if err := r.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
		if s := r.Stats(); s.Live != 0 || s.Busy != 0 {
			t.Errorf("after Close: %+v", s)
		}
	}
	for _, dir := range []string{filepath.Dir(rie), filepath.Dir(bootstrap)} {
		if left := testkit.Processes(dir); len(left) > 0 {
			t.Errorf("processes left after Close: %v", left)
		}
	}
}

// result is one answer of the router.
type result struct {
	status int
	body   string
	header http.Header
	err    error
}

func (r result) cold() string   { return r.header.Get(lambda.HeaderCold) }
func (r result) fnCold() string { return r.header.Get(lambda.HeaderFunctionCold) }
func (r result) env() string    { return r.header.Get(lambda.HeaderEnv) }

func (r result) String() string {
	return fmt.Sprintf("%d %q cold=%s fnCold=%s env=%s error=%q err=%v", r.status, r.body,
		r.cold(), r.fnCold(), r.env(), r.header.Get(lambda.HeaderError), r.err)
}

func post(client *http.Client, url string) result {
	resp, err := client.Post(url+order.Path, "application/json", strings.NewReader(`{"item":"book","qty":1}`))
	if err != nil {
		return result{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return result{status: resp.StatusCode, body: string(b), header: resp.Header, err: err}
}

// postAll sends n order requests at once.
func postAll(url string, n int) []result {
	client := &http.Client{Timeout: 60 * time.Second}
	results := make([]result, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { <-start; results[i] = post(client, url) })
	}
	close(start)
	wg.Wait()
	return results
}

func mustPost(t *testing.T, r *lambda.Router) result {
	t.Helper()
	res := post(http.DefaultClient, r.URL())
	if res.err != nil || res.status != http.StatusCreated || res.body != order.Created {
		t.Fatalf("POST /order: %v", res)
	}
	return res
}

func TestColdThenWarm(t *testing.T) {
	r, out := startRouter(t, lambda.Config{}, order.Work{})

	first := mustPost(t, r)
	if first.cold() != "true" || first.fnCold() != "true" || first.env() == "" {
		t.Errorf("first request: %v, want cold in router and function", first)
	}
	if us := first.header.Get(lambda.HeaderSandbox); us == "" || strings.Trim(us, "0123456789") != "" {
		t.Errorf("%s = %q on a cold start", lambda.HeaderSandbox, us)
	}
	second := mustPost(t, r)
	if second.cold() != "false" || second.fnCold() != "false" || second.env() != first.env() {
		t.Errorf("second request: %v, want warm on %s", second, first.env())
	}
	if second.header.Get(lambda.HeaderSandbox) != "" {
		t.Errorf("%s on a warm start", lambda.HeaderSandbox)
	}
	if s := r.Stats(); s.Started != 1 || s.Invocations != 2 || s.Live != 1 || s.Idle != 1 {
		t.Errorf("stats %+v", s)
	}
	// The request id ties the response to the RIE's REPORT line.
	rid := second.header.Get(lambda.HeaderRequestID)
	testkit.Eventually(t, "REPORT line of "+rid, func() bool {
		return strings.Contains(out.String(), "["+second.env()+"] REPORT RequestId: "+rid)
	})
}

func TestBusyEnvironmentStartsAnother(t *testing.T) {
	// Long work and a long timeout, so that the first request is surely
	// still busy when the second arrives, even on a loaded machine.
	r, _ := startRouter(t, lambda.Config{Function: lambda.Spec{Timeout: time.Minute}},
		order.Work{Request: time.Second})
	warm := mustPost(t, r) // env-1 is idle now

	results := make(chan result, 2)
	client := &http.Client{Timeout: time.Minute}
	go func() { results <- post(client, r.URL()) }()
	testkit.Eventually(t, "first request busy", func() bool { return r.Stats().Busy == 1 })
	go func() { results <- post(client, r.URL()) }()

	envs := map[string]string{}
	for range 2 {
		res := <-results
		if res.err != nil || res.status != http.StatusCreated {
			t.Fatalf("concurrent request: %v", res)
		}
		envs[res.env()] = res.cold()
		if res.cold() != res.fnCold() {
			t.Errorf("router and function disagree: %v", res)
		}
	}
	if len(envs) != 2 || envs[warm.env()] != "false" {
		t.Errorf("two concurrent requests on %v, want %s warm and a new cold one", envs, warm.env())
	}
	if s := r.Stats(); s.Started != 2 || s.PeakBusy != 2 || s.Live != 2 {
		t.Errorf("stats %+v", s)
	}
}

func TestThrottle(t *testing.T) {
	// The two served requests stay busy for a while (longer on a loaded
	// machine), so the three others find both environments busy.
	r, _ := startRouter(t, lambda.Config{Concurrency: 2, Function: lambda.Spec{Timeout: time.Minute}},
		order.Work{Request: 500 * time.Millisecond})

	results := postAll(r.URL(), 5)
	var served, throttled int
	for _, res := range results {
		switch {
		case res.err != nil:
			t.Errorf("request failed: %v", res.err)
		case res.status == http.StatusCreated:
			served++
		case res.status == http.StatusTooManyRequests:
			throttled++
			if got := res.header.Get(lambda.HeaderErrorType); got != "TooManyRequestsException" {
				t.Errorf("429 with %s %q", lambda.HeaderErrorType, got)
			}
			want := `{"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."}`
			if res.body != want || res.header.Get("Content-Type") != "application/json" {
				t.Errorf("429 body %q, Content-Type %q", res.body, res.header.Get("Content-Type"))
			}
		default:
			t.Errorf("unexpected answer: %v", res)
		}
	}
	if served != 2 || throttled != 3 {
		t.Errorf("served %d, throttled %d; want 2 and 3: %v", served, throttled, results)
	}
	if s := r.Stats(); s.Started != 2 || s.Throttled != 3 || s.PeakLive != 2 {
		t.Errorf("stats %+v", s)
	}
}

func TestKeepaliveReaps(t *testing.T) {
	r, _ := startRouter(t, lambda.Config{Keepalive: 200 * time.Millisecond}, order.Work{})
	binDir := filepath.Dir(kit.Binaries(t).RIE)

	first := mustPost(t, r)
	testkit.Eventually(t, "environment reaped", func() bool {
		s := r.Stats()
		return s.Reaped == 1 && s.Live == 0
	})
	testkit.Eventually(t, "reaped environment's processes gone", func() bool { return len(testkit.Processes(binDir)) == 0 })

	next := mustPost(t, r)
	if next.cold() != "true" || next.fnCold() != "true" || next.env() == first.env() {
		t.Errorf("after reaping: %v, want cold on a new environment", next)
	}
	if s := r.Stats(); s.Crashed != 0 || s.Started != 2 {
		t.Errorf("stats %+v", s)
	}
}

func TestKilledEnvironmentIsReplaced(t *testing.T) {
	r, _ := startRouter(t, lambda.Config{}, order.Work{})
	b := kit.Binaries(t)

	first := mustPost(t, r)
	var rie int
	for pid, exe := range testkit.Processes(filepath.Dir(b.RIE)) {
		if exe == b.RIE {
			rie = pid
		}
	}
	if rie == 0 {
		t.Fatal("no RIE process found")
	}
	if err := syscall.Kill(rie, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, "killed environment dropped", func() bool {
		s := r.Stats()
		return s.Crashed == 1 && s.Live == 0
	})
	testkit.Eventually(t, "killed environment's bootstrap gone", func() bool { return len(testkit.Processes(filepath.Dir(b.RIE))) == 0 })

	next := mustPost(t, r)
	if next.cold() != "true" || next.fnCold() != "true" || next.env() == first.env() {
		t.Errorf("after the kill: %v, want cold on a new environment", next)
	}
}

func TestTimeoutDiscardsEnvironment(t *testing.T) {
	r, _ := startRouter(t, lambda.Config{Function: lambda.Spec{Timeout: time.Second}},
		order.Work{Request: 10 * time.Second}) // far beyond the timeout, even on a loaded machine

	res := post(http.DefaultClient, r.URL())
	if res.err != nil || res.status != http.StatusBadGateway || res.body != `{"Message":"Internal Server Error"}` {
		t.Fatalf("timed-out request: %v", res)
	}
	if !strings.Contains(res.header.Get(lambda.HeaderError), "Task timed out after 1.00 seconds") {
		t.Errorf("%s = %q", lambda.HeaderError, res.header.Get(lambda.HeaderError))
	}
	testkit.Eventually(t, "timed-out environment discarded", func() bool {
		s := r.Stats()
		return s.Discarded == 1 && s.Live == 0 && s.Crashed == 0
	})
}

func TestCloseStopsEverything(t *testing.T) {
	r, _ := startRouter(t, lambda.Config{}, order.Work{Request: 100 * time.Millisecond})
	b := kit.Binaries(t)
	for _, res := range postAll(r.URL(), 3) {
		if res.status != http.StatusCreated {
			t.Fatalf("request: %v", res)
		}
	}
	if n := len(testkit.Processes(filepath.Dir(b.RIE))); n < 4 {
		t.Errorf("%d processes for %d environments, want an RIE and a bootstrap each", n, r.Stats().Live)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := r.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if left := testkit.Processes(filepath.Dir(b.RIE)); len(left) > 0 {
		t.Errorf("processes left after Close: %v", left)
	}
	if res := post(http.DefaultClient, r.URL()); res.err == nil {
		t.Errorf("router still answers after Close: %v", res)
	}
}
