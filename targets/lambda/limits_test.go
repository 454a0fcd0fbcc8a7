package lambda

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestParseResponseNotJSON(t *testing.T) {
	for _, payload := range []string{"hello", "", "  ", `"unterminated`, `{"statusCode":200,"body":"x"`} {
		if _, err := parseResponse([]byte(payload)); err == nil {
			t.Errorf("%q: no error", payload)
		}
	}
	resp := malformedResponse(errTest("boom"))
	w := httptest.NewRecorder()
	resp.write(w)
	if w.Code != 502 || w.Body.String() != bodyInternalError || resp.fnError == "" ||
		!strings.Contains(w.Header().Get(HeaderError), "malformed response: boom") {
		t.Errorf("malformed response: %d %q %v", w.Code, w.Body.String(), w.Header())
	}
}

type errTest string

func (e errTest) Error() string { return string(e) }

func TestEventTooLarge(t *testing.T) {
	req := httptest.NewRequest("POST", "http://127.0.0.1/order?q=1", nil)
	req.Header.Set("X-Some", strings.Repeat("v", MaxHeaderBytes))
	for _, tc := range []struct {
		name string
		body string
		want bool
	}{
		{"empty", "", false},
		{"at the fast path's bound, all escaped", strings.Repeat("\x01", smallBody), false},
		{"text just under the limit", strings.Repeat("a", MaxPayloadBytes-64<<10), false},
		{"text at the limit", strings.Repeat("a", MaxPayloadBytes), true},
		{"text escaped beyond the limit", strings.Repeat("<", MaxPayloadBytes/2), true},
		{"binary, base64 beyond the limit", strings.Repeat("\xff", MaxPayloadBytes*4/5), true},
		{"binary within it", strings.Repeat("\xff", MaxPayloadBytes/2), false},
	} {
		if got := eventTooLarge(req, []byte(tc.body)); got != tc.want {
			t.Errorf("%s (%d bytes): %v, want %v", tc.name, len(tc.body), got, tc.want)
		}
	}
	// The fast path is sound: the largest event of a body of smallBody
	// bytes, all escaped, with headers filling what net/http lets in, all
	// escaped too, fits.
	worst := httptest.NewRequest("POST", "http://127.0.0.1/"+strings.Repeat("%3C", 1000)+"?q="+strings.Repeat("%3C", 1000), nil)
	worst.Header.Set("X-Some", strings.Repeat("<", MaxHeaderBytes+4096-6000))
	payload, err := json.Marshal(newEvent(worst, []byte(strings.Repeat("\x01", smallBody)), placeholderID, time.Now()))
	if err != nil || len(payload) > MaxPayloadBytes {
		t.Errorf("the worst event of a %d-byte body: %d bytes (%v), beyond %d", smallBody, len(payload), err, MaxPayloadBytes)
	}
}
