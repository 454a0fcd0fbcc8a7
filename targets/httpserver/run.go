// Package httpserver is the dedicated target: the order application served by
// an always-on Go HTTP server, the counterpart of an Express app running
// 24/7 with app.post("/order", ...). It serves the order route and the
// echo route of package order, doing the request work for each request to
// either.
//
// It does the init work, listens, prints exactly one line
// "listening on http://ADDR" to stdout once it accepts connections, and
// shuts down gracefully on SIGTERM or SIGINT.
//
// Usage (as targets/cmd/server, or coldbench run as coldbench-server):
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
package httpserver

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/coldbench/coldbench/targets/order"
)

// shutdownTimeout bounds the graceful shutdown.
const shutdownTimeout = 10 * time.Second

// Run serves until ctx is done, then shuts down gracefully. args are the
// flags of the usage above, without the program name.
func Run(ctx context.Context, stdout io.Writer, args []string) error {
	work, err := order.WorkFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen `address`")
	fs.DurationVar(&work.Init, "init-work", work.Init, "CPU work done once at start-up (default $"+order.EnvInitWork+")")
	fs.DurationVar(&work.Request, "request-work", work.Request, "CPU work done per request to the order or echo route (default $"+order.EnvRequestWork+")")
	fs.DurationVar(&work.Wait, "request-wait", work.Wait, "waiting, not computing, per request to the order or echo route (default $"+order.EnvRequestWait+")")
	fs.Float64Var(&work.Rate, "work-rate", work.Rate, "calibrated Spin iterations per ms; 0 calibrates (default $"+order.EnvWorkRate+")")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	work = work.Calibrated()
	work.DoInit()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           withFaults(order.Handler(work)),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if _, err := fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr()); err != nil {
		srv.Close()
		return err
	}

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	err = srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = errors.Join(err, srv.Close())
	}
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// Main runs the server as a program does: until SIGTERM or SIGINT, with
// errors printed to stderr. It returns the exit code, 1 on error.
func Main(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := Run(ctx, os.Stdout, args); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		return 1
	}
	return 0
}
