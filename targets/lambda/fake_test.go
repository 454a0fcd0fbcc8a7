package lambda_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/coldbench/coldbench/targets/lambda"
)

// fakeProvider starts fake environments: an httptest server standing in for
// the RIE, answering as the RIE does for the event's rawPath.
type fakeProvider struct {
	mu      sync.Mutex
	started []*fakeEnv
}

var _ lambda.Provider = (*fakeProvider)(nil)

func (p *fakeProvider) Name() string { return "fake" }

func (p *fakeProvider) Start(_ context.Context, spec lambda.Spec) (lambda.Environment, error) {
	e := &fakeEnv{id: spec.ID, done: make(chan struct{})}
	e.srv = httptest.NewServer(http.HandlerFunc(e.invoke))
	p.mu.Lock()
	p.started = append(p.started, e)
	p.mu.Unlock()
	return e, nil
}

type fakeEnv struct {
	id   string
	srv  *httptest.Server
	once sync.Once
	done chan struct{}
}

func (e *fakeEnv) ID() string            { return e.id }
func (e *fakeEnv) InvokeURL() string     { return e.srv.URL + "/2015-03-31/functions/function/invocations" }
func (e *fakeEnv) Done() <-chan struct{} { return e.done }
func (e *fakeEnv) Stop(context.Context) error {
	e.once.Do(func() { e.srv.Close(); close(e.done) })
	return nil
}

func (e *fakeEnv) invoke(w http.ResponseWriter, r *http.Request) {
	var ev events.LambdaFunctionURLRequest
	if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	switch ev.RawPath {
	case "/echo": // the event and the invoke's request id, as the body
		b, _ := json.Marshal(map[string]any{"event": ev, "rid": r.Header.Get("X-Amzn-RequestId")})
		json.NewEncoder(w).Encode(events.LambdaFunctionURLResponse{
			StatusCode: 200, Body: string(b), Cookies: []string{"c=1"},
			Headers: map[string]string{"Content-Type": "application/json", lambda.HeaderFunctionCold: "false"},
		})
	case "/_coldbench/warmup": // a provisioned environment's INIT
		io.WriteString(w, `{"statusCode":404,"body":"Not Found"}`)
	case "/raw":
		io.WriteString(w, `{"hello":"world"}`)
	case "/error":
		io.WriteString(w, `{"errorMessage":"boom","errorType":"errorString"}`)
	case "/crash":
		w.WriteHeader(502)
		io.WriteString(w, `{"errorType":"Runtime.ExitError","errorMessage":"exit status 2"}`)
	case "/timeout":
		io.WriteString(w, "Task timed out after 3.00 seconds")
	default:
		http.Error(w, "unexpected path", 500)
	}
}

func do(t *testing.T, method, url, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestRouterWithFakeEnvironments(t *testing.T) {
	p := &fakeProvider{}
	r, err := lambda.Run(context.Background(), p, lambda.Config{Concurrency: 1})
	t.Cleanup(func() { r.Close(context.Background()) })
	if err != nil {
		t.Fatal(err)
	}

	resp, body := do(t, "POST", r.URL()+"/echo?q=1", `{"a":1}`)
	if resp.StatusCode != 200 || resp.Header.Get(lambda.HeaderCold) != "true" || resp.Header.Get(lambda.HeaderEnv) != "env-1" {
		t.Fatalf("echo: %d %v %q", resp.StatusCode, resp.Header, body)
	}
	if resp.Header.Get(lambda.HeaderPlatform) == "" || resp.Header.Get("Set-Cookie") != "c=1" {
		t.Errorf("headers %v", resp.Header)
	}
	var echo struct {
		Event events.LambdaFunctionURLRequest `json:"event"`
		RID   string                          `json:"rid"`
	}
	if err := json.Unmarshal([]byte(body), &echo); err != nil {
		t.Fatal(err)
	}
	if echo.RID == "" || echo.RID != resp.Header.Get(lambda.HeaderRequestID) || echo.Event.RequestContext.RequestID != echo.RID {
		t.Errorf("request ids: header %q, invoke %q, event %q", resp.Header.Get(lambda.HeaderRequestID), echo.RID, echo.Event.RequestContext.RequestID)
	}
	if echo.Event.Body != `{"a":1}` || echo.Event.RawQueryString != "q=1" || echo.Event.RequestContext.HTTP.Method != "POST" {
		t.Errorf("event %+v", echo.Event)
	}

	resp, body = do(t, "GET", r.URL()+"/raw", "")
	if resp.StatusCode != 200 || body != `{"hello":"world"}` || resp.Header.Get(lambda.HeaderCold) != "false" {
		t.Errorf("raw: %d %q %v", resp.StatusCode, body, resp.Header)
	}

	// A function error is a 502 but the environment stays.
	resp, body = do(t, "GET", r.URL()+"/error", "")
	if resp.StatusCode != 502 || body != `{"Message":"Internal Server Error"}` || resp.Header.Get(lambda.HeaderEnv) != "env-1" {
		t.Errorf("error: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	resp, _ = do(t, "GET", r.URL()+"/raw", "")
	if resp.Header.Get(lambda.HeaderEnv) != "env-1" || resp.Header.Get(lambda.HeaderCold) != "false" {
		t.Errorf("after a function error: %v", resp.Header)
	}

	// A crash or a timeout discards the environment.
	for i, path := range []string{"/crash", "/timeout"} {
		resp, body = do(t, "GET", r.URL()+path, "")
		if resp.StatusCode != 502 || body != `{"Message":"Internal Server Error"}` || resp.Header.Get(lambda.HeaderError) == "" {
			t.Errorf("%s: %d %q %v", path, resp.StatusCode, body, resp.Header)
		}
		resp, _ = do(t, "GET", r.URL()+"/raw", "")
		if want := []string{"env-2", "env-3"}[i]; resp.StatusCode != 200 || resp.Header.Get(lambda.HeaderEnv) != want || resp.Header.Get(lambda.HeaderCold) != "true" {
			t.Errorf("after %s: %d %v, want a cold %s", path, resp.StatusCode, resp.Header, want)
		}
	}

	s := r.Stats()
	if s.Started != 3 || s.Discarded != 2 || s.Invocations != 8 || s.Errors != 3 || s.Crashed != 0 || s.Busy != 0 ||
		s.FunctionErrors != 1 || s.FunctionCrashes != 1 || s.Timeouts != 1 || s.InitFailures != 0 {
		t.Errorf("stats %+v", s)
	}
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, e := range p.started {
		select {
		case <-e.Done():
		default:
			t.Errorf("%s not stopped by Close", e.ID())
		}
	}
	if s := r.Stats(); s.Live != 0 {
		t.Errorf("after Close: %+v", s)
	}
}

func TestRouterThrottlesWithFakeEnvironments(t *testing.T) {
	block := make(chan struct{})
	p := &blockingProvider{block: block}
	r, err := lambda.Run(context.Background(), p, lambda.Config{Concurrency: 1, Keepalive: time.Hour})
	t.Cleanup(func() { r.Close(context.Background()) })
	if err != nil {
		t.Fatal(err)
	}
	first := make(chan int, 1)
	go func() {
		resp, err := http.Post(r.URL()+"/", "text/plain", nil)
		if err != nil {
			first <- 0
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	deadline := time.Now().Add(10 * time.Second)
	for r.Stats().Busy != 1 {
		if time.Now().After(deadline) {
			t.Fatal("first request never got busy")
		}
		time.Sleep(time.Millisecond)
	}
	resp, body := do(t, "POST", r.URL()+"/", "")
	if resp.StatusCode != 429 || resp.Header.Get(lambda.HeaderErrorType) != "TooManyRequestsException" ||
		body != `{"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."}` {
		t.Errorf("throttled: %d %v %q", resp.StatusCode, resp.Header, body)
	}
	close(block)
	if status := <-first; status != 200 {
		t.Errorf("first request: %d", status)
	}
	if s := r.Stats(); s.Throttled != 1 || s.Started != 1 {
		t.Errorf("stats %+v", s)
	}
}

// blockingProvider's environments answer once block is closed.
type blockingProvider struct{ block chan struct{} }

func (p *blockingProvider) Name() string { return "blocking" }

func (p *blockingProvider) Start(_ context.Context, spec lambda.Spec) (lambda.Environment, error) {
	e := &fakeEnv{id: spec.ID, done: make(chan struct{})}
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-p.block
		io.WriteString(w, `{"statusCode":200,"body":"ok"}`)
	}))
	return e, nil
}
