package attack_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/attack"
	"github.com/coldbench/coldbench/bench/scenario"
)

// arrived is what a test server saw of one request.
type arrived struct {
	method, uri, body, mark, custom, ctype string
}

// recorder returns a handler that records what arrives, in arrival order.
func recorder(mu *sync.Mutex, seen *[]arrived) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		*seen = append(*seen, arrived{r.Method, r.RequestURI, string(b), r.Header.Get("X-Mark"), r.Header.Get("X-Custom"), r.Header.Get("Content-Type")})
		mu.Unlock()
	})
}

// TestRunRequestsInTurn checks, at an in-process server (a unit test; see
// TestRequestsReachTargets for the real targets), that Run sends its
// requests in turn, each marked, and leaves the requests' headers as they
// were.
func TestRunRequestsInTurn(t *testing.T) {
	var (
		mu   sync.Mutex
		seen []arrived
	)
	srv := httptest.NewServer(recorder(&mu, &seen))
	defer srv.Close()
	reqs := []scenario.Request{
		{Method: "GET", Path: "/a", Header: http.Header{"X-Custom": {"one"}}},
		{Method: "POST", Path: "/b", Body: []byte("two")}, // no headers at all
		{Method: "PUT", Path: "/c?x=1&y=two", Header: http.Header{"X-Custom": {"three"}}, Body: []byte("3")},
	}
	// One worker: each request leaves after the one before was answered,
	// so they arrive in the order they were handed out.
	phases := []scenario.Phase{{Name: "p", Duration: 400 * time.Millisecond, Shape: scenario.Constant, Rate: 25, Workers: 1}}
	mark := func(n uint64, h http.Header) { h.Set("X-Mark", strconv.FormatUint(n, 10)) }
	var results int
	err := attack.Run(context.Background(), "t", srv.URL, phases, time.Now(), func(_ int, r *vegeta.Result, _ time.Time) {
		results++
		if r.Error != "" {
			t.Errorf("result %+v", r)
		}
	}, attack.Options{Requests: reqs, Mark: mark})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) < 6 || len(seen) != results {
		t.Fatalf("server saw %d requests, sink %d; want the same, at least 6", len(seen), results)
	}
	for i, a := range seen {
		r := reqs[i%len(reqs)]
		want := arrived{r.Method, r.Path, string(r.Body), strconv.Itoa(i), r.Header.Get("X-Custom"), ""}
		if a != want {
			t.Errorf("request %d: got %+v, want %+v", i, a, want)
		}
	}
	for _, r := range reqs {
		if r.Header.Get("X-Mark") != "" {
			t.Errorf("Mark changed the headers of request %s %s: %v", r.Method, r.Path, r.Header)
		}
	}
}

// TestRunDefaultRequest checks that without requests Run sends the order
// of scenario.DefaultRequest, as JSON.
func TestRunDefaultRequest(t *testing.T) {
	var (
		mu   sync.Mutex
		seen []arrived
	)
	srv := httptest.NewServer(recorder(&mu, &seen))
	defer srv.Close()
	phases := []scenario.Phase{{Name: "p", Duration: 100 * time.Millisecond, Shape: scenario.Constant, Rate: 20}}
	if err := attack.Run(context.Background(), "t", srv.URL, phases, time.Now(), func(int, *vegeta.Result, time.Time) {}, attack.Options{}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) == 0 {
		t.Fatal("nothing sent")
	}
	for _, a := range seen {
		if want := (arrived{method: "POST", uri: "/order", body: scenario.DefaultBody, ctype: "application/json"}); a != want {
			t.Errorf("got %+v, want %+v", a, want)
		}
	}
}

// TestNewRequest checks that a request built alone is the one Run sends.
func TestNewRequest(t *testing.T) {
	r := scenario.Request{Method: "PATCH", Path: "/p?q=1", Header: http.Header{"X-Custom": {"yes"}, "Host": {"fn.example"}}, Body: []byte("b")}
	req, err := attack.NewRequest(context.Background(), "http://127.0.0.1:9", r)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(req.Body)
	if req.Method != "PATCH" || req.URL.String() != "http://127.0.0.1:9/p?q=1" || req.Host != "fn.example" ||
		req.Header.Get("X-Custom") != "yes" || string(b) != "b" || req.Context() == nil {
		t.Errorf("NewRequest = %+v", req)
	}
}
