package harness

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
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

// writeTimeline writes the events of target as rows of environments.csv in
// dir: seconds from the start of the schedule, environment, kind,
// provisioned, environments live after it, and, for a started on-demand
// environment of a pool, hit (a pooled sandbox) or miss (started on
// demand).
func writeTimeline(dir string, events []record.EnvEvent) error {
	f, err := os.Create(filepath.Join(dir, runs.EnvironmentsFile))
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"time_s", "env", "event", "provisioned", "live", "pool"})
	for _, ev := range events {
		w.Write([]string{strconv.FormatFloat(ev.Offset.Seconds(), 'f', 3, 64), ev.Env, ev.Kind, strconv.FormatBool(ev.Provisioned), strconv.Itoa(ev.Live), ev.Pool})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
