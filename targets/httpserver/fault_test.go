package httpserver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/fault"
	"github.com/coldbench/coldbench/targets/order"
)

// serveFault sends an order with the fault header value v (none if empty)
// to the server's handler.
func serveFault(v string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, order.Path, strings.NewReader(`{"item":1}`))
	if v != "" {
		req.Header.Set(fault.Header, v)
	}
	rec := httptest.NewRecorder()
	withFaults(order.Handler(order.Work{})).ServeHTTP(rec, req)
	return rec
}

func TestFaultSleep(t *testing.T) {
	t0 := time.Now()
	rec := serveFault("sleep=30ms")
	if d := time.Since(t0); d < 30*time.Millisecond {
		t.Errorf("sleep=30ms answered after %v", d)
	}
	if rec.Code != http.StatusCreated || rec.Body.String() != order.Created {
		t.Errorf("sleep=30ms: %d %q, want 201 %q", rec.Code, rec.Body, order.Created)
	}
	if rec := serveFault(""); rec.Code != http.StatusCreated {
		t.Errorf("no fault: %d", rec.Code)
	}
}

func TestFaultNotObeyed(t *testing.T) {
	for _, v := range []string{"exit", "panic", "alloc=1", "sleep=1ms,exit", "sleep=soon", "crash"} {
		rec := serveFault(v)
		if rec.Code != http.StatusBadRequest || !strings.HasPrefix(rec.Body.String(), "Bad Request: "+fault.Header+": ") {
			t.Errorf("%s: %d %q, want 400", v, rec.Code, rec.Body)
		}
	}
}
