package lambdakind

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coldbench/coldbench/bench/attack"
	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/container"
	"github.com/coldbench/coldbench/targets/lambda/process"
)

// readyBound is how long a user's function may take, once started, to ask
// the Runtime API for work (or, for an image, to answer its first
// request) before Prepare calls it broken: a bound on readiness, not a
// measurement.
const readyBound = 10 * time.Second

// prepared is what Prepare found of one target's code.
type prepared struct {
	record *record.Code
	image  string // the image form's image to run (container.UserImage.Run)
}

// prepareCode checks the code target t names, before the load, for its
// environments running as chosen, and returns what Start needs of it. A
// bad bootstrap, zip or image is a *kinds.InputError naming the file and
// how to fix it: missing, not executable, built for another machine,
// not static where containers need it, a zip without a bootstrap at its
// root, an image not in the engine, or a function that never asks the
// Runtime API for work.
func (k *Kind) prepareCode(ctx context.Context, t scenario.Target, chosen Sandbox, env kinds.Env) (prepared, error) {
	c := Settings(t).Code
	spec := targetConfig(t, env.WorkRate, false).Function
	static := chosen == Container
	if c.Handler != "" {
		hc := &code{}
		defer hc.close()
		if err := openHandler(ctx, t, hc); err != nil {
			return prepared{}, err
		}
		if err := checkHandler(ctx, t, hc.handler, spec); err != nil {
			return prepared{}, err
		}
		if static {
			// Build its image now, and have one container of it answer,
			// so that what fails only in a container fails before the
			// run folder, not in it.
			if err := k.answersOnce(ctx, t, hc, env); err != nil {
				if ctx.Err() != nil {
					return prepared{}, err
				}
				return prepared{}, &kinds.InputError{Target: t.Name, Msg: fmt.Sprintf("%s: handler %s on %s does not run in a container here: %v", c.Path, c.Handler, c.Runtime, err)}
			}
		}
		rec, err := handlerRecord(c, hc.handler)
		return prepared{record: rec}, err
	}
	switch c.Form {
	case BootstrapCode:
		if err := checkBootstrap(t.Name, c.Path, c.Path, static); err != nil {
			return prepared{}, err
		}
		if err := asksForWork(ctx, t.Name, c.Path, c.Path, spec); err != nil {
			return prepared{}, err
		}
		rec, err := kinds.FileCode(string(c.Form), c.Path, c.Path)
		return prepared{record: rec}, err
	case ZipCode:
		dir, bootstrap, err := extractZip(t.Name, c.Path)
		if err != nil {
			return prepared{}, err
		}
		defer (&code{tmp: []string{dir}}).close()
		name := c.Path + ": bootstrap"
		if err := checkBootstrap(t.Name, name, bootstrap, static); err != nil {
			return prepared{}, err
		}
		if err := asksForWork(ctx, t.Name, name, bootstrap, spec); err != nil {
			return prepared{}, err
		}
		rec, err := kinds.FileCode(string(c.Form), c.Path, c.Path)
		return prepared{record: rec}, err
	case ImageCode:
		return k.prepareImage(ctx, t, chosen, env)
	}
	rec, err := kinds.FileCode("built-in", "the order function (targets/function)", env.Bins.Bootstrap)
	return prepared{record: rec}, err
}

// asksForWork runs bootstrap once against a Runtime API of its own and
// fails unless it asks for work within readyBound.
func asksForWork(ctx context.Context, target, name, bootstrap string, spec lambda.Spec) error {
	err := process.AwaitNext(ctx, bootstrap, spec, readyBound)
	if err == nil || ctx.Err() != nil {
		return err
	}
	return &kinds.InputError{Target: target, Msg: fmt.Sprintf("%s does not work as a Lambda bootstrap: %v\n"+
		"A bootstrap must ask the Runtime API ($AWS_LAMBDA_RUNTIME_API) for work: a Go function calls lambda.Start from github.com/aws/aws-lambda-go and is built with -tags lambda.norpc", name, err)}
}

// prepareImage finds the image target t names, builds the thin image over
// it if it has no RIE as its entrypoint, and has one container of it
// answer a first request.
func (k *Kind) prepareImage(ctx context.Context, t scenario.Target, chosen Sandbox, env kinds.Env) (prepared, error) {
	name := Settings(t).Code.Image
	bad := func(format string, args ...any) (prepared, error) {
		return prepared{}, &kinds.InputError{Target: t.Name, Msg: "image " + name + ": " + fmt.Sprintf(format, args...)}
	}
	if chosen != Container {
		why := "the runtime is " + string(chosen)
		if k.rt.docker == nil {
			why = k.rt.noDocker.Error()
		}
		return bad("an image runs only in containers, and %s; set runtime: container with a Docker engine running, or give the function as bootstrap: or zip:", why)
	}
	u, err := container.PrepareUserImage(ctx, name, env.Bins.RIE)
	var missing *container.MissingImageError
	switch {
	case errors.As(err, &missing):
		return prepared{}, &kinds.InputError{Target: t.Name, Msg: err.Error()}
	case err != nil && strings.Contains(err.Error(), "built for"):
		return prepared{}, &kinds.InputError{Target: t.Name, Msg: err.Error()}
	case err != nil:
		return prepared{}, fmt.Errorf("image %s: %w", name, err)
	}
	if u.Run != name {
		how := "its own RIE"
		if u.AddedRIE {
			how = "coldbench's RIE, since it has none at /usr/local/bin/aws-lambda-rie"
		}
		fmt.Fprintf(env.Out, "%s: image %s has no RIE entrypoint; running %s, built FROM it with %s\n", t.Name, name, u.Run, how)
	}
	if err := k.answersOnce(ctx, t, &code{form: ImageCode, image: u.Run}, env); err != nil {
		if ctx.Err() != nil {
			return prepared{}, err
		}
		return bad("%v\nThe image must hold an executable bootstrap at /var/task/bootstrap, /opt/bootstrap or /var/runtime/bootstrap that asks the Runtime API for work, static if the image is FROM scratch", err)
	}
	return prepared{image: u.Run, record: &record.Code{Form: string(ImageCode), Path: name, SHA256: strings.TrimPrefix(u.ID, "sha256:")}}, nil
}

// answersOnce starts one environment of c in a container behind a router
// and sends it t's first request: any answer of the function's will do,
// an error of its runtime (it exited, it has no bootstrap) or no answer
// within readyBound will not.
func (k *Kind) answersOnce(ctx context.Context, t scenario.Target, c *code, env kinds.Env) (err error) {
	out := &lockedBuilder{}
	p, closeProvider, err := k.rt.provider(ctx, Container, c, out)
	if err != nil {
		return err
	}
	cfg := targetConfig(t, env.WorkRate, false)
	cfg.Platform, cfg.Pool, cfg.Provisioned = lambda.Delay{}, 0, 0
	router, err := lambda.Run(ctx, p, cfg)
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		err = errors.Join(err, router.Close(stopCtx), closeProvider(stopCtx))
	}()
	if err != nil {
		return err
	}
	req, err := attack.NewRequest(ctx, router.URL(), t.Request.First())
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: readyBound, Transport: &http.Transport{Proxy: nil}}
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("its first request got no answer within %v (%v)%s", readyBound, err, tail(out.String()))
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if e := resp.Header.Get(lambda.HeaderError); strings.Contains(e, "Runtime.") || (e != "" && !strings.HasPrefix(e, "function error")) {
		return fmt.Errorf("its first request failed: %s%s", e, tail(out.String()))
	}
	return nil
}

// tail quotes the last lines of an environment's output for an error.
func tail(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if lines := strings.Split(s, "\n"); len(lines) > 10 {
		s = strings.Join(lines[len(lines)-10:], "\n")
	}
	return "; its output ends:\n" + s
}

// lockedBuilder is a strings.Builder safe for concurrent use.
type lockedBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuilder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuilder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
