package lambda

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestNewEvent(t *testing.T) {
	r := httptest.NewRequest("POST", "http://fn.example/order/a%20b?x=1&x=2&y=z", strings.NewReader(""))
	r.RemoteAddr = "10.1.2.3:4567"
	r.Header.Set("User-Agent", "vegeta")
	r.Header.Add("Accept", "a")
	r.Header.Add("Accept", "b")
	r.Header.Add("Cookie", "s=1; t=2")
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

	ev := newEvent(r, []byte(`{"item":1}`), "req-1", now)
	if ev.Version != "2.0" || ev.RouteKey != "$default" {
		t.Errorf("version %q routeKey %q", ev.Version, ev.RouteKey)
	}
	if ev.RawPath != "/order/a%20b" || ev.RequestContext.HTTP.Path != "/order/a b" || ev.RawQueryString != "x=1&x=2&y=z" {
		t.Errorf("rawPath %q path %q rawQueryString %q", ev.RawPath, ev.RequestContext.HTTP.Path, ev.RawQueryString)
	}
	if want := map[string]string{"x": "1,2", "y": "z"}; !reflect.DeepEqual(ev.QueryStringParameters, want) {
		t.Errorf("queryStringParameters %v", ev.QueryStringParameters)
	}
	if want := []string{"s=1", "t=2"}; !reflect.DeepEqual(ev.Cookies, want) {
		t.Errorf("cookies %q", ev.Cookies)
	}
	if ev.Headers["accept"] != "a,b" || ev.Headers["user-agent"] != "vegeta" || ev.Headers["host"] != "fn.example" {
		t.Errorf("headers %v", ev.Headers)
	}
	if _, ok := ev.Headers["cookie"]; ok {
		t.Error("cookie header not moved to cookies")
	}
	h := ev.RequestContext.HTTP
	if h.Method != "POST" || h.SourceIP != "10.1.2.3" || h.UserAgent != "vegeta" || h.Protocol != "HTTP/1.1" {
		t.Errorf("requestContext.http %+v", h)
	}
	rc := ev.RequestContext
	if rc.RequestID != "req-1" || rc.TimeEpoch != now.UnixMilli() || rc.Time != "26/Nov/2026:10:00:00 +0000" {
		t.Errorf("requestContext %+v", rc)
	}
	if ev.Body != `{"item":1}` || ev.IsBase64Encoded {
		t.Errorf("body %q base64 %v", ev.Body, ev.IsBase64Encoded)
	}

	bin := []byte{0xff, 0x00, 0xfe}
	ev = newEvent(httptest.NewRequest("POST", "/", nil), bin, "req-2", now)
	if !ev.IsBase64Encoded || ev.Body != base64.StdEncoding.EncodeToString(bin) {
		t.Errorf("binary body %q base64 %v", ev.Body, ev.IsBase64Encoded)
	}
	if ev.QueryStringParameters != nil || ev.Cookies != nil {
		t.Errorf("empty query/cookies not omitted")
	}
}

func TestParseResponse(t *testing.T) {
	for _, tc := range []struct {
		name, payload string
		status        int
		body          string
		ctype         string
		cookies       []string
		fnError       bool
	}{
		{"structured", `{"statusCode":201,"headers":{"Content-Type":"text/plain"},"body":"Order created!"}`, 201, "Order created!", "text/plain", nil, false},
		{"base64", `{"statusCode":200,"body":"AP8=","isBase64Encoded":true,"cookies":["a=1","b=2"]}`, 200, "\x00\xff", "", []string{"a=1", "b=2"}, false},
		{"no statusCode", `{"hello":"world"}`, 200, `{"hello":"world"}`, "application/json", nil, false},
		{"string", `"hi"`, 200, `"hi"`, "application/json", nil, false},
		{"null", `null`, 200, `null`, "application/json", nil, false},
		{"function error", `{"errorMessage":"boom","errorType":"errorString"}`, 502, bodyInternalError, "application/json", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := parseResponse([]byte(tc.payload))
			if err != nil {
				t.Fatal(err)
			}
			if (resp.fnError != "") != tc.fnError {
				t.Errorf("fnError %q", resp.fnError)
			}
			w := httptest.NewRecorder()
			resp.write(w)
			if w.Code != tc.status || w.Body.String() != tc.body {
				t.Errorf("got %d %q, want %d %q", w.Code, w.Body.String(), tc.status, tc.body)
			}
			if ct := w.Header().Get("Content-Type"); tc.ctype != "" && ct != tc.ctype {
				t.Errorf("Content-Type %q, want %q", ct, tc.ctype)
			}
			if got := w.Header().Values("Set-Cookie"); !reflect.DeepEqual(got, tc.cookies) && len(got)+len(tc.cookies) > 0 {
				t.Errorf("Set-Cookie %q, want %q", got, tc.cookies)
			}
		})
	}
	if _, err := parseResponse([]byte(`{"statusCode":200,"body":"!!","isBase64Encoded":true}`)); err == nil {
		t.Error("bad base64 body: no error")
	}
	if _, err := parseResponse([]byte(`{"statusCode":`)); err == nil {
		t.Error("broken JSON: no error")
	}
}

func TestRequestIDs(t *testing.T) {
	var g requestIDs
	copy(g.prefix[:], "\x01\x02\x03\x04\x05\x06\x07\x08")
	a, b := g.next(), g.next()
	if a == b || len(a) != 36 || a != "01020304-0506-0708-0000-000000000001" {
		t.Errorf("ids %q %q", a, b)
	}
}

func TestWriteJSON(t *testing.T) {
	w := httptest.NewRecorder()
	writeJSON(w, http.StatusTooManyRequests, bodyThrottled)
	if w.Code != 429 || !bytes.Contains(w.Body.Bytes(), []byte("ReservedFunctionConcurrentInvocationLimitExceeded")) {
		t.Errorf("%d %q", w.Code, w.Body.String())
	}
}
