package lambda_test

// Tests of the router against hostile input, with real RIEs: requests
// beyond Lambda's limits, functions that answer garbage or too much, slow
// clients and connections that never send a request. Each checks that the
// fleet keeps serving and that no environment is taken or lost for nothing.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/order"
)

// Lambda's answers, as the router gives them.
const (
	wantTooLarge      = `{"Message":"Request must be smaller than 6291456 bytes for the InvokeFunction operation"}`
	wantInternalError = `{"Message":"Internal Server Error"}`
)

// postBody POSTs body to url with the given extra headers.
func postBody(t *testing.T, url string, body []byte, header http.Header) result {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	client := &http.Client{Timeout: time.Minute}
	resp, err := client.Do(req)
	if err != nil {
		return result{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return result{status: resp.StatusCode, body: string(b), header: resp.Header, err: err}
}

// checkStats fails t unless the counters named in want have those values.
func checkStats(t *testing.T, r *lambda.Router, want map[string]int) {
	t.Helper()
	s := r.Stats()
	got := map[string]int{
		"Started": s.Started, "Live": s.Live, "Busy": s.Busy, "Invocations": s.Invocations,
		"Discarded": s.Discarded, "Crashed": s.Crashed, "FunctionErrors": s.FunctionErrors,
		"FunctionCrashes": s.FunctionCrashes, "PeakBusy": s.PeakBusy, "Errors": s.Errors,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("Stats.%s = %d, want %d (%+v)", k, got[k], v, s)
		}
	}
}

func TestHostileBodyTooLarge(t *testing.T) {
	r, _ := startRouter(t, lambda.Config{}, order.Work{})

	// One byte beyond the limit, and far beyond it: Lambda's 413, before
	// any environment is taken.
	for _, n := range []int{lambda.MaxPayloadBytes + 1, 8 << 20} {
		res := postBody(t, r.URL()+order.Path, bytes.Repeat([]byte{'{'}, n), nil)
		if res.err != nil || res.status != http.StatusRequestEntityTooLarge || res.body != wantTooLarge ||
			res.header.Get("Content-Type") != "application/json" {
			t.Errorf("%d-byte body: %v", n, res)
		}
	}
	// A binary body under the limit whose event is not: Function URLs
	// base64-encode it, and the limit is on the invoke payload.
	binary := bytes.Repeat([]byte{0xff}, 5<<20)
	if res := postBody(t, r.URL()+order.Path, binary, nil); res.err != nil ||
		res.status != http.StatusRequestEntityTooLarge || res.body != wantTooLarge {
		t.Errorf("5 MiB binary body (a 6.7 MB event): %v", res)
	}
	checkStats(t, r, map[string]int{"Started": 0, "Live": 0, "Busy": 0, "Invocations": 0})

	// The fleet serves the next request, on one new environment.
	mustPost(t, r)
	mustPost(t, r)
	checkStats(t, r, map[string]int{"Started": 1, "Live": 1, "Busy": 0, "Invocations": 2, "Errors": 0})
}

func TestHostileHeadersTooLarge(t *testing.T) {
	r, _ := startRouter(t, lambda.Config{}, order.Work{})
	url := r.URL() + order.Path
	body := []byte(`{"item":"book"}`)

	// Within the limit: served.
	if res := postBody(t, url, body, http.Header{"X-Big": {strings.Repeat("a", 8<<10)}}); res.status != http.StatusCreated {
		t.Errorf("8 KiB header: %v", res)
	}
	// One header far beyond it, or many small ones: 431.
	many := http.Header{}
	for i := range 2000 {
		many["X-H"+strconv.Itoa(i)] = []string{"v"}
	}
	for name, h := range map[string]http.Header{
		"one 64 KiB header":  {"X-Big": {strings.Repeat("a", 64<<10)}},
		"2000 small headers": many,
	} {
		res := postBody(t, url, body, h)
		if res.err != nil || res.status != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("%s: %v", name, res)
		}
	}
	checkStats(t, r, map[string]int{"Started": 1, "Invocations": 1, "Busy": 0})
	mustPost(t, r)
	checkStats(t, r, map[string]int{"Started": 1, "Invocations": 2, "Busy": 0, "Errors": 0})
}

// buildFunction builds the test function of testdata/hostilefn as a static
// bootstrap in a temporary folder and returns its path.
func buildFunction(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "bootstrap")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-tags", "lambda.norpc", "-o", out, "./testdata/hostilefn")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building testdata/hostilefn: %v\n%s", err, b)
	}
	return out
}

// startHostileFunction runs a router over real RIE processes running the
// test function of testdata/hostilefn. Cleanup closes it and checks that no
// process is left.
func startHostileFunction(t *testing.T, cfg lambda.Config) *lambda.Router {
	t.Helper()
	r, _ := runRouter(t, kit.Binaries(t).RIE, buildFunction(t), cfg)
	return r
}

func TestHostileFunctionResponses(t *testing.T) {
	r := startHostileFunction(t, lambda.Config{Function: lambda.Spec{Timeout: time.Minute}})
	get := func(path string) result {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, r.URL()+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
		if err != nil {
			return result{err: err}
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return result{status: resp.StatusCode, body: string(b), header: resp.Header, err: err}
	}
	env := get("/ok")
	if env.status != http.StatusOK || env.body != "ok" || env.cold() != "true" {
		t.Fatalf("/ok: %v", env)
	}
	// limit is Lambda's limit on a response payload: 6 MiB and 100 bytes.
	const limit = lambda.MaxPayloadBytes + 100
	envelope := len(`{"statusCode":200,"body":""}`)
	for _, tc := range []struct {
		path   string
		status int
		body   string // "" for a body of n 'a's
		n      int
		// replaced: the function's runtime exits after this invoke, so
		// the next request is cold on a new environment.
		replaced bool
	}{
		// Documented: valid JSON without a statusCode is a 200 with the
		// JSON as body.
		{path: "/string", status: http.StatusOK, body: `"Hello, world!"`},
		// Not valid JSON: a 502, as for a function error.
		{path: "/malformed", status: http.StatusBadGateway, body: wantInternalError},
		{path: "/notjson", status: http.StatusBadGateway, body: wantInternalError},
		// A response payload at Lambda's limit is served.
		{path: "/big?bytes=" + strconv.Itoa(limit), status: http.StatusOK, n: limit - envelope},
		// One byte more is Function.ResponseSizeTooLarge, a 502; the
		// Runtime API refuses the response with 413, and aws-lambda-go
		// exits on that.
		{path: "/big?bytes=" + strconv.Itoa(limit+1), status: http.StatusBadGateway, body: wantInternalError, replaced: true},
		{path: "/big?bytes=" + strconv.Itoa(8<<20), status: http.StatusBadGateway, body: wantInternalError, replaced: true},
	} {
		res := get(tc.path)
		want := tc.body
		if want == "" {
			want = strings.Repeat("a", tc.n)
		}
		if res.err != nil || res.status != tc.status || res.body != want {
			res.body = fmt.Sprintf("%.80s... (%d bytes)", res.body, len(res.body))
			t.Errorf("%s: %v, want %d", tc.path, res, tc.status)
		}
		if tc.replaced && !strings.Contains(res.header.Get(lambda.HeaderError), "Function.ResponseSizeTooLarge") {
			t.Errorf("%s: %s = %q, want Lambda's Function.ResponseSizeTooLarge", tc.path, lambda.HeaderError, res.header.Get(lambda.HeaderError))
		}
		// The environment survives unless its runtime exited: the
		// runtime answered, whatever it answered.
		next := get("/ok")
		if next.status != http.StatusOK || (next.env() != env.env()) != tc.replaced || next.cold() != strconv.FormatBool(tc.replaced) {
			t.Errorf("after %s: %v, want the request on %s, replaced %v", tc.path, next, env.env(), tc.replaced)
		}
		env = next
	}
	awaitLive(t, r, 1) // a discarded environment leaves the fleet once its process has exited
	checkStats(t, r, map[string]int{"Started": 3, "Live": 1, "Busy": 0, "Discarded": 2, "Crashed": 0,
		"FunctionCrashes": 2, "FunctionErrors": 2, "Errors": 4})
}

// awaitLive waits until r has n live environments: environments it
// stopped are counted until their processes exit, which happens in the
// background. It gives up after a minute, and checkStats then says what
// is left.
func awaitLive(t *testing.T, r *lambda.Router, n int) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); r.Stats().Live != n && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
}

// dial opens a TCP connection to the router at url.
func dial(t *testing.T, url string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", strings.TrimPrefix(url, "http://"), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// dribble writes s to c one byte at a time, pausing before each byte.
func dribble(c net.Conn, s string, pause time.Duration) error {
	for i := range len(s) {
		time.Sleep(pause)
		if _, err := c.Write([]byte{s[i]}); err != nil {
			return err
		}
	}
	return nil
}

func TestHostileSlowClients(t *testing.T) {
	r, _ := startRouter(t, lambda.Config{}, order.Work{})
	const slow = 20
	body := `{"item":"book","qty":1}`
	head := "POST " + order.Path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n"

	// Half the slow clients dribble their headers, half their body, a
	// byte every 20 ms, all but the last byte, which they send once the
	// normal requests have been served.
	finish := make(chan struct{})
	answers := make(chan string, slow)
	var wg sync.WaitGroup
	for i := range slow {
		c := dial(t, r.URL())
		wg.Go(func() {
			req, err := head+body, error(nil)
			if i%2 == 1 {
				_, err = io.WriteString(c, head)
				req = body
			}
			if err == nil {
				err = dribble(c, req[:len(req)-1], 20*time.Millisecond)
			}
			<-finish
			if err == nil {
				_, err = io.WriteString(c, req[len(req)-1:])
			}
			if err != nil {
				answers <- "writing: " + err.Error()
				return
			}
			c.SetReadDeadline(time.Now().Add(time.Minute))
			b := make([]byte, 12)
			n, err := io.ReadFull(c, b)
			answers <- fmt.Sprintf("%s %v", b[:n], err)
		})
	}
	for range 10 {
		mustPost(t, r)
		if s := r.Stats(); s.Busy != 0 {
			t.Errorf("Busy = %d between requests, with %d slow clients", s.Busy, slow)
		}
	}
	// The slow clients took no environment: the normal requests, one at
	// a time, all ran on one.
	checkStats(t, r, map[string]int{"Started": 1, "PeakBusy": 1, "Invocations": 10})

	// Once their requests are whole, the slow clients are served too.
	close(finish)
	wg.Wait()
	close(answers)
	for a := range answers {
		if a != "HTTP/1.1 201 <nil>" {
			t.Errorf("slow client's answer: %q", a)
		}
	}
	checkStats(t, r, map[string]int{"Invocations": 10 + slow, "Busy": 0, "Errors": 0})
}

func TestHostileIdleConnections(t *testing.T) {
	r, _ := startRouter(t, lambda.Config{}, order.Work{})
	const idle = 500
	conns := make([]net.Conn, idle)
	for i := range conns {
		conns[i] = dial(t, r.URL())
	}
	// The router serves others meanwhile, and starts nothing for them.
	for range 3 {
		mustPost(t, r)
	}
	checkStats(t, r, map[string]int{"Started": 1, "Live": 1, "Busy": 0, "Invocations": 3})

	// The router closes them: ReadHeaderTimeout (10 s) after they
	// connected, well within this generous deadline.
	deadline := time.Now().Add(time.Minute)
	var open int
	for _, c := range conns {
		c.SetReadDeadline(deadline)
		if _, err := c.Read(make([]byte, 1)); isTimeout(err) {
			open++
		}
	}
	if open > 0 {
		t.Errorf("%d of %d idle connections still open after a minute", open, idle)
	}
	mustPost(t, r)
	checkStats(t, r, map[string]int{"Started": 1, "Invocations": 4, "Errors": 0})
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
