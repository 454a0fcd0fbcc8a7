package record

import "sync/atomic"

// Live holds counters that another goroutine may read while a run goes on.
type Live struct {
	requests, errors, cold atomic.Int64
}

// LiveCounts is a reading of Live.
type LiveCounts struct {
	Requests, Errors, Cold int64
}

func (l *Live) add(ok, cold bool) {
	l.requests.Add(1)
	if !ok {
		l.errors.Add(1)
	}
	if cold {
		l.cold.Add(1)
	}
}

func (l *Live) load() LiveCounts {
	return LiveCounts{Requests: l.requests.Load(), Errors: l.errors.Load(), Cold: l.cold.Load()}
}
