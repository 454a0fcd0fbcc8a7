package lambda

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/coldbench/coldbench/targets/internal/schedstat"
)

// Bodies of the router's own answers.
const (
	bodyThrottled = `{"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."}`
	// bodyScaleThrottled answers a request throttled by the scaling rate.
	// Lambda documents no Reason of its own for it (TooManyRequestsException
	// lists ConcurrentInvocationLimitExceeded, FunctionInvocationRateLimitExceeded,
	// ReservedFunction... and others, none about new environments), so this
	// uses ConcurrentInvocationLimitExceeded, which tells it apart from the
	// concurrency limit's ReservedFunctionConcurrentInvocationLimitExceeded.
	bodyScaleThrottled = `{"Reason":"ConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."}`
	bodyInternalError  = `{"Message":"Internal Server Error"}`
	bodyUnavailable    = `{"Message":"Service Unavailable"}`
	bodyTooLarge       = `{"Message":"Request must be smaller than 6291456 bytes for the InvokeFunction operation"}`
)

// timedOut starts the RIE's answer (a 200) to an invoke that hit the
// function timeout.
const timedOut = "Task timed out after"

// ServeHTTP invokes the function with the request as a Function URL event
// on an idle or a new environment, and relays the function's response.
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	arrived := time.Now()
	body, err := io.ReadAll(io.LimitReader(req.Body, MaxPayloadBytes+1))
	if err != nil {
		http.Error(w, "Bad Request", http.StatusBadRequest)
		return
	}
	if len(body) > MaxPayloadBytes || eventTooLarge(req, body) {
		writeJSON(w, http.StatusRequestEntityTooLarge, bodyTooLarge)
		return
	}

	e, cold, cs, res, err := r.acquire()
	h := w.Header()
	switch res {
	case throttled:
		h.Set(HeaderErrorType, "TooManyRequestsException")
		writeJSON(w, http.StatusTooManyRequests, bodyThrottled)
		return
	case scaleThrottled:
		h.Set(HeaderErrorType, "TooManyRequestsException")
		writeJSON(w, http.StatusTooManyRequests, bodyScaleThrottled)
		return
	case closing:
		h.Set(HeaderError, "router closing")
		writeJSON(w, http.StatusServiceUnavailable, bodyUnavailable)
		return
	case startFailed:
		r.countError()
		h.Set(HeaderCold, "true")
		h.Set(HeaderError, err.Error())
		writeJSON(w, http.StatusBadGateway, bodyInternalError)
		return
	}

	id := r.ids.next()
	h.Set(HeaderRequestID, id)
	h.Set(HeaderEnv, e.ID())
	if cold {
		h.Set(HeaderCold, "true")
		h.Set(HeaderSandbox, strconv.FormatInt(cs.sandbox.Microseconds(), 10))
		h.Set(HeaderPlatform, strconv.FormatInt(cs.platform.Microseconds(), 10))
		if cs.pool != "" {
			h.Set(HeaderPool, string(cs.pool))
		}
	} else {
		h.Set(HeaderCold, "false")
	}
	if e.provisioned {
		h.Set(HeaderProvisioned, "true")
	} else {
		h.Set(HeaderProvisioned, "false")
	}

	r.invocations.Add(1)
	acct, accounted := e.Environment.(Accounted)
	var before schedstat.Usage
	if accounted {
		var err error
		if before, err = acct.Usage(); err != nil {
			accounted = false
		}
	}
	resp, sent, err := r.invoke(e, id, newEvent(req, body, id, time.Now()))
	returned := time.Now()
	h.Set(HeaderQueue, strconv.FormatInt((sent.Sub(arrived)-cs.sandbox-cs.platform).Microseconds(), 10))
	h.Set(HeaderInvoke, strconv.FormatInt(returned.Sub(sent).Microseconds(), 10))
	invokeWait := time.Duration(-1) // not measured
	if accounted {
		invokeWait = setHostWait(h, acct, before, returned.Sub(sent), cold && cs.pool != PoolHit, cs.sandbox)
	}
	if err != nil {
		o := crashError
		var ie *invokeError
		if errors.As(err, &ie) && ie.timedOut() {
			o = timedOutError
		}
		r.release(e, o)
		r.countError()
		if t := ie.initError(); cold && t != "" && initFailed(e.Environment) {
			// The runtime failed its INIT and posted why: Lambda answers
			// with that error, and the environment is replaced.
			h.Set(HeaderError, "init error: "+t)
			writeJSON(w, http.StatusBadGateway, string(bytes.TrimSpace(ie.body)))
			return
		}
		h.Set(HeaderError, err.Error())
		writeJSON(w, http.StatusBadGateway, bodyInternalError)
		return
	}
	if cold {
		r.setInit(resp, e.Environment, invokeWait, returned.Sub(sent))
	}
	if resp.fnError != "" {
		r.release(e, functionError)
		r.countError()
	} else {
		r.release(e, invokeOK)
	}
	resp.write(w)
}

// setHostWait sets HeaderHostWait: how long the environment waited for a
// CPU over an invoke of length wall, from before (read as it was sent) to
// now. When the sandbox was started for this request (started), its
// threads' accounting up to before is all of that start's, of length
// sandbox, and adds HeaderSandboxWait. It returns the wait over the
// invoke alone, or -1 if it could not be read.
func setHostWait(h http.Header, acct Accounted, before schedstat.Usage, wall time.Duration, started bool, sandbox time.Duration) time.Duration {
	after, err := acct.Usage()
	if err != nil {
		return -1
	}
	invoke := schedstat.HostWait(after.Sub(before), wall)
	wait := invoke
	if started {
		sw := schedstat.HostWait(before.Sub(schedstat.Usage{}), sandbox)
		h.Set(HeaderSandboxWait, strconv.FormatInt(sw.Microseconds(), 10))
		wait += sw
	}
	h.Set(HeaderHostWait, strconv.FormatInt(wait.Microseconds(), 10))
	return invoke
}

// initReportWait bounds how long a cold start's answer waits for the
// RIE's INIT REPORT when it has not been read yet. The RIE logs it before
// the invoke runs, so it has come by the answer but for the copying of
// the output, which in a container passes through the engine.
const initReportWait = 50 * time.Millisecond

// setInit sets HeaderInit on the answer to a cold start of e from the
// RIE's INIT REPORT, over what the function set, if anything: one
// definition of INIT for every function, the one Lambda's Init Duration
// has. With invokeWait, the host wait over the first invoke, of length
// wall, which holds the INIT (-1: not measured), it sets HeaderInitWait
// too, by one rule for every function: the invoke's wait shared between
// the INIT and the rest in proportion to their lengths.
func (r *Router) setInit(resp *response, e Environment, invokeWait, wall time.Duration) {
	ir, ok := e.(InitReported)
	if !ok {
		return
	}
	rep, ok := ir.InitReport(0)
	if !ok {
		r.initLate.Add(1)
		if rep, ok = ir.InitReport(initReportWait); !ok {
			r.initMissing.Add(1)
			return
		}
	}
	d := rep.Duration
	if resp.headers == nil {
		resp.headers = map[string]string{}
	}
	resp.headers[HeaderInit] = strconv.FormatInt(d.Microseconds(), 10)
	delete(resp.headers, HeaderInitWait)
	if invokeWait >= 0 && wall > 0 {
		share := time.Duration(float64(invokeWait) * min(float64(d)/float64(wall), 1))
		resp.headers[HeaderInitWait] = strconv.FormatInt(share.Microseconds(), 10)
	}
}

// invoke sends ev to e and says when it sent it. An error means e is
// broken: the RIE failed, the function crashed or timed out. A function
// error is a response.
func (r *Router) invoke(e *env, id string, ev *event) (resp *response, sent time.Time, err error) {
	payload, err := json.Marshal(ev)
	if err != nil {
		return nil, time.Now(), err
	}
	req, err := http.NewRequest(http.MethodPost, e.InvokeURL(), bytes.NewReader(payload))
	if err != nil {
		return nil, time.Now(), err
	}
	req.Header[HeaderRequestID] = []string{id}
	req.Header["Content-Type"] = []string{"application/json"}

	sent = time.Now()
	resp, err = r.send(req)
	return resp, sent, err
}

// send sends an invoke and reads the RIE's answer.
func (r *Router) send(req *http.Request) (*response, error) {
	hr, err := r.client.Do(req)
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(io.LimitReader(hr.Body, maxResponseBytes+1))
	hr.Body.Close()
	switch {
	case err != nil:
		return nil, err
	case hr.StatusCode != http.StatusOK:
		return nil, &invokeError{status: hr.StatusCode, body: out}
	case len(out) >= len(timedOut) && string(out[:len(timedOut)]) == timedOut:
		return nil, &invokeError{status: hr.StatusCode, body: out}
	case len(out) > maxResponseBytes: // the RIE answers a function error first
		return nil, errors.New("function response larger than 6 MB")
	}
	resp, err := parseResponse(out)
	if err != nil {
		resp = malformedResponse(err)
	}
	return &resp, nil
}

func (r *Router) countError() { r.errors.Add(1) }

// invokeError is an invoke the RIE answered with a failure.
type invokeError struct {
	status int
	body   []byte
}

func (e *invokeError) Error() string {
	b := e.body
	if len(b) > 200 {
		b = b[:200]
	}
	return "RIE answered " + strconv.Itoa(e.status) + ": " + string(bytes.TrimSpace(b))
}

// initFailed reports whether e's RIE logged that its runtime failed INIT.
// The invoke has failed already, so it waits longer than a success does
// (initFailedWait) for the line that says why, which a busy machine
// copies late.
func initFailed(e Environment) bool {
	ir, ok := e.(InitReported)
	if !ok {
		return false
	}
	r, ok := ir.InitReport(initFailedWait)
	return ok && r.Failed
}

// initFailedWait bounds how long a failed cold start waits for the RIE's
// INIT report, to answer with the runtime's error rather than a bare 502.
const initFailedWait = 500 * time.Millisecond

// initError returns the errorType of the error the runtime posted to
// /runtime/init/error, which the RIE answers the invoke with (a 502), or
// "" if e is not that.
func (e *invokeError) initError() string {
	if e == nil || e.status != http.StatusBadGateway {
		return ""
	}
	var body struct {
		ErrorType string `json:"errorType"`
	}
	if json.Unmarshal(e.body, &body) != nil {
		return ""
	}
	return body.ErrorType
}

// timedOut reports whether the RIE answered that the function timed out.
func (e *invokeError) timedOut() bool { return bytes.HasPrefix(e.body, []byte(timedOut)) }

func writeJSON(w http.ResponseWriter, status int, body string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// requestIDs makes unique request ids shaped like UUIDs: a random prefix
// per router and a counter.
type requestIDs struct {
	prefix [8]byte
	n      atomic.Uint64
}

func (g *requestIDs) next() string {
	var raw [16]byte
	copy(raw[:8], g.prefix[:])
	n := g.n.Add(1)
	for i := range 8 {
		raw[15-i] = byte(n >> (8 * i))
	}
	var s [36]byte
	hex.Encode(s[0:8], raw[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], raw[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], raw[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], raw[8:10])
	s[23] = '-'
	hex.Encode(s[24:36], raw[10:16])
	return string(s[:])
}
