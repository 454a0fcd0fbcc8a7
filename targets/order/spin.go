package order

import (
	"math/bits"
	"time"
)

// Spin does n iterations of a hash chain (a 64-bit multiply-xorshift mix,
// each step depending on the previous one) and returns the result, so the
// compiler can neither elide nor parallelise the work.
//
//go:noinline
func Spin(n int) uint64 {
	x := uint64(0x9e3779b97f4a7c15)
	for i := 0; i < n; i++ {
		x ^= x >> 31
		hi, lo := bits.Mul64(x, 0xbf58476d1ce4e5b9)
		x = hi ^ lo ^ uint64(i)
	}
	return x
}

// Calibrate measures how many Spin iterations this machine does per
// millisecond: the best of a few runs of about 10ms each, so it takes
// roughly 50ms.
func Calibrate() (iterationsPerMs float64) {
	const target = 10 * time.Millisecond
	n := 1 << 14
	// Grow n until one run takes at least target.
	for {
		start := time.Now()
		Spin(n)
		if d := time.Since(start); d >= target || n >= 1<<40 {
			break
		} else if d < target/8 {
			n *= 8
		} else {
			n *= 2
		}
	}
	best := 0.0
	for range 3 {
		start := time.Now()
		Spin(n)
		ms := float64(time.Since(start)) / float64(time.Millisecond)
		if ms <= 0 {
			continue
		}
		if r := float64(n) / ms; r > best {
			best = r
		}
	}
	return best
}
