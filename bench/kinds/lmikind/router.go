package lmikind

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// HeaderEnvs is, on every response, how many environments were serving
// when the request was sent, and HeaderInFlight how many requests they
// held with it: together they show one environment taking several.
const (
	HeaderEnvs     = "X-Coldbench-Lmi-Envs"
	HeaderInFlight = "X-Coldbench-Lmi-In-Flight"
)

// router plays the Lambda service in front of the fleet: a request goes,
// as a Function URL event (payload 2.0), to the environment with the most
// free slots; with none free it is throttled (429), as Lambda Managed
// Instances throttle. An environment that refuses it (the RIE's 400
// Runtime.Unavailable: its runtime had not polled again yet) is tried
// again, after a millisecond, up to tries times.
type router struct {
	f      *fleet
	client *http.Client
}

func (r *router) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	payload, err := json.Marshal(event(req, body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	for try := range tries {
		if try > 0 {
			time.Sleep(time.Millisecond)
		}
		e, envs, inFlight := r.f.take(time.Now())
		if e == nil {
			w.Header().Set("X-Amzn-ErrorType", "TooManyRequestsException")
			http.Error(w, `{"Message":"Rate Exceeded."}`, http.StatusTooManyRequests)
			return
		}
		resp, err := r.client.Post(e.e.InvokeURL(), "application/json", bytes.NewReader(payload))
		var out []byte
		if err == nil {
			out, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		r.f.release(e, time.Now())
		switch {
		case err != nil:
			http.Error(w, `{"Message":"Internal Server Error"}`, http.StatusBadGateway)
			return
		case resp.StatusCode == http.StatusBadRequest && strings.Contains(string(out), "Runtime.Unavailable"):
			r.f.refused()
			continue
		case resp.StatusCode != http.StatusOK:
			http.Error(w, `{"Message":"Internal Server Error"}`, http.StatusBadGateway)
			return
		}
		w.Header().Set(HeaderEnvs, fmt.Sprint(envs))
		w.Header().Set(HeaderInFlight, fmt.Sprint(inFlight))
		answer(w, out)
		return
	}
	r.f.throttle()
	w.Header().Set("X-Amzn-ErrorType", "TooManyRequestsException")
	http.Error(w, `{"Message":"Rate Exceeded."}`, http.StatusTooManyRequests)
}

// tries bounds the sends of one request that environments refuse.
const tries = 3

// throttle counts a request throttled after its tries.
func (f *fleet) throttle() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts.throttled++
}

// refused counts an invoke an environment refused, retried.
func (f *fleet) refused() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts.refused++
}

// event is req as a Function URL event.
func event(req *http.Request, body []byte) events.LambdaFunctionURLRequest {
	h := map[string]string{}
	for k, v := range req.Header {
		h[strings.ToLower(k)] = strings.Join(v, ",")
	}
	ev := events.LambdaFunctionURLRequest{
		Version: "2.0", RawPath: req.URL.EscapedPath(), RawQueryString: req.URL.RawQuery, Headers: h,
		RequestContext: events.LambdaFunctionURLRequestContext{
			RequestID: fmt.Sprintf("%d", time.Now().UnixNano()),
			HTTP:      events.LambdaFunctionURLRequestContextHTTPDescription{Method: req.Method, Path: req.URL.Path, Protocol: req.Proto},
		},
	}
	if utf8.Valid(body) {
		ev.Body = string(body)
	} else {
		ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
	}
	return ev
}

// answer writes a function's Function URL response out.
func answer(w http.ResponseWriter, out []byte) {
	var resp events.LambdaFunctionURLResponse
	if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode == 0 {
		// A response that is not the payload 2.0 format is the body.
		w.Header().Set("Content-Type", "application/json")
		w.Write(out)
		return
	}
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		if b, err := base64.StdEncoding.DecodeString(resp.Body); err == nil {
			body = b
		}
	}
	w.WriteHeader(resp.StatusCode)
	w.Write(body)
}
