// Command echofn is an example of a user's own Lambda function, different
// from coldbench's built-in order function: a tiny aws-lambda-go handler
// for Function URL events that answers every request with
// "echofn says: <method> <path>" and the header X-Echofn: 1. The tests
// build it as a user would,
//
//	CGO_ENABLED=0 GOOS=linux go build -tags lambda.norpc -o bootstrap ./targets/examples/echofn
//
// and run it as a bootstrap, a zip and an image (see docs/lambda.md).
//
// With ECHOFN_INIT_SLEEP set to a duration (such as 30ms), it sleeps that
// long in init(): a function with a known INIT that does not tell
// coldbench about it.
package main

import (
	"context"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

// Greeting starts every answer of the function.
const Greeting = "echofn says: "

func init() {
	if d, err := time.ParseDuration(os.Getenv("ECHOFN_INIT_SLEEP")); err == nil {
		time.Sleep(d)
	}
}

func handle(_ context.Context, req events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error) {
	return events.LambdaFunctionURLResponse{
		StatusCode: 200,
		Headers:    map[string]string{"Content-Type": "text/plain", "X-Echofn": "1"},
		Body:       Greeting + req.RequestContext.HTTP.Method + " " + req.RawPath,
	}, nil
}

func main() { lambda.Start(handle) }
