package lambda

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Delay is a modelled duration: what a local sandbox cannot reproduce of a
// real cold start (placement on a worker, a Firecracker microVM's start or
// restore, the code's download), waited before a cold start's first invoke
// and reported apart from what was measured. The zero Delay is none.
//
// A Delay is fixed (Min only), uniform over [Min, Max], or log-normal with
// median P50 and 99th percentile P99, truncated at Max when Max is set.
type Delay struct {
	Min, Max time.Duration
	P50, P99 time.Duration
}

// Zero reports whether d waits nothing.
func (d Delay) Zero() bool { return d == Delay{} }

// LogNormal reports whether d is a log-normal distribution.
func (d Delay) LogNormal() bool { return d.P50 > 0 }

// Validate says what is wrong with d, if anything.
func (d Delay) Validate() error {
	switch {
	case d.Min < 0 || d.Max < 0 || d.P50 < 0 || d.P99 < 0:
		return fmt.Errorf("negative duration in %v", d)
	case d.LogNormal() && d.P99 < d.P50:
		return fmt.Errorf("p99 %v below p50 %v", d.P99, d.P50)
	case d.LogNormal() && d.Max > 0 && d.Max < d.P50:
		return fmt.Errorf("max %v below p50 %v", d.Max, d.P50)
	case !d.LogNormal() && d.Max > 0 && d.Max < d.Min:
		return fmt.Errorf("max %v below min %v", d.Max, d.Min)
	}
	return nil
}

// z99 is the standard normal's 99th percentile.
const z99 = 2.3263478740408408

// Draw draws one duration from d with rng.
func (d Delay) Draw(rng *rand.Rand) time.Duration {
	switch {
	case d.LogNormal():
		sigma := 0.0
		if d.P99 > d.P50 {
			sigma = math.Log(float64(d.P99)/float64(d.P50)) / z99
		}
		v := time.Duration(float64(d.P50) * math.Exp(sigma*rng.NormFloat64()))
		v = max(v, d.Min)
		if d.Max > 0 {
			v = min(v, d.Max)
		}
		return v
	case d.Max > d.Min:
		return d.Min + time.Duration(rng.Int64N(int64(d.Max-d.Min)+1))
	}
	return d.Min
}

// String describes d as a scenario would write it.
func (d Delay) String() string {
	switch {
	case d.Zero():
		return "0"
	case d.LogNormal():
		s := fmt.Sprintf("log-normal, p50 %v, p99 %v", d.P50, d.P99)
		if d.Max > 0 {
			s += fmt.Sprintf(", at most %v", d.Max)
		}
		return s
	case d.Max > d.Min:
		return fmt.Sprintf("uniform %v-%v", d.Min, d.Max)
	}
	return d.Min.String()
}
