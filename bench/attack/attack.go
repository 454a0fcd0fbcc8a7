// Package attack drives a scenario's schedule of phases at one target with
// vegeta, in the open model: every phase sends its requests on its pacer's
// schedule whether or not earlier requests have been answered, so queueing
// delay shows up in the latencies instead of being hidden by a slower sender.
package attack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/scenario"
)

// Sink receives each result with the index of the phase that sent it and the
// time the phase's schedule meant its request to be sent. It is called from
// one goroutine, in the order results complete.
//
// The latency measured from intended, r.End().Sub(intended), is corrected for
// coordinated omission: when the generator falls behind its schedule (no
// worker free, a phase with a workers limit, a starved CPU), the requests it
// sends late would otherwise hide the time they waited to be sent. For a
// phase with rate: max there is no schedule and intended is r.Timestamp.
type Sink func(phase int, r *vegeta.Result, intended time.Time)

// Options tune an attack.
type Options struct {
	// Timeout bounds each request; zero means 30 s.
	Timeout time.Duration
	// Requests are sent in turn, round-robin across all phases: each to
	// the base URL followed by its Path. Empty means
	// scenario.DefaultRequest, POST /order.
	Requests []scenario.Request
	// Mark, if set, may add headers to request number n (counted from 0
	// across all phases) before it is sent, e.g. to inject faults. It gets
	// a copy of the request's headers, whichever of Requests it is.
	Mark func(n uint64, h http.Header)
	// Uncompensated turns off the making up for sleep overshoot (see
	// phasePacer): requests then leave as late as time.Sleep wakes, as
	// with vegeta's own loop. It is there to measure what it buys.
	Uncompensated bool
}

// Run sends the schedule of phases to the target at baseURL (the requests
// of opts, in turn) and passes every result to sink. Phase i starts at its
// offset in the schedule from began, whether or not the requests of earlier
// phases have been answered; idle phases send nothing. Run returns once every
// request sent has been answered or has failed. Cancelling ctx stops sending
// at once; requests in flight still complete and reach sink.
//
// Each phase is its own vegeta attack, named "<name>/<phase>", because a
// vegeta.Attacker runs a single attack and its pacing sleep cannot be
// interrupted, which would make an idle phase deaf to ctx. Its pacer is
// wrapped (phasePacer) so that it sends nothing at or after the phase's
// end, which vegeta's loop alone would, and sends on time.
func Run(ctx context.Context, name, baseURL string, phases []scenario.Phase, began time.Time, sink Sink, opts Options) error {
	pacers := make([]vegeta.Pacer, len(phases))
	for i, p := range phases {
		var err error
		if pacers[i], err = Pacer(p); err != nil {
			return err
		}
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	reqs := opts.Requests
	if len(reqs) == 0 {
		reqs = []scenario.Request{scenario.DefaultRequest()}
	}
	targets := make([]vegeta.Target, len(reqs))
	for i, r := range reqs {
		targets[i] = Target(baseURL, r)
	}
	targeter := newTargeter(targets, opts.Mark)
	client := newClient(opts.Timeout)
	defer client.CloseIdleConnections()
	var late *overshoot
	if !opts.Uncompensated {
		late = &overshoot{}
	}

	type hit struct {
		phase    int
		res      *vegeta.Result
		intended time.Time
	}
	results := make(chan hit, 1024)
	var (
		mu        sync.Mutex
		attackers []*vegeta.Attacker
		stopped   bool
		forwards  sync.WaitGroup
	)
	stopAll := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		stopped = true
		for _, a := range attackers {
			a.Stop()
		}
	})
	defer stopAll()

	go func() {
		defer func() {
			forwards.Wait()
			close(results)
		}()
		var offset time.Duration
		for i, p := range phases {
			start := offset
			offset += p.Duration
			if pacers[i] == nil {
				continue
			}
			if !sleepUntil(ctx, began.Add(start)) {
				return
			}
			mu.Lock()
			if stopped {
				mu.Unlock()
				return
			}
			a := vegeta.NewAttacker(attackerOptions(client, p)...)
			attackers = append(attackers, a)
			mu.Unlock()

			// Attack measures its duration from now; end the phase at its
			// place in the schedule even if this goroutine woke up late.
			// The phase's requests are due from its place in the schedule
			// too: those due while this goroutine was late leave at once,
			// and their corrected latencies carry the wait.
			from, end := began.Add(start), began.Add(offset)
			du := time.Until(end)
			switch {
			case p.Shape == scenario.Trace:
				du = 0 // no cut: its pacer stops after the window's last request
			case du <= 0:
				continue
			}
			sched := newSchedule(p, p.Duration, from)
			if tp, ok := pacers[i].(*TracePacer); ok {
				sched.due = tp.Due
			}
			pacer := boundedPacer(ctx, pacers[i], p, from, end, late)
			ch := a.Attack(targeter, pacer, du, name+"/"+p.Name)
			forwards.Add(1)
			go func(phase int) {
				defer forwards.Done()
				for r := range ch {
					results <- hit{phase, r, sched.intended(r)}
				}
			}(i)
		}
	}()

	for h := range results {
		sink(h.phase, h.res, h.intended)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("attack on %s stopped: %w", name, context.Cause(ctx))
	}
	return nil
}

// attackerOptions returns the options of the attacker of phase p: at most
// p.Workers requests in flight when it sets a limit, all of those workers
// started at once for a rate: max phase.
func attackerOptions(client *http.Client, p scenario.Phase) []func(*vegeta.Attacker) {
	opts := []func(*vegeta.Attacker){vegeta.Client(client), vegeta.MaxBody(4096)}
	if p.Workers > 0 {
		opts = append(opts, vegeta.MaxWorkers(uint64(p.Workers)))
		if p.Max {
			opts = append(opts, vegeta.Workers(uint64(p.Workers)))
		}
	}
	return opts
}

// newTargeter returns vegeta's round-robin targeter of targets, each
// target it hands out marked by mark if not nil. Workers call it
// concurrently.
//
// The static targeter hands out the targets themselves, their headers
// shared; a marked target gets headers of its own. The n mark sees counts
// the targets handed out, which under concurrency need not be the order of
// the static targeter's turns: Mark numbers requests, not turns.
func newTargeter(targets []vegeta.Target, mark func(uint64, http.Header)) vegeta.Targeter {
	next := vegeta.NewStaticTargeter(targets...)
	if mark == nil {
		return next
	}
	var n atomic.Uint64
	return func(t *vegeta.Target) error {
		if err := next(t); err != nil {
			return err
		}
		if t.Header = t.Header.Clone(); t.Header == nil {
			t.Header = http.Header{}
		}
		mark(n.Add(1)-1, t.Header)
		return nil
	}
}

// Target returns r as the vegeta target of the target at baseURL: baseURL
// followed by r.Path. It shares r's Header and Body.
func Target(baseURL string, r scenario.Request) vegeta.Target {
	return vegeta.Target{Method: r.Method, URL: baseURL + r.Path, Body: r.Body, Header: r.Header}
}

// NewRequest returns r as an HTTP request to the target at baseURL, built
// as the attack builds each of its requests (vegeta's Target.Request, which
// also takes a Host header for the request's host), for a request sent on
// its own, such as a cold-start probe.
func NewRequest(ctx context.Context, baseURL string, r scenario.Request) (*http.Request, error) {
	t := Target(baseURL, r)
	req, err := t.Request()
	if err != nil {
		return nil, err
	}
	return req.WithContext(ctx), nil
}

// sleepUntil waits until t or until ctx is done, and reports whether t came.
func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// newClient returns the HTTP client every phase of one attack shares, so that
// connections opened in one phase are reused in the next. It never uses a
// proxy: targets are on loopback.
func newClient(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Client{
		Timeout:       timeout,
		CheckRedirect: SameHost,
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         dialer.DialContext,
			MaxIdleConnsPerHost: vegeta.DefaultConnections,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
	}
}

// SameHost is the redirect policy of the attack's client
// (http.Client.CheckRedirect): it follows a redirect, at most 10, only to
// the host and port of the first request, and otherwise keeps the redirect
// as the answer, so that load goes only to the host a scenario names.
func SameHost(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if req.URL.Host != via[0].URL.Host {
		return http.ErrUseLastResponse
	}
	return nil
}

// PhaseAt returns the index of the phase running at offset in the schedule
// and how far into it offset is; past the end it returns len(phases).
func PhaseAt(phases []scenario.Phase, offset time.Duration) (int, time.Duration) {
	for i, p := range phases {
		if offset < p.Duration {
			return i, offset
		}
		offset -= p.Duration
	}
	return len(phases), offset
}
