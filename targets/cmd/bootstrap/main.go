// Command bootstrap is the Lambda target: the order application as an AWS
// Lambda function for the provided.al2023 runtime, behind a Function URL
// (payload format 2.0). Build it static and named bootstrap:
//
//	CGO_ENABLED=0 go build -trimpath -tags lambda.norpc -o bootstrap ./targets/cmd/bootstrap
//
// It does the init work (COLDBENCH_INIT_WORK) before lambda.Start and the
// request work (COLDBENCH_REQUEST_WORK) per order request, and answers with
// the header X-Coldbench-Function-Cold: true on the first invocation its
// process serves, false after. On that first invocation it also tells how
// long its INIT phase took (X-Coldbench-Init-Us, from main to the handler):
// the RIE's own Init Duration cannot, because the RIE starts the bootstrap
// lazily, inside the first invoke.
package main

import (
	"log"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/coldbench/coldbench/targets/order"
)

func main() {
	started := time.Now()
	work, err := order.WorkFromEnv(os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	work = work.Calibrated()
	work.DoInit()
	lambda.Start(newFunction(work, started).Invoke)
}
