package main

import (
	"context"
	"encoding/base64"
	"net/http"
	"sync/atomic"

	"github.com/aws/aws-lambda-go/events"

	"github.com/coldbench/coldbench/targets/order"
)

// headerFunctionCold is lambda.HeaderFunctionCold of package
// targets/lambda, repeated so that the function does not link the router.
const headerFunctionCold = "X-Coldbench-Function-Cold"

// function is the Lambda handler and the state of its process.
type function struct {
	work   order.Work
	served atomic.Bool // whether this process has served an invocation
}

func newFunction(work order.Work) *function { return &function{work: work} }

// Invoke serves one Function URL request.
func (f *function) Invoke(_ context.Context, req events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error) {
	cold := "false"
	if !f.served.Swap(true) {
		cold = "true"
	}
	body := []byte(req.Body)
	if req.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(req.Body)
		if err != nil {
			body = nil // not base64: not a JSON object either
		} else {
			body = b
		}
	}
	method, path := req.RequestContext.HTTP.Method, req.RawPath
	if path == "" {
		path = req.RequestContext.HTTP.Path
	}
	status, ctype, resp := f.work.Serve(method, path, body)
	headers := map[string]string{
		"Content-Type":     ctype,
		headerFunctionCold: cold,
	}
	if status == http.StatusMethodNotAllowed {
		headers["Allow"] = http.MethodPost
	}
	return events.LambdaFunctionURLResponse{StatusCode: status, Headers: headers, Body: resp}, nil
}
