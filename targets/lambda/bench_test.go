package lambda_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/process"
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
		b.Fatalf("status %d", resp.StatusCode)
	}
	return resp
}

// BenchmarkWarmInvoke measures a warm request through the router to one
// real RIE process.
func BenchmarkWarmInvoke(b *testing.B) {
	bins := kit.Binaries(b)
	r, err := lambda.Run(context.Background(), process.New(bins.RIE, bins.Bootstrap), lambda.Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close(context.Background())
	client := &http.Client{}
	benchPost(b, client, r.URL())
	for b.Loop() {
		benchPost(b, client, r.URL())
	}
}

// BenchmarkColdInvoke measures the first request of a fresh router: an RIE
// process start, the bootstrap's lazy init and the invoke.
func BenchmarkColdInvoke(b *testing.B) {
	bins := kit.Binaries(b)
	p := process.New(bins.RIE, bins.Bootstrap)
	client := &http.Client{}
	var sandbox time.Duration
	for b.Loop() {
		b.StopTimer()
		r, err := lambda.Run(context.Background(), p, lambda.Config{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		resp := benchPost(b, client, r.URL())
		b.StopTimer()
		us, _ := strconv.Atoi(resp.Header.Get(lambda.HeaderSandbox))
		sandbox += time.Duration(us) * time.Microsecond
		r.Close(context.Background())
		client.CloseIdleConnections()
		b.StartTimer()
	}
	b.ReportMetric(float64(sandbox.Microseconds())/float64(b.N), "sandbox-µs/op")
}

// BenchmarkWarmInvokeDirect measures a warm invoke sent straight to the
// RIE, without the router: the difference to BenchmarkWarmInvoke is the
// router's overhead.
func BenchmarkWarmInvokeDirect(b *testing.B) {
	bins := kit.Binaries(b)
	env, err := process.New(bins.RIE, bins.Bootstrap).Start(context.Background(), lambda.Spec{})
	if env != nil {
		defer env.Stop(context.Background())
	}
	if err != nil {
		b.Fatal(err)
	}
	const ev = `{"version":"2.0","routeKey":"$default","rawPath":"/order","requestContext":{"http":{"method":"POST","path":"/order"}},"body":"{\"item\":1}"}`
	client := &http.Client{}
	invoke := func() {
		resp, err := client.Post(env.InvokeURL(), "application/json", strings.NewReader(ev))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	invoke()
	for b.Loop() {
		invoke()
	}
}
