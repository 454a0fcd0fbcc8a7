// Command server is the dedicated target, the order application served by
// an always-on Go HTTP server: a thin wrapper around package
// targets/httpserver, which documents its flags and behaviour. coldbench
// itself runs the same code when invoked as coldbench-server (see
// bench/cmd/coldbench).
package main

import (
	"os"

	"github.com/coldbench/coldbench/targets/httpserver"
)

func main() {
	os.Exit(httpserver.Main(os.Args[1:]))
}
