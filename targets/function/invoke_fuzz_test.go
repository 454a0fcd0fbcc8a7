package function

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	awslambda "github.com/aws/aws-lambda-go/lambda"

	"github.com/coldbench/coldbench/targets/fault"
	"github.com/coldbench/coldbench/targets/order"
)

// FuzzInvoke feeds the function what the RIE hands it, the JSON of a
// payload 2.0 event, through aws-lambda-go's handler as lambda.Start does,
// and checks that it answers every event that decodes with a valid
// Function URL response (a final HTTP status, a Content-Type, the cold
// header) that survives JSON, that it panics only when asked to, and that
// an event that decodes survives JSON too.
func FuzzInvoke(f *testing.F) {
	for _, s := range []string{
		`{"version":"2.0","rawPath":"/order","requestContext":{"http":{"method":"POST","path":"/order"}},"body":"{\"item\":1}"}`,
		`{"version":"2.0","rawPath":"/order","requestContext":{"http":{"method":"POST"}},"body":"eyJhIjoxfQ==","isBase64Encoded":true}`,
		`{"version":"2.0","rawPath":"/order","requestContext":{"http":{"method":"POST"}},"body":"!!","isBase64Encoded":true}`,
		`{"requestContext":{"http":{"method":"GET","path":"/order"}}}`,
		`{"rawPath":"/x","requestContext":{"http":{"method":"POST"}},"body":"[]"}`,
		`{"rawPath":"/order","headers":{"x-coldbench-fault":"sleep=1ms"},"requestContext":{"http":{"method":"POST"}},"body":"{}"}`,
		`{"rawPath":"/order","headers":{"x-coldbench-fault":"panic"},"requestContext":{"http":{"method":"POST"}},"body":"{}"}`,
		`{"rawPath":"/order","headers":{"x-coldbench-fault":"exit"},"requestContext":{"http":{"method":"POST"}},"body":"{}"}`,
		`{"rawPath":"/order","headers":{"x-coldbench-fault":"wobble"},"requestContext":{"http":{"method":"POST"}}}`,
		`{"rawPath":"/order","cookies":["a=1"],"queryStringParameters":{"q":"1"},"requestContext":{"http":{"method":"POST"},"timeEpoch":1}}`,
		`{}`, `null`, `[]`, `"x"`, `{"body":1}`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		var ev events.LambdaFunctionURLRequest
		// As aws-lambda-go reads it: the first JSON value, whatever follows.
		decodes := json.NewDecoder(bytes.NewReader(payload)).Decode(&ev) == nil
		if decodes {
			b, err := json.Marshal(ev)
			if err != nil {
				t.Fatalf("the event does not marshal: %v", err)
			}
			var back events.LambdaFunctionURLRequest
			if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(withoutEmpty(back), withoutEmpty(ev)) {
				t.Errorf("marshal round trip changed the event (%v):\n got %+v\nwant %+v", err, back, ev)
			}
		}
		var flt fault.Fault
		if decodes {
			var err error
			if flt, err = fault.Parse(ev.Headers[faultHeader]); err == nil && (flt.Sleep > 10*time.Millisecond || flt.AllocMB > 16) {
				return // a fault that would only make the fuzzer slow
			}
		}

		fn := newFunction(order.Work{})
		exited := false
		fn.exit = func(int) { exited = true }
		out, panicked, err := invoke(fn, payload)
		switch {
		case panicked != nil:
			if !decodes || !flt.Panic || !errors.Is(asError(panicked), errPanicFault) {
				t.Fatalf("the handler panicked: %v", panicked)
			}
			return
		case err != nil:
			if decodes {
				t.Fatalf("an event that decodes was refused: %v", err)
			}
			return
		case !decodes:
			t.Fatalf("a payload that is no event was answered: %s", out)
		}
		if exited != flt.Exit {
			t.Errorf("exit called %v, fault %+v", exited, flt)
		}

		var resp events.LambdaFunctionURLResponse
		if err := json.Unmarshal(out, &resp); err != nil {
			t.Fatalf("the response is not a Function URL response: %v\n%s", err, out)
		}
		if resp.StatusCode < 200 || resp.StatusCode > 599 || resp.Headers["Content-Type"] == "" || resp.Headers[headerFunctionCold] != "true" {
			t.Errorf("response %d %v", resp.StatusCode, resp.Headers)
		}
		b, err := json.Marshal(resp)
		if err != nil {
			t.Fatal(err)
		}
		var back events.LambdaFunctionURLResponse
		if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, resp) {
			t.Errorf("marshal round trip changed the response (%v):\n got %+v\nwant %+v", err, back, resp)
		}
	})
}

// invoke runs fn's handler on payload as aws-lambda-go does, and returns
// what it panicked with, if it did.
func invoke(fn *function, payload []byte) (out []byte, panicked any, err error) {
	defer func() { panicked = recover() }()
	out, err = awslambda.NewHandler(fn.Invoke).Invoke(context.Background(), payload)
	return out, nil, err
}

// withoutEmpty returns ev with its empty lists and maps nil, as JSON
// leaves them out (omitempty).
func withoutEmpty(ev events.LambdaFunctionURLRequest) events.LambdaFunctionURLRequest {
	if len(ev.Cookies) == 0 {
		ev.Cookies = nil
	}
	if len(ev.Headers) == 0 {
		ev.Headers = nil
	}
	if len(ev.QueryStringParameters) == 0 {
		ev.QueryStringParameters = nil
	}
	return ev
}

func asError(v any) error {
	err, _ := v.(error)
	return err
}
