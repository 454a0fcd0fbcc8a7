// Command bootstrap is the Lambda target: the order application as an AWS
// Lambda function for the provided.al2023 runtime, behind a Function URL
// (payload format 2.0). Build it static and named bootstrap:
//
//	CGO_ENABLED=0 go build -trimpath -tags lambda.norpc -o bootstrap ./targets/cmd/bootstrap
//
// It does the init work (COLDBENCH_INIT_WORK) before lambda.Start and the
// request work (COLDBENCH_REQUEST_WORK) per order request, and answers with
// the header X-Coldbench-Function-Cold: true on the first invocation its
// process serves, false after.
package main

import (
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/coldbench/coldbench/targets/order"
)

func main() {
	work, err := order.WorkFromEnv(os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	work = work.Calibrated()
	work.DoInit()
	lambda.Start(newFunction(work).Invoke)
}
