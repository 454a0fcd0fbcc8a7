package function

import (
	"context"
	"encoding/base64"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/coldbench/coldbench/targets/fault"
	"github.com/coldbench/coldbench/targets/internal/schedstat"
	"github.com/coldbench/coldbench/targets/order"
)

// Headers of package targets/lambda (HeaderFunctionCold, HeaderInit,
// HeaderInitWait), repeated so that the function does not link the router.
const (
	headerFunctionCold = "X-Coldbench-Function-Cold"
	headerInit         = "X-Coldbench-Init-Us"
	headerInitWait     = "X-Coldbench-Init-Wait-Us"
)

// function is the Lambda handler and the state of its process.
type function struct {
	work    order.Work
	started time.Time   // when the process entered main
	served  atomic.Bool // whether this process has served an invocation

	exit func(code int)         // os.Exit: the exit fault calls it
	held atomic.Pointer[[]byte] // the alloc fault's memory, until the next invocation
}

func newFunction(work order.Work, started time.Time) *function {
	return &function{work: work, started: started, exit: os.Exit}
}

// injectFault does what the request's fault header asks for, if anything,
// and keeps the memory it allocated until the next invocation, after this
// one's response was sent. It returns the error of a malformed header.
func (f *function) injectFault(req *events.LambdaFunctionURLRequest) error {
	f.held.Store(nil)
	v := req.Headers[faultHeader]
	if v == "" {
		return nil
	}
	flt, err := fault.Parse(v)
	if err != nil {
		return err
	}
	if held := doFault(flt, f.exit); held != nil {
		f.held.Store(&held)
	}
	return nil
}

// fromEvent is the application's Request of a Function URL event: its
// method, path (rawPath, else requestContext.http.path), raw query string,
// query parameters, headers (lower-cased, as delivered, with the cookies
// joined back into a cookie header) and body, base64-decoded if it is so
// encoded.
func fromEvent(req *events.LambdaFunctionURLRequest) order.Request {
	r := order.Request{
		Method: req.RequestContext.HTTP.Method,
		Path:   req.RawPath,
		Query:  req.RawQueryString,
		Params: req.QueryStringParameters,
		Header: make(map[string]string, len(req.Headers)+1),
		Body:   []byte(req.Body),
	}
	if r.Path == "" {
		r.Path = req.RequestContext.HTTP.Path
	}
	for k, v := range req.Headers {
		r.Header[strings.ToLower(k)] = v
	}
	if len(req.Cookies) > 0 {
		r.Header["cookie"] = strings.Join(req.Cookies, "; ")
	}
	if req.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(req.Body)
		if err != nil {
			b = nil // not base64: not a JSON object either
		}
		r.Body = b
	}
	return r
}

// Invoke serves one Function URL request.
func (f *function) Invoke(_ context.Context, req events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error) {
	cold, initUs, waitUs := "false", "", ""
	if !f.served.Swap(true) {
		// The INIT phase ends when the runtime first asks for an event:
		// from main to here is runtime start-up, init work and that ask.
		// Every thread of this process was born in it, so their whole
		// accounting is INIT's: the part of it spent waiting for a CPU the
		// machine gave to something else is its host wait.
		init := time.Since(f.started)
		cold, initUs = "true", strconv.FormatInt(init.Microseconds(), 10)
		if u, err := schedstat.Self(); err == nil {
			waitUs = strconv.FormatInt(schedstat.HostWait(u.Sub(schedstat.Usage{}), init).Microseconds(), 10)
		}
	}
	if err := f.injectFault(&req); err != nil {
		return events.LambdaFunctionURLResponse{
			StatusCode: http.StatusBadRequest,
			Headers:    map[string]string{"Content-Type": order.TextPlain, headerFunctionCold: cold},
			Body:       "Bad Request: X-Coldbench-Fault: " + err.Error(),
		}, nil
	}
	status, ctype, resp := f.work.Serve(fromEvent(&req))
	headers := map[string]string{
		"Content-Type":     ctype,
		headerFunctionCold: cold,
	}
	if initUs != "" {
		headers[headerInit] = initUs
	}
	if waitUs != "" {
		headers[headerInitWait] = waitUs
	}
	if status == http.StatusMethodNotAllowed {
		headers["Allow"] = http.MethodPost
	}
	return events.LambdaFunctionURLResponse{StatusCode: status, Headers: headers, Body: resp}, nil
}
