// Package attack drives a scenario's schedule of phases at one target with
// vegeta, in the open model: every phase sends its requests on its pacer's
// schedule whether or not earlier requests have been answered, so queueing
// delay shows up in the latencies instead of being hidden by a slower sender.
package attack

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/scenario"
)

// Sink receives each result with the index of the phase that sent it. It is
// called from one goroutine, in the order results complete.
type Sink func(phase int, r *vegeta.Result)

// Options tune an attack.
type Options struct {
	// Timeout bounds each request; zero means 30 s.
	Timeout time.Duration
	// Body is the JSON body of each POST /order; empty means a small order.
	Body []byte
	// Mark, if set, may add headers to request number n (counted from 0
	// across all phases) before it is sent, e.g. to inject faults.
	Mark func(n uint64, h http.Header)
}

// DefaultBody is the order every request carries unless Options.Body is set.
var DefaultBody = []byte(`{"item":"coffee","quantity":1}`)

// Run sends the schedule of phases to the target at baseURL (POST
// baseURL/order) and passes every result to sink. Phase i starts at its
// offset in the schedule from began, whether or not the requests of earlier
// phases have been answered; idle phases send nothing. Run returns once every
// request sent has been answered or has failed. Cancelling ctx stops sending
// at once; requests in flight still complete and reach sink.
//
// Each phase is its own vegeta attack, named "<name>/<phase>", because a
// vegeta.Attacker runs a single attack and its pacing sleep cannot be
// interrupted, which would make an idle phase deaf to ctx.
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
	body := opts.Body
	if len(body) == 0 {
		body = DefaultBody
	}
	targeter := newTargeter(vegeta.Target{
		Method: http.MethodPost,
		URL:    baseURL + "/order",
		Body:   body,
		Header: http.Header{"Content-Type": []string{"application/json"}},
	}, opts.Mark)
	client := newClient(opts.Timeout)
	defer client.CloseIdleConnections()

	type hit struct {
		phase int
		res   *vegeta.Result
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
			a := vegeta.NewAttacker(vegeta.Client(client), vegeta.MaxBody(4096))
			attackers = append(attackers, a)
			mu.Unlock()

			// Attack measures its duration from now; end the phase at its
			// place in the schedule even if this goroutine woke up late.
			du := began.Add(offset).Sub(time.Now())
			if du <= 0 {
				continue
			}
			ch := a.Attack(targeter, pacers[i], du, name+"/"+p.Name)
			forwards.Add(1)
			go func(phase int) {
				defer forwards.Done()
				for r := range ch {
					results <- hit{phase, r}
				}
			}(i)
		}
	}()

	for h := range results {
		sink(h.phase, h.res)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("attack on %s stopped: %w", name, context.Cause(ctx))
	}
	return nil
}

// newTargeter returns a targeter of base, each target marked by mark if
// not nil. Workers call it concurrently.
func newTargeter(base vegeta.Target, mark func(uint64, http.Header)) vegeta.Targeter {
	if mark == nil {
		return vegeta.NewStaticTargeter(base)
	}
	var n atomic.Uint64
	return func(t *vegeta.Target) error {
		*t = base
		t.Header = base.Header.Clone()
		mark(n.Add(1)-1, t.Header)
		return nil
	}
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
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         dialer.DialContext,
			MaxIdleConnsPerHost: vegeta.DefaultConnections,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
	}
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
