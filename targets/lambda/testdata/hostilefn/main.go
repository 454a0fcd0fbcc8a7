// Command hostilefn is a Lambda function for the router's tests of hostile
// input: it answers a Function URL request (payload format 2.0) with a
// payload chosen by the request's path, written raw, so that it can return
// what aws-lambda-go would never marshal:
//
//	/ok             a valid response: 200 "ok"
//	/malformed      a truncated JSON object, not valid JSON
//	/notjson        a bare word, not JSON at all
//	/string         a JSON string, valid but not an object
//	/big?bytes=N    a valid response whose payload is N bytes long
//
// Anything else is a 404. The tests build it with go build; it is not a
// target of the benchmark.
package main

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(handle)
}

// handle returns the payload for req's path. An io.Reader is sent as it
// is, not marshalled.
func handle(_ context.Context, req events.LambdaFunctionURLRequest) (io.Reader, error) {
	switch req.RawPath {
	case "/ok":
		return strings.NewReader(`{"statusCode":200,"body":"ok"}`), nil
	case "/malformed":
		return strings.NewReader(`{"statusCode":200,"body":"trunc`), nil
	case "/notjson":
		return strings.NewReader(`hello`), nil
	case "/string":
		return strings.NewReader(`"Hello, world!"`), nil
	case "/big":
		n, _ := strconv.Atoi(req.QueryStringParameters["bytes"])
		return bytes.NewReader(sized(n)), nil
	}
	return strings.NewReader(`{"statusCode":404,"body":"Not Found"}`), nil
}

// sized returns a valid response payload of n bytes (at least its
// envelope's length): a body of 'a's.
func sized(n int) []byte {
	const head, tail = `{"statusCode":200,"body":"`, `"}`
	pad := max(n-len(head)-len(tail), 0)
	b := make([]byte, 0, len(head)+pad+len(tail))
	b = append(b, head...)
	b = append(b, bytes.Repeat([]byte{'a'}, pad)...)
	return append(b, tail...)
}
