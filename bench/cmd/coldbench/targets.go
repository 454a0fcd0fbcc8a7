package main

import (
	"log"
	"os"
	"path/filepath"

	"github.com/coldbench/coldbench/targets/build"
	"github.com/coldbench/coldbench/targets/function"
	"github.com/coldbench/coldbench/targets/httpserver"
)

// asTarget runs coldbench as the built-in function when it was invoked as
// bootstrap, and as the built-in server when invoked as coldbench-server:
// the names targets/build links the installed coldbench under, outside a
// checkout, so that one installed binary is all that the built-in targets
// need. It reports whether it was one of them, and the exit code.
//
// One binary rather than three: go install installs one command, and a
// binary that carried the other two embedded would need them built before
// it, which go install cannot do. The price is that the function's process
// links all of coldbench (its package initialisation runs in every cold
// start); inside a checkout the function and server are still built from
// targets/cmd, small, as before.
func asTarget(argv0 string, args []string) (code int, ok bool) {
	switch filepath.Base(argv0) {
	case build.BootstrapName:
		// function.Run serves invocations until the process ends.
		if err := function.Run(os.Exit); err != nil {
			log.Print(err)
			return 1, true
		}
		return 0, true
	case build.ServerName:
		return httpserver.Main(args), true
	}
	return 0, false
}
