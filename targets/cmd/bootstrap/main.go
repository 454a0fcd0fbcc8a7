// Command bootstrap is the Lambda target, the order application as an AWS
// Lambda function for the provided.al2023 runtime: a thin wrapper around
// package targets/function, which documents what it does. Build it static
// and named bootstrap:
//
//	CGO_ENABLED=0 go build -trimpath -tags lambda.norpc -o bootstrap ./targets/cmd/bootstrap
//
// coldbench itself runs the same code when invoked as bootstrap (see
// bench/cmd/coldbench).
package main

import (
	"log"
	"os"

	"github.com/coldbench/coldbench/targets/function"
)

func main() {
	if err := function.Run(os.Exit); err != nil {
		log.Fatal(err)
	}
}
