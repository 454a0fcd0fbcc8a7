package function

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/coldbench/coldbench/targets/order"
)

// TestInvokeEcho checks that the echo route shows what the event carried:
// method, raw path, query, headers (cookies joined back) and the body,
// base64-decoded.
func TestInvokeEcho(t *testing.T) {
	f := newFunction(order.Work{})
	req := events.LambdaFunctionURLRequest{
		Version:               "2.0",
		RawPath:               "/echo/a%20b",
		RawQueryString:        "a=1&a=2&b=two",
		QueryStringParameters: map[string]string{"a": "1,2", "b": "two"},
		Cookies:               []string{"s=1", "t=2"},
		Headers:               map[string]string{"x-custom": "yes", "content-type": "text/plain"},
		RequestContext: events.LambdaFunctionURLRequestContext{
			HTTP: events.LambdaFunctionURLRequestContextHTTPDescription{Method: "PUT", Path: "/echo/a b"},
		},
		Body:            base64.StdEncoding.EncodeToString([]byte("hello")),
		IsBase64Encoded: true,
	}
	resp, err := f.Invoke(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var e order.Echo
	if err := json.Unmarshal([]byte(resp.Body), &e); resp.StatusCode != 200 || err != nil {
		t.Fatalf("%d %q (%v)", resp.StatusCode, resp.Body, err)
	}
	want := order.Echo{
		Method: "PUT", Path: "/echo/a%20b", Query: "a=1&a=2&b=two", Params: map[string]string{"a": "1,2", "b": "two"},
		Headers: map[string]string{"x-custom": "yes", "content-type": "text/plain", "cookie": "s=1; t=2"},
		Body:    "hello",
	}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("got  %+v\nwant %+v", e, want)
	}
	if resp.Headers["Content-Type"] != order.ApplicationJSON {
		t.Errorf("Content-Type %q", resp.Headers["Content-Type"])
	}
}
