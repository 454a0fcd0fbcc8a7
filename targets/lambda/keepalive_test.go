package lambda_test

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/testkit"
)

// drawnKeepalives starts n environments at once on blocking fakes and
// returns the keepalives their started events carry, sorted, once all of
// them have been reaped.
func drawnKeepalives(t *testing.T, cfg lambda.Config, n int) []time.Duration {
	t.Helper()
	var evs eventLog
	cfg.OnEvent = evs.add
	block := make(chan struct{})
	r, err := lambda.Run(context.Background(), &blockingProvider{block: block}, cfg)
	t.Cleanup(func() { r.Close(context.Background()) })
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if resp, err := http.Post(r.URL()+"/", "text/plain", nil); err == nil {
				resp.Body.Close()
			}
		})
	}
	testkit.Eventually(t, "all busy", func() bool { return r.Stats().Busy == n })
	close(block)
	wg.Wait()
	testkit.Eventually(t, "all reaped", func() bool { s := r.Stats(); return s.Reaped == n && s.Live == 0 })
	var kas []time.Duration
	for _, e := range evs.get() {
		if e.Kind == lambda.EventStarted {
			kas = append(kas, e.Keepalive)
		}
	}
	slices.Sort(kas)
	return kas
}

func TestKeepaliveDrawnFromRange(t *testing.T) {
	cfg := lambda.Config{Keepalive: 50 * time.Millisecond, KeepaliveMax: 250 * time.Millisecond, Seed: 7}
	kas := drawnKeepalives(t, cfg, 8)
	if len(kas) != 8 {
		t.Fatalf("%d keepalives drawn, want 8", len(kas))
	}
	for _, ka := range kas {
		if ka < cfg.Keepalive || ka > cfg.KeepaliveMax {
			t.Errorf("keepalive %v outside [%v, %v]", ka, cfg.Keepalive, cfg.KeepaliveMax)
		}
	}
	if kas[0] == kas[len(kas)-1] {
		t.Errorf("keepalives all %v: not spread", kas[0])
	}
	// The same seed draws the same keepalives.
	if again := drawnKeepalives(t, cfg, 8); !slices.Equal(again, kas) {
		t.Errorf("seed %d drew %v, then %v", cfg.Seed, kas, again)
	}
	// Without KeepaliveMax every environment gets Keepalive.
	for _, ka := range drawnKeepalives(t, lambda.Config{Keepalive: 50 * time.Millisecond}, 2) {
		if ka != 50*time.Millisecond {
			t.Errorf("fixed keepalive drew %v", ka)
		}
	}
}

func TestQueueHeaderWithFakes(t *testing.T) {
	r, err := lambda.Run(context.Background(), &fakeProvider{}, lambda.Config{})
	t.Cleanup(func() { r.Close(context.Background()) })
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		resp, _ := do(t, "GET", r.URL()+"/raw", "")
		q := resp.Header.Get(lambda.HeaderQueue)
		if resp.StatusCode != 200 || q == "" || q[0] == '-' {
			t.Errorf("request %d: %d %s=%q", i, resp.StatusCode, lambda.HeaderQueue, q)
		}
		if resp.Header.Get(lambda.HeaderProvisioned) != "false" {
			t.Errorf("request %d: %s=%q", i, lambda.HeaderProvisioned, resp.Header.Get(lambda.HeaderProvisioned))
		}
	}
}

func TestProvisionedAboveConcurrencyIsAnError(t *testing.T) {
	r, err := lambda.Run(context.Background(), &fakeProvider{}, lambda.Config{Concurrency: 2, Provisioned: 3})
	t.Cleanup(func() { r.Close(context.Background()) })
	if err == nil {
		t.Error("Run accepted Provisioned 3 with Concurrency 2")
	}
}
