package record_test

import (
	"bufio"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
)

// benchStep is the time between two results in the benchmarks: 10,000
// requests per second, so an interval (1 s) is flushed to the interval log
// every 10,000 results, as in a fast run.
const benchStep = 100 * time.Microsecond

// benchPhases returns one long phase, so that every result lands in it.
func benchPhases() []scenario.Phase {
	return []scenario.Phase{{Name: "max", Duration: time.Hour, Shape: scenario.Constant, Max: true, Workers: 32}}
}

// serverResult is a result as vegeta returns it for a 201 of the server.
func serverResult(began time.Time) *vegeta.Result {
	return &vegeta.Result{
		Attack: "server/max", Timestamp: began, Latency: 180 * time.Microsecond,
		Code: 201, BytesOut: 30, BytesIn: 14, Body: []byte("Order created!"),
		Method: http.MethodPost, URL: "http://127.0.0.1:40000/order",
		Headers: http.Header{
			"Content-Type":   {"text/plain; charset=utf-8"},
			"Content-Length": {"14"},
			"Date":           {"Mon, 02 Jan 2006 15:04:05 GMT"},
		},
	}
}

// warmResult is a result as vegeta returns it for a warm 201 relayed by the
// router, with the headers the router and the function set.
func warmResult(began time.Time) *vegeta.Result {
	r := serverResult(began)
	r.Attack, r.URL, r.Latency = "lambda/max", "http://127.0.0.1:40001/order", 600*time.Microsecond
	r.Headers.Set(lambda.HeaderRequestID, "8f5b2c1e-1d2a-4c3b-9e8f-0a1b2c3d4e5f")
	r.Headers.Set(lambda.HeaderEnv, "env-17")
	r.Headers.Set(lambda.HeaderCold, "false")
	r.Headers.Set(lambda.HeaderProvisioned, "false")
	r.Headers.Set(lambda.HeaderQueue, "35")
	r.Headers.Set(lambda.HeaderFunctionCold, "false")
	return r
}

// benchAdd measures Recorder.Add for results like res, step apart, with
// finished intervals going to an interval log on io.Discard, and, if encode,
// each result also vegeta-encoded to a buffered io.Discard under a mutex, as
// the harness's sink does for results.bin.
func benchAdd(b *testing.B, target string, res func(time.Time) *vegeta.Result, step time.Duration, encode bool) {
	began := time.UnixMilli(1_700_000_000_000)
	rec := record.New(scenario.Target{Name: target, Kind: scenario.Kind(target)}, benchPhases(), began, hdrhistogram.NewHistogramLogWriter(io.Discard))
	enc := vegeta.NewEncoder(bufio.NewWriterSize(io.Discard, 1<<16))
	var mu sync.Mutex // the harness's, shared by targets run at once
	r := res(began)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		r.Timestamp = began.Add(time.Duration(i) * step)
		r.Seq = uint64(i)
		rec.Add(0, r, r.Timestamp)
		if encode {
			mu.Lock()
			err := enc.Encode(r)
			mu.Unlock()
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	if _, err := rec.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAddServer is the cost of recording one server result, the
// interval flushes of a 10,000 requests/s run included.
func BenchmarkAddServer(b *testing.B) { benchAdd(b, "server", serverResult, benchStep, false) }

// BenchmarkAddLambdaWarm is the cost of recording one warm Lambda result,
// which goes into the all and warm classes and the router's queue histogram.
func BenchmarkAddLambdaWarm(b *testing.B) { benchAdd(b, "lambda", warmResult, benchStep, false) }

// BenchmarkSinkServer is what the harness does per server result: record it
// and append it to results.bin in vegeta's encoding.
func BenchmarkSinkServer(b *testing.B) { benchAdd(b, "server", serverResult, benchStep, true) }

// BenchmarkSinkLambdaWarm is what the harness does per warm Lambda result.
func BenchmarkSinkLambdaWarm(b *testing.B) { benchAdd(b, "lambda", warmResult, benchStep, true) }

// BenchmarkIntervalServer puts every result in an interval of its own, so
// each Add also ends an interval: its percentiles, the interval log (all and
// all/corrected) and the reset. This is the per-second cost that
// BenchmarkAddServer spreads over 10,000 results.
func BenchmarkIntervalServer(b *testing.B) {
	benchAdd(b, "server", serverResult, record.DefaultInterval, false)
}

// BenchmarkIntervalLambdaWarm is BenchmarkIntervalServer for a warm Lambda
// result: five interval histograms logged (all, warm, their corrected
// twins, queue).
func BenchmarkIntervalLambdaWarm(b *testing.B) {
	benchAdd(b, "lambda", warmResult, record.DefaultInterval, false)
}

// BenchmarkEncode is the vegeta encoding of one server result alone, the
// part of the sink that is not Recorder.Add.
func BenchmarkEncode(b *testing.B) {
	enc := vegeta.NewEncoder(bufio.NewWriterSize(io.Discard, 1<<16))
	r := serverResult(time.UnixMilli(1_700_000_000_000))
	b.ReportAllocs()
	for i := range b.N {
		r.Seq = uint64(i)
		if err := enc.Encode(r); err != nil {
			b.Fatal(err)
		}
	}
}
