// Command server is the dedicated target: the order application served by
// an always-on Go HTTP server, the counterpart of an Express app running
// 24/7 with app.post("/order", ...). It serves the order route and the
// echo route of package order, doing the request work for each request to
// either.
//
// It does the init work, listens, prints exactly one line
// "listening on http://ADDR" to stdout once it accepts connections, and
// shuts down gracefully on SIGTERM or SIGINT.
//
// Usage:
//
//	server [-addr 127.0.0.1:0] [-init-work 50ms] [-request-work 1ms] [-work-rate N]
//
// The work flags default to COLDBENCH_INIT_WORK, COLDBENCH_REQUEST_WORK and
// COLDBENCH_WORK_RATE.
//
// For tests only, a request header X-Coldbench-Fault: sleep=DURATION (as
// the Lambda function obeys it, see package targets/fault) delays that
// request's answer by DURATION; the function's other faults are answered
// 400.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	err := run(ctx, os.Stdout, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}
