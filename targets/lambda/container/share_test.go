package container_test

import (
	"context"
	"net/http"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/container"
	"github.com/coldbench/coldbench/targets/order"
)

// shareWork is the CPU work of every request of BenchmarkContainerCPUShare,
// that of scenarios/power-tuning.yaml.
const shareWork = 4 * time.Millisecond

// BenchmarkContainerCPUShare measures the CPU share a function of each
// memory size of a power-tuning sweep gets in a container: warm invokes,
// through the router, of one container whose handler does shareWork of
// calibrated CPU work per request. It reports the vCPU the container was
// given (vcpu, container.Resources on this machine; capped 1 when this
// machine's CPUs cut it below Lambda's proportion) and the share the
// handler got, shareWork over the wall time of a request (share; a lower
// bound: the wall time includes the router's and the RIE's round trips,
// about 1.4 ms here). ns/op is the wall time of a request.
func BenchmarkContainerCPUShare(b *testing.B) {
	p, _, _ := newProvider(b)
	work := order.Work{Request: shareWork, Rate: order.Calibrate()}
	for _, mb := range []int{128, 256, 512, 1024, 1536, 1769, 3008, 3538, 5308} {
		b.Run(strconv.Itoa(mb)+"MB", func(b *testing.B) {
			_, nano, capped := container.Resources(mb, runtime.NumCPU())
			r, err := lambda.Run(context.Background(), p, lambda.Config{Function: lambda.Spec{MemoryMB: mb, Env: work.EnvMap()}})
			if err != nil {
				b.Fatal(err)
			}
			defer r.Close(context.Background())
			client := &http.Client{}
			benchPost(b, client, r.URL()) // the cold start, at two vCPUs
			var wall time.Duration
			for b.Loop() {
				t0 := time.Now()
				benchPost(b, client, r.URL())
				wall += time.Since(t0)
			}
			b.ReportMetric(float64(nano)/1e9, "vcpu")
			b.ReportMetric(float64(shareWork)*float64(b.N)/float64(wall), "share")
			b.ReportMetric(map[bool]float64{false: 0, true: 1}[capped], "capped")
		})
	}
}
