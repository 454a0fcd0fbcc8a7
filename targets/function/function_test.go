package function

import (
	"context"
	"encoding/base64"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/order"
)

func TestHeaderName(t *testing.T) {
	if headerFunctionCold != lambda.HeaderFunctionCold {
		t.Fatalf("the function's header names differ from package lambda's")
	}
}

func request(method, path, body string, b64 bool) events.LambdaFunctionURLRequest {
	if b64 {
		body = base64.StdEncoding.EncodeToString([]byte(body))
	}
	return events.LambdaFunctionURLRequest{
		Version: "2.0",
		RawPath: path,
		RequestContext: events.LambdaFunctionURLRequestContext{
			HTTP: events.LambdaFunctionURLRequestContextHTTPDescription{Method: method, Path: path},
		},
		Body:            body,
		IsBase64Encoded: b64,
	}
}

func TestInvoke(t *testing.T) {
	f := newFunction(order.Work{Request: 1, Rate: 1000})
	for i, tc := range []struct {
		req    events.LambdaFunctionURLRequest
		status int
		body   string
		cold   string
	}{
		{request("POST", "/order", `{"a":1}`, false), 201, "Order created!", "true"},
		{request("POST", "/order", `{"a":1}`, true), 201, "Order created!", "false"},
		{request("GET", "/order", ``, false), 405, "Method Not Allowed", "false"},
		{request("POST", "/x", `{}`, false), 404, "Not Found", "false"},
		{request("POST", "/order", `[]`, false), 400, "Bad Request: body must be a JSON object", "false"},
	} {
		resp, err := f.Invoke(context.Background(), tc.req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tc.status || resp.Body != tc.body || resp.Headers[headerFunctionCold] != tc.cold {
			t.Errorf("%d: got %d %q cold=%q, want %d %q cold=%q", i, resp.StatusCode, resp.Body,
				resp.Headers[headerFunctionCold], tc.status, tc.body, tc.cold)
		}
		if resp.Headers["Content-Type"] != order.TextPlain {
			t.Errorf("%d: Content-Type %q", i, resp.Headers["Content-Type"])
		}
	}
}

func TestFailInit(t *testing.T) {
	for _, tc := range []struct {
		rate string
		draw float64
		want bool
	}{
		{"", 0, false}, {"0", 0, false}, {"0.5", 0.49, true}, {"0.5", 0.5, false}, {"1", 0.999, true}, {"x", 0, false},
	} {
		if got := failInit(tc.rate, func() float64 { return tc.draw }); got != tc.want {
			t.Errorf("failInit(%q, %v) = %v, want %v", tc.rate, tc.draw, got, tc.want)
		}
	}
}
