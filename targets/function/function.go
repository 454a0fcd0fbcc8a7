package function

import (
	"context"
	"encoding/base64"
	"net/http"
	"os"
	"strings"
	"sync/atomic"

	"github.com/aws/aws-lambda-go/events"

	"github.com/coldbench/coldbench/targets/fault"
	"github.com/coldbench/coldbench/targets/order"
)

// headerFunctionCold is package targets/lambda's HeaderFunctionCold,
// repeated so that the function does not link the router.
const headerFunctionCold = "X-Coldbench-Function-Cold"

// function is the Lambda handler and the state of its process.
type function struct {
	work   order.Work
	served atomic.Bool // whether this process has served an invocation

	exit func(code int)         // os.Exit: the exit fault calls it
	held atomic.Pointer[[]byte] // the alloc fault's memory, until the next invocation
}

func newFunction(work order.Work) *function {
	return &function{work: work, exit: os.Exit}
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

// Invoke serves one Function URL request. Its INIT, and the INIT's host
// wait, are the router's to say, from the RIE's INIT REPORT
// (lambda.HeaderInit), as for any function.
func (f *function) Invoke(_ context.Context, req events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error) {
	cold := "false"
	if !f.served.Swap(true) {
		cold = "true"
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
	if status == http.StatusMethodNotAllowed {
		headers["Allow"] = http.MethodPost
	}
	return events.LambdaFunctionURLResponse{StatusCode: status, Headers: headers, Body: resp}, nil
}
