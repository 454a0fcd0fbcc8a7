package lambda

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// startProvisioned starts cfg.Provisioned environments at once and waits
// for them: Run's provisioned concurrency.
func (r *Router) startProvisioned() error {
	n := r.cfg.Provisioned
	specs := make([]Spec, n)
	r.mu.Lock()
	for i := range specs {
		specs[i] = r.nextSpec()
	}
	r.pstart += n
	r.bg.Add(n)
	r.mu.Unlock()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, spec := range specs {
		wg.Go(func() { _, _, errs[i] = r.start(spec, true, nil, "") })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("provisioned concurrency: %w", err)
	}
	return nil
}

// replaceLocked starts a provisioned environment in the background, in
// place of one that is gone; r.mu is held.
func (r *Router) replaceLocked() {
	if r.closed {
		return
	}
	spec := r.nextSpec()
	r.provision()
	r.bg.Add(1)
	go r.start(spec, true, nil, "")
}

// warmUpEvent is the invoke that runs a provisioned environment's INIT
// before it takes requests, as Lambda initializes provisioned concurrency
// ahead of time. The function sees a GET of warmUpPath.
const warmUpPath = "/_coldbench/warmup"

// warmUp invokes e once, so that its runtime is started and initialized.
// Any answer but a failure of the runtime or the RIE will do.
func (r *Router) warmUp(e *env) error {
	req, err := http.NewRequest(http.MethodGet, warmUpPath, nil)
	if err != nil {
		return err
	}
	req.RemoteAddr = "127.0.0.1:0"
	req.Host = "localhost"
	id := r.ids.next()
	if _, _, err := r.invoke(e, id, newEvent(req, nil, id, time.Now())); err != nil {
		r.mu.Lock()
		r.stats.InitFailures++
		r.mu.Unlock()
		return fmt.Errorf("init: %w", err)
	}
	initialized(e)
	return nil
}
