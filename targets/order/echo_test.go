package order_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/order"
)

func TestHandleEcho(t *testing.T) {
	r := order.Request{Method: "PUT", Path: "/echo/x", Query: "a=1", Params: map[string]string{"a": "1"},
		Header: map[string]string{"x-custom": "yes"}, Body: []byte("hi")}
	status, ctype, body := order.Handle(r)
	if status != 200 || ctype != order.ApplicationJSON {
		t.Fatalf("got %d %s %s", status, ctype, body)
	}
	var e order.Echo
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatal(err)
	}
	want := order.Echo{Method: "PUT", Path: "/echo/x", Query: "a=1", Params: map[string]string{"a": "1"}, Headers: map[string]string{"x-custom": "yes"}, Body: "hi"}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("got %+v, want %+v", e, want)
	}
	for path, status := range map[string]int{"/echo": 200, "/echo/": 200, "/echoes": 404, "/x/echo": 404} {
		if got, _, _ := order.Handle(order.Request{Method: "GET", Path: path}); got != status {
			t.Errorf("GET %s: %d, want %d", path, got, status)
		}
	}
}

// TestServeWorksOnRoutes checks that the echo route does the request work
// and wait as an order does, and that what the application refuses does
// neither.
func TestServeWorksOnRoutes(t *testing.T) {
	w := order.Work{Wait: 30 * time.Millisecond}
	for _, tc := range []struct {
		r     order.Request
		waits bool
	}{
		{order.Request{Method: "GET", Path: "/echo/a"}, true},
		{order.Request{Method: "DELETE", Path: "/echo"}, true},
		{order.Request{Method: "GET", Path: order.Path}, false},
		{order.Request{Method: "POST", Path: "/nope"}, false},
	} {
		start := time.Now()
		w.Serve(tc.r)
		if waited := time.Since(start) >= w.Wait; waited != tc.waits {
			t.Errorf("%s %s: waited %v, want %v", tc.r.Method, tc.r.Path, waited, tc.waits)
		}
	}
}

// TestHandlerEcho checks what the server's handler reads of a request, in
// the shapes a Function URL event gives them.
func TestHandlerEcho(t *testing.T) {
	srv := httptest.NewServer(order.Handler(order.Work{}))
	defer srv.Close()
	req, err := http.NewRequest("PATCH", srv.URL+"/echo/a%20b?x=1&x=2&y=z", strings.NewReader(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header["X-Custom"] = []string{"yes", "again"}
	req.Header["Cookie"] = []string{"s=1", "t=2"}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e order.Echo
	if err := json.Unmarshal(b, &e); resp.StatusCode != 200 || err != nil {
		t.Fatalf("%d %s (%v)", resp.StatusCode, b, err)
	}
	if e.Method != "PATCH" || e.Path != "/echo/a%20b" || e.Query != "x=1&x=2&y=z" || e.Body != `{"a":1}` ||
		!reflect.DeepEqual(e.Params, map[string]string{"x": "1,2", "y": "z"}) {
		t.Errorf("echo %+v", e)
	}
	if h := e.Headers; h["x-custom"] != "yes,again" || h["cookie"] != "s=1; t=2" || h["host"] != strings.TrimPrefix(srv.URL, "http://") {
		t.Errorf("headers %v", h)
	}
}
