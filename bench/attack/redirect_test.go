package attack_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/attack"
	"github.com/coldbench/coldbench/bench/scenario"
)

// TestRunFollowsNoRedirectToAnotherHost checks, at in-process servers (a
// unit test), that a redirect to the same host is followed and one to
// another host is kept as the answer: load goes only to the host named.
func TestRunFollowsNoRedirectToAnotherHost(t *testing.T) {
	var elsewhere, home atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, other.URL+"/x", http.StatusFound)
		case "/here":
			http.Redirect(w, r, "/done", http.StatusFound)
		default:
			home.Add(1)
		}
	}))
	defer srv.Close()
	phases := []scenario.Phase{{Name: "p", Duration: 200 * time.Millisecond, Shape: scenario.Constant, Rate: 20, Workers: 1}}
	codes := map[uint16]int{}
	err := attack.Run(context.Background(), "t", srv.URL, phases, time.Now(), func(_ int, r *vegeta.Result, _ time.Time) {
		codes[r.Code]++
	}, attack.Options{Requests: []scenario.Request{{Method: "GET", Path: "/away"}, {Method: "GET", Path: "/here"}}})
	if err != nil {
		t.Fatal(err)
	}
	if elsewhere.Load() != 0 {
		t.Errorf("the other host got %d requests, want none", elsewhere.Load())
	}
	if codes[http.StatusFound] == 0 || codes[http.StatusOK] == 0 || int64(codes[http.StatusOK]) != home.Load() {
		t.Errorf("codes %v, %d requests at /done: want 302 for /away and 200 for /here, followed", codes, home.Load())
	}
}
