package lambdakind

import (
	"sync"
	"time"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/targets/lambda"
)

// timeline collects the router's environment events while a target runs.
// The router calls add from its goroutines.
type timeline struct {
	mu     sync.Mutex
	began  time.Time // the schedule's start; zero until it starts
	events []lambda.Event
}

func (tl *timeline) add(ev lambda.Event) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	tl.events = append(tl.events, ev)
}

// start sets the start of the schedule, which offsets are taken from.
func (tl *timeline) start(t time.Time) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	tl.began = t
}

// record returns the events as offsets from the start of the schedule.
func (tl *timeline) record() []record.EnvEvent {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	out := make([]record.EnvEvent, len(tl.events))
	for i, ev := range tl.events {
		out[i] = record.EnvEvent{Offset: ev.Time.Sub(tl.began), Env: ev.Env, Kind: ev.Kind.String(), Provisioned: ev.Provisioned, Live: ev.Live, Pool: string(ev.Pool)}
	}
	return out
}
