package process

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/internal/envlog"
)

// nextPath is the Runtime API's request for work.
const nextPath = "/2018-06-01/runtime/invocation/next"

// AwaitNext checks that bootstrap is a Lambda runtime: it starts it once,
// as the RIE would (Lambda's environment variables for spec, its folder
// as the working directory and LAMBDA_TASK_ROOT, in a session of its
// own), with AWS_LAMBDA_RUNTIME_API pointing at a Runtime API of its own
// on a loopback port, and returns nil as soon as the bootstrap asks that
// API for work (GET /2018-06-01/runtime/invocation/next). It then kills
// every process of the bootstrap's session. It fails if the bootstrap
// cannot be started, exits before it asks, or has not asked within
// timeout, a readiness bound and not a measurement; the error quotes the
// tail of its output.
func AwaitNext(ctx context.Context, bootstrap string, spec lambda.Spec, timeout time.Duration) error {
	bootstrap = absPath(bootstrap)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	asked := make(chan struct{}, 1)
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && r.URL.Path == nextPath {
				select {
				case asked <- struct{}{}:
				default:
				}
				<-r.Context().Done() // no work: the bootstrap waits until it is killed
				return
			}
			http.NotFound(w, r)
		}),
		ReadHeaderTimeout: timeout,
	}
	go srv.Serve(ln)
	defer srv.Close()

	cmd := exec.Command(bootstrap)
	cmd.Dir = filepath.Dir(bootstrap)
	cmd.Env = append(New("", bootstrap).environ(spec), "AWS_LAMBDA_RUNTIME_API="+ln.Addr().String())
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Pdeathsig: syscall.SIGKILL}
	pr, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		pr.Close()
		pw.Close()
		return fmt.Errorf("cannot start it: %w", err)
	}
	pw.Close()
	tail := &envlog.Tail{}
	drained := make(chan struct{})
	go func() {
		copyLines(io.Discard, "", pr, tail)
		close(drained)
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	sid := cmd.Process.Pid

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var result error
	select {
	case <-asked:
	case err := <-exited:
		<-drained
		killSession(sid, 0)
		return fmt.Errorf("it exited (%v) without asking the Runtime API for work%s", err, quote(tail.String()))
	case <-timer.C:
		result = fmt.Errorf("it did not ask the Runtime API for work (GET %s) within %v%s", nextPath, timeout, quote(tail.String()))
	case <-ctx.Done():
		result = ctx.Err()
	}
	_ = syscall.Kill(-sid, syscall.SIGKILL)
	killSession(sid, 0)
	<-exited
	return result
}

// quote is the tail of a program's output for an error, or nothing.
func quote(out string) string {
	if out = strings.TrimSpace(out); out == "" {
		return ""
	}
	return "; its output ends:\n" + out
}
