package lambdakind

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
	"github.com/coldbench/coldbench/targets/lambda"
)

// Probe measures n cold starts in each runtime this machine has, before
// the load, while nothing else runs, with a pooled sandbox and with one
// started on demand. It probes the first of targets, with its code: the
// probes measure the runtimes, and one function's settings (memory, INIT
// work) stand for the run's. A runtime the code cannot run in (an image
// as processes, a bootstrap that is not static in containers) is left
// out.
func (k *Kind) Probe(ctx context.Context, targets []scenario.Target, n int, env kinds.Env) (_ []*record.Anatomy, err error) {
	if k.rt == nil || n <= 0 || len(targets) == 0 {
		return nil, nil
	}
	t := targets[0]
	c, err := k.open(ctx, t)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, c.close()) }()
	var out []*record.Anatomy
	for _, name := range k.rt.have {
		if !c.runsIn(name) {
			fmt.Fprintf(env.Out, "%s: no cold-start probes in %s: its %s cannot run there\n", t.Name, name, c.form)
			continue
		}
		for _, sb := range []struct {
			how  string
			pool int
		}{{"pooled", 1}, {"on demand", 0}} {
			how := sb.how
			fmt.Fprintf(env.Out, "%s: probing %d cold starts in %s, sandbox %s\n", t.Name, n, name, how)
			p, closeProvider, err := k.rt.provider(ctx, name, c, io.Discard)
			if err != nil {
				return out, err
			}
			// The local parts alone: no modelled platform part, and a
			// pool of one sandbox or none.
			cfg := targetConfig(t, env.WorkRate, false)
			cfg.Platform = lambda.Delay{}
			cfg.Pool = sb.pool
			a, err := probe(ctx, p, cfg, t.Request.First(), n, "probe, "+p.Name()+", sandbox "+how)
			stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			err = errors.Join(err, closeProvider(stopCtx))
			cancel()
			if a.Total.TotalCount() > 0 {
				a.Target = t.Name
				out = append(out, a)
			}
			if err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// probe measures n cold starts one after the other, each the first request
// of a fresh router in front of p, so that nothing else competes with them:
// the cold-start anatomy of a runtime, apart from the load. Each sends req,
// the first request the load sends.
func probe(ctx context.Context, p lambda.Provider, cfg lambda.Config, req scenario.Request, n int, label string) (*record.Anatomy, error) {
	a := record.NewAnatomy(label, p.Name())
	client := &http.Client{Timeout: cfg.Function.Timeout + 30*time.Second, Transport: &http.Transport{Proxy: nil}}
	for i := 0; i < n && ctx.Err() == nil; i++ {
		cs, err := probeOne(ctx, p, cfg, req, client)
		if err != nil {
			return a, fmt.Errorf("cold-start probe %d/%d (%s): %w", i+1, n, p.Name(), err)
		}
		a.Add(cs)
	}
	return a, nil
}

// probeOne starts a router in front of p, sends it r (a cold start), closes
// it and returns the cold start.
func probeOne(ctx context.Context, p lambda.Provider, cfg lambda.Config, r scenario.Request, client *http.Client) (cs record.ColdStart, err error) {
	router, err := lambda.Run(ctx, p, cfg)
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if cerr := router.Close(stopCtx); cerr != nil && err == nil {
			err = cerr
		}
		client.CloseIdleConnections()
	}()
	if err != nil {
		return cs, err
	}
	req, err := attack.NewRequest(ctx, router.URL(), r)
	if err != nil {
		return cs, err
	}
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return cs, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	latency := time.Since(t0)
	if resp.StatusCode/100 != 2 || resp.Header.Get(lambda.HeaderCold) != "true" {
		return cs, fmt.Errorf("first request (%s %s) answered %s, cold=%q", r.Method, r.Path, resp.Status, resp.Header.Get(lambda.HeaderCold))
	}
	return record.NewColdStart(resp.Header, latency), nil
}
