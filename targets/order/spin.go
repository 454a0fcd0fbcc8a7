package order

import (
	"math/bits"
	"runtime"
	"time"

	"golang.org/x/sys/unix"
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
// millisecond of CPU: the best of a few runs of about 10ms each, so it
// takes roughly 50ms of CPU. Each run is timed by its thread's own CPU
// clock (CLOCK_THREAD_CPUTIME_ID, on a locked OS thread), not the wall
// clock: on a busy machine a run is preempted, and wall time would count
// the waits too (here, calibrating beside a browser and a package install
// gave a third of the quiet figure, so the function's 20 ms of INIT work
// ran in 7 ms). Where the thread clock cannot be read it falls back to the
// wall clock.
func Calibrate() (iterationsPerMs float64) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	clock := func() time.Duration { d, _ := threadCPU(); return d }
	if _, ok := threadCPU(); !ok {
		start := time.Now()
		clock = func() time.Duration { return time.Since(start) }
	}
	elapsed := func(run func()) time.Duration {
		t0 := clock()
		run()
		return clock() - t0
	}
	const target = 10 * time.Millisecond
	n := 1 << 14
	// Grow n until one run takes at least target.
	for {
		d := elapsed(func() { Spin(n) })
		if d >= target || n >= 1<<40 {
			break
		} else if d < target/8 {
			n *= 8
		} else {
			n *= 2
		}
	}
	best := 0.0
	for range 3 {
		ms := float64(elapsed(func() { Spin(n) })) / float64(time.Millisecond)
		if ms <= 0 {
			continue
		}
		if r := float64(n) / ms; r > best {
			best = r
		}
	}
	return best
}

// threadCPU reads the calling thread's CPU clock.
func threadCPU() (time.Duration, bool) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0, false
	}
	return time.Duration(ts.Nano()), true
}
