package lambda

import "time"

// scaleWindow limits how many environments start in any sliding window:
// Lambda's concurrency scaling rate, 1,000 new environments per 10 seconds
// per function. Its methods are called with the fleet's lock held.
type scaleWindow struct {
	rate   int           // zero: unlimited
	window time.Duration //
	starts []time.Time   // start times within the window, ascending
}

// allow records a start at now and reports true, or reports false if
// rate environments already started within the window before now.
func (w *scaleWindow) allow(now time.Time) bool {
	if w.rate <= 0 {
		return true
	}
	cutoff := now.Add(-w.window)
	n := 0
	for n < len(w.starts) && !w.starts[n].After(cutoff) {
		n++
	}
	if n > 0 {
		w.starts = append(w.starts[:0], w.starts[n:]...)
	}
	if len(w.starts) >= w.rate {
		return false
	}
	w.starts = append(w.starts, now)
	return true
}
