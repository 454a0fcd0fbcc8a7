package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/coldbench/coldbench/targets/order"
)

// shutdownTimeout bounds the graceful shutdown.
const shutdownTimeout = 10 * time.Second

// run serves until ctx is done, then shuts down gracefully.
func run(ctx context.Context, stdout io.Writer, args []string) error {
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
