package container_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/order"
)

func benchPost(b *testing.B, client *http.Client, url string) *http.Response {
	resp, err := client.Post(url+order.Path, "application/json", strings.NewReader(`{"item":1}`))
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		b.Fatalf("status %d: %s", resp.StatusCode, resp.Header.Get(lambda.HeaderError))
	}
	return resp
}

// headerMicros reads a header holding microseconds.
func headerMicros(resp *http.Response, name string) time.Duration {
	us, _ := strconv.ParseInt(resp.Header.Get(name), 10, 64)
	return time.Duration(us) * time.Microsecond
}

// benchMemory are the function memories the benchmarks run with: Lambda's
// default, 7% of a CPU, and one whole vCPU.
var benchMemory = []int{128, 1769}

// BenchmarkContainerColdStart measures the first request of a fresh router
// over containers, without a pool (pool=0: a container start until the RIE
// answers, reported as sandbox-µs/op) and with one (pool=1: the sandbox
// was started by Run, before the timer), then the bootstrap's lazy init
// (init-µs/op) and the invoke. No platform delay is modelled.
func BenchmarkContainerColdStart(b *testing.B) {
	p, _, _ := newProvider(b)
	for _, pool := range []int{0, 1} {
		for _, mb := range benchMemory {
			b.Run("pool="+strconv.Itoa(pool)+"/"+strconv.Itoa(mb)+"MB", func(b *testing.B) {
				cfg := lambda.Config{Function: lambda.Spec{MemoryMB: mb}, Pool: pool}
				client := &http.Client{}
				var sandbox, init time.Duration
				for b.Loop() {
					b.StopTimer()
					r, err := lambda.Run(context.Background(), p, cfg)
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					resp := benchPost(b, client, r.URL())
					b.StopTimer()
					if resp.Header.Get(lambda.HeaderCold) != "true" {
						b.Fatal("first request not cold")
					}
					sandbox += headerMicros(resp, lambda.HeaderSandbox)
					init += headerMicros(resp, lambda.HeaderInit)
					if err := r.Close(context.Background()); err != nil {
						b.Fatal(err)
					}
					client.CloseIdleConnections()
					b.StartTimer()
				}
				b.ReportMetric(float64(sandbox.Microseconds())/float64(b.N), "sandbox-µs/op")
				b.ReportMetric(float64(init.Microseconds())/float64(b.N), "init-µs/op")
			})
		}
	}
}

// BenchmarkContainerWarmInvoke measures a warm request through the router
// to one container.
func BenchmarkContainerWarmInvoke(b *testing.B) {
	p, _, _ := newProvider(b)
	for _, mb := range benchMemory {
		b.Run(strconv.Itoa(mb)+"MB", func(b *testing.B) {
			r, err := lambda.Run(context.Background(), p, lambda.Config{Function: lambda.Spec{MemoryMB: mb}})
			if err != nil {
				b.Fatal(err)
			}
			defer r.Close(context.Background())
			client := &http.Client{}
			benchPost(b, client, r.URL())
			for b.Loop() {
				benchPost(b, client, r.URL())
			}
			if s := r.Stats(); s.Started != 1 {
				b.Errorf("%d environments started, want 1", s.Started)
			}
		})
	}
}

// BenchmarkContainerWarmInvokeRefilling measures what refilling the
// sandbox pool costs warm requests: warm invokes of one container at 1,769
// MB (one vCPU), with nothing else running (refill=off), and while
// sandboxes are started the way the pool refills, one at a time with the
// router's pause between them, each removed again as a used one is
// (refill=on). It reports the warm latency's p50 and p99 (p50-µs, p99-µs)
// and, for refill=on, how many sandboxes were started.
func BenchmarkContainerWarmInvokeRefilling(b *testing.B) {
	p, _, _ := newProvider(b)
	for _, refill := range []bool{false, true} {
		b.Run("refill="+map[bool]string{false: "off", true: "on"}[refill], func(b *testing.B) {
			r, err := lambda.Run(context.Background(), p, lambda.Config{Function: lambda.Spec{MemoryMB: 1769}})
			if err != nil {
				b.Fatal(err)
			}
			defer r.Close(context.Background())
			client := &http.Client{}
			benchPost(b, client, r.URL())
			ctx, cancel := context.WithCancel(context.Background())
			started := make(chan int, 1)
			go func() {
				n := 0
				defer func() { started <- n }()
				for refill && ctx.Err() == nil {
					e, err := p.Start(ctx, lambda.Spec{MemoryMB: 1769})
					if e != nil {
						e.Stop(context.Background())
					}
					if err == nil {
						n++
					}
					select {
					case <-ctx.Done():
					case <-time.After(lambda.RefillGap):
					}
				}
			}()
			h := hdrhistogram.New(1, 60_000_000, 3)
			for b.Loop() {
				t0 := time.Now()
				benchPost(b, client, r.URL())
				h.RecordValue(time.Since(t0).Microseconds())
			}
			cancel()
			n := <-started
			b.ReportMetric(float64(h.ValueAtQuantile(50)), "p50-µs")
			b.ReportMetric(float64(h.ValueAtQuantile(99)), "p99-µs")
			if refill {
				b.ReportMetric(float64(n), "sandboxes")
			}
		})
	}
}
