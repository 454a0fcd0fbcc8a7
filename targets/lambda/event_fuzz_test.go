package lambda

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// The fuzz tests of the router's side of payload format 2.0: an HTTP
// request turned into a Function URL event (newEvent), and what a function
// returned turned into an HTTP response (parseResponse, write). They check
// that neither panics, and that what they produce survives its round trip:
// the event marshalled and unmarshalled, the response written as HTTP,
// turned back into a function response and written again.

// FuzzNewEvent reads data as a raw HTTP/1.1 request.
func FuzzNewEvent(f *testing.F) {
	for _, s := range []string{
		"POST /order HTTP/1.1\r\nHost: fn.example\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{\"item\":1}",
		"POST /order/a%20b?x=1&x=2&y=z HTTP/1.1\r\nHost: fn.example\r\nUser-Agent: vegeta\r\nAccept: a\r\nAccept: b\r\nCookie: s=1; t=2\r\nContent-Length: 0\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n\xff\x00\xfe",
		"GET /order?q HTTP/1.0\r\n\r\n",
		"POST /order HTTP/1.1\r\nHost: x\r\nX-Coldbench-Fault: sleep=1ms\r\nCookie: ;;a=b;\r\nCookie: c=d\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{}\n\r\n0\r\n\r\n",
		"PUT http://other.example:8080/p;x?a=%zz HTTP/1.1\r\nHost: other.example:8080\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n",
	} {
		f.Add([]byte(s), "10.1.2.3:4567")
	}
	f.Add([]byte("POST /order HTTP/1.1\r\nHost: h\r\n\r\n"), "[::1]:80")
	f.Add([]byte("POST /order HTTP/1.1\r\nHost: h\r\n\r\n"), "@unix")
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte, remoteAddr string) {
		r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(data)))
		if err != nil {
			return // not a request the router's HTTP server would take
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, MaxPayloadBytes))
		if err != nil {
			return
		}
		r.RemoteAddr = remoteAddr
		ev := newEvent(r, body, "req-1", now)

		if ev.Version != "2.0" || ev.RouteKey != "$default" || ev.RequestContext.HTTP.Method != r.Method {
			t.Errorf("version %q routeKey %q method %q", ev.Version, ev.RouteKey, ev.RequestContext.HTTP.Method)
		}
		for k := range ev.Headers {
			if k != strings.ToLower(k) {
				t.Errorf("header %q not lower-cased", k)
			}
		}
		if _, ok := ev.Headers["cookie"]; ok {
			t.Error("the cookie header was not moved to cookies")
		}
		got := []byte(ev.Body)
		if ev.IsBase64Encoded {
			if got, err = base64.StdEncoding.DecodeString(ev.Body); err != nil {
				t.Fatalf("body flagged base64 is not: %v", err)
			}
		}
		if !bytes.Equal(got, body) {
			t.Errorf("body %q, want %q", got, body)
		}

		// What the router sends the RIE, and what the function reads.
		payload, err := json.Marshal(ev)
		if err != nil {
			t.Fatalf("the event does not marshal: %v", err)
		}
		var back event
		if err := json.Unmarshal(payload, &back); err != nil {
			t.Fatalf("the event does not unmarshal: %v\n%s", err, payload)
		}
		want := asJSONCarries(*ev)
		if !reflect.DeepEqual(back, want) {
			t.Errorf("marshal round trip changed the event:\n got %+v\nwant %+v", back, want)
		}
		var fn events.LambdaFunctionURLRequest
		if err := json.Unmarshal(payload, &fn); err != nil || !reflect.DeepEqual(fn, want.LambdaFunctionURLRequest) {
			t.Errorf("the function reads another event (%v):\n got %+v\nwant %+v", err, fn, want.LambdaFunctionURLRequest)
		}
	})
}

// asJSONCarries returns ev as JSON carries it: every byte of a string that
// is not UTF-8 becomes U+FFFD, as encoding/json writes it (payload 2.0 has
// no other way for header values, query parameters or the path, whose raw
// forms rawPath and rawQueryString are ASCII and keep every byte), and
// empty query parameters or cookies (such as those of the query string
// %zz) are left out, nil once unmarshalled.
func asJSONCarries(ev event) event {
	ev.RawPath, ev.RawQueryString = jsonString(ev.RawPath), jsonString(ev.RawQueryString)
	ev.Headers, ev.QueryStringParameters = jsonMap(ev.Headers), jsonMap(ev.QueryStringParameters)
	var cookies []string
	for _, c := range ev.Cookies {
		cookies = append(cookies, jsonString(c))
	}
	ev.Cookies = cookies
	rc := &ev.RequestContext
	rc.DomainName = jsonString(rc.DomainName)
	h := &rc.HTTP
	h.Method, h.Path, h.Protocol = jsonString(h.Method), jsonString(h.Path), jsonString(h.Protocol)
	h.SourceIP, h.UserAgent = jsonString(h.SourceIP), jsonString(h.UserAgent)
	return ev
}

// jsonString returns s with each byte that is not part of UTF-8 replaced
// by U+FFFD.
func jsonString(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r) // ranging yields U+FFFD for each invalid byte
	}
	return b.String()
}

// jsonMap returns m with its keys and values as jsonString writes them;
// where two keys become one, the later in encoding/json's (sorted) order
// wins, as when the JSON is unmarshalled. An empty m is nil.
func jsonMap(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out[jsonString(k)] = jsonString(m[k])
	}
	return out
}

// FuzzParseResponse reads data as the payload a function returned.
func FuzzParseResponse(f *testing.F) {
	for _, s := range []string{
		`{"statusCode":201,"headers":{"Content-Type":"text/plain"},"body":"Order created!"}`,
		`{"statusCode":200,"body":"AP8=","isBase64Encoded":true,"cookies":["a=1","b=2"]}`,
		`{"hello":"world"}`, `"hi"`, `null`, `[1,2]`, ` {"statusCode":404} `, ``,
		`{"errorMessage":"boom","errorType":"errorString"}`, `{"errorMessage":"boom"}`,
		`{"statusCode":200,"body":"!!","isBase64Encoded":true}`, `{"statusCode":`,
		`{"statusCode":204,"headers":{"a":"1","A":"2"},"multiValueHeaders":{"x":["1"]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		resp, err := parseResponse(payload)
		if err != nil {
			return // the router answers 502 and replaces the environment
		}
		if resp.fnError != "" && resp.status != http.StatusBadGateway {
			t.Errorf("function error %q with status %d", resp.fnError, resp.status)
		}
		first := httptest.NewRecorder()
		resp.write(first)

		// The response as HTTP, turned back into what a function returns.
		again, err := parseResponse(functionURLResponse(t, first))
		if err != nil {
			t.Fatalf("the response written back does not parse: %v", err)
		}
		second := httptest.NewRecorder()
		again.write(second)
		if first.Code != second.Code || !bytes.Equal(first.Body.Bytes(), second.Body.Bytes()) ||
			!reflect.DeepEqual(first.Header(), second.Header()) {
			t.Errorf("round trip changed the response:\n got %d %v %q\nwant %d %v %q",
				second.Code, second.Header(), second.Body, first.Code, first.Header(), first.Body)
		}
	})
}

// functionURLResponse returns the response w recorded as the JSON a
// function would return for it: Set-Cookie as cookies, other headers
// joined by commas, a body that is not UTF-8 in base64.
func functionURLResponse(t *testing.T, w *httptest.ResponseRecorder) []byte {
	t.Helper()
	fr := events.LambdaFunctionURLResponse{StatusCode: w.Code, Headers: map[string]string{}}
	for k, vs := range w.Header() {
		if k == "Set-Cookie" {
			fr.Cookies = vs
			continue
		}
		fr.Headers[k] = strings.Join(vs, ",")
	}
	if body := w.Body.Bytes(); utf8.Valid(body) {
		fr.Body = string(body)
	} else {
		fr.Body, fr.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
	}
	b, err := json.Marshal(fr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestParseResponseInvalidStatus checks what FuzzParseResponse found: a
// statusCode that is not a final HTTP status is a function error (502),
// not a panic of net/http's WriteHeader or a 1xx taken as informational.
func TestParseResponseInvalidStatus(t *testing.T) {
	for _, code := range []string{"1", "-200", "99", "100", "199", "600", "1000"} {
		resp, err := parseResponse([]byte(`{"statusCode":` + code + `,"body":"x"}`))
		if err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		resp.write(w)
		if w.Code != http.StatusBadGateway || !strings.Contains(w.Header().Get(HeaderError), "invalid statusCode "+code) {
			t.Errorf("statusCode %s: %d, %s %q", code, w.Code, HeaderError, w.Header().Get(HeaderError))
		}
	}
}
