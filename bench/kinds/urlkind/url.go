// Package urlkind is the url kind of target: an endpoint that is already
// running (a deployed Function URL, a staging server), named by its base
// URL in the scenario (scenario.URLConfig). coldbench starts and stops
// nothing: it checks once, before the run folder exists, that the endpoint
// answers, then sends it the schedule like any target. It records all,
// and cold and warm when the target names the header that marks them. It
// is not priced: coldbench cannot see its bill.
package urlkind

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/coldbench/coldbench/bench/attack"
	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
)

// maxCheck bounds the check request of Prepare, whatever the target's
// timeout: a check that waits longer does not find the endpoint reachable.
const maxCheck = 30 * time.Second

// unpriced is why a url target has no price.
const unpriced = "it is a url target, whose bill coldbench cannot see"

// Kind sends load to endpoints that are already running.
type Kind struct{}

// Prepare sends each target the first of its requests (scenario.Requests.First)
// once, bounded by its timeout and at most maxCheck, so that a URL that
// does not resolve, refuses connections or never answers is an
// InputError, before the run folder is made and before any load. Any
// HTTP answer passes; one of 500 and above becomes a note. Each check is
// one more request to the endpoint before the load, which may have warmed
// it: the notes say so.
func (Kind) Prepare(ctx context.Context, targets []scenario.Target, _ kinds.Env) ([]string, error) {
	var notes []string
	var errs []error
	for _, t := range targets {
		status, err := check(ctx, t)
		switch {
		case ctx.Err() != nil:
			return notes, ctx.Err()
		case err != nil:
			errs = append(errs, &kinds.InputError{Target: t.Name, Msg: fmt.Sprintf(
				"%s does not answer: %v; check that it is running and reachable from this machine, or fix the url of targets.%s (line %d)",
				Settings(t).URL, err, t.Name, t.Line)})
			continue
		}
		r := t.Request.First()
		n := fmt.Sprintf("%s (url %s): one %s %s was sent before the load to check that it answers (%s); it may have warmed the endpoint.",
			t.Name, Settings(t).URL, r.Method, r.Path, status)
		if status.code >= 500 {
			n += " It answered with a server error: the load may measure failures."
		}
		notes = append(notes, n)
	}
	return notes, errors.Join(errs...)
}

// answer is the status of a check request.
type answer struct {
	code int
	text string
}

func (a answer) String() string { return a.text }

// check sends t the first of its requests once and returns the status it
// answered with.
func check(ctx context.Context, t scenario.Target) (answer, error) {
	ctx, cancel := context.WithTimeout(ctx, min(timeout(t), maxCheck))
	defer cancel()
	req, err := attack.NewRequest(ctx, Settings(t).URL, t.Request.First())
	if err != nil {
		return answer{}, err
	}
	client := &http.Client{CheckRedirect: attack.SameHost, Transport: &http.Transport{Proxy: nil, DisableCompression: true}}
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return answer{resp.StatusCode, resp.Status}, nil
}

// timeout returns how long one request to t may take.
func timeout(t scenario.Target) time.Duration {
	if Settings(t).Timeout > 0 {
		return Settings(t).Timeout
	}
	return DefaultURLTimeout
}

// Start starts nothing: the endpoint is already running, and Prepare
// found that it answers.
func (Kind) Start(_ context.Context, t scenario.Target, _ kinds.Env) (kinds.Running, error) {
	return &running{url: Settings(t).URL, timeout: timeout(t)}, nil
}

// running is a url target under load.
type running struct {
	url     string
	timeout time.Duration
}

func (r *running) URL() string            { return r.url }
func (r *running) Timeout() time.Duration { return r.timeout }

// Stop stops nothing and reports the URL as the target's code; a url
// target is never priced.
func (r *running) Stop(context.Context, *record.Target) (kinds.Report, error) {
	return kinds.Report{Unpriced: unpriced, Code: &record.Code{Form: "url", Path: r.url}}, nil
}
