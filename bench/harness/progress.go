package harness

import (
	"context"
	"fmt"
	"time"

	"github.com/coldbench/coldbench/bench/attack"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
)

// progress prints a line about target name every ProgressEvery until the
// returned function is called, which prints a last line.
func (r *runner) progress(ctx context.Context, name scenario.Target, began time.Time, rec *record.Recorder, s *sut) (stop func()) {
	phases := r.cfg.Scenario.Phases
	total := r.cfg.Scenario.Duration()
	line := func() {
		elapsed := time.Since(began)
		i, within := attack.PhaseAt(phases, elapsed)
		phase, rate := "done", 0.0
		if i < len(phases) {
			phase = fmt.Sprintf("%d/%d %s", i+1, len(phases), phases[i].Name)
			if p, _ := attack.Pacer(phases[i]); p != nil {
				rate = p.Rate(within)
			}
		}
		live := rec.Live()
		extra := ""
		if s.status != nil {
			extra = "  " + s.status()
		}
		if name == scenario.Lambda {
			extra = fmt.Sprintf("  cold %d", live.Cold) + extra
		}
		fmt.Fprintf(r.out, "%-6s [%s] %5.1fs/%.0fs  rate %4.0f/s  sent %d  errors %d%s\n",
			name, phase, min(elapsed, total).Seconds(), total.Seconds(), rate, live.Requests, live.Errors, extra)
	}
	tick := time.NewTicker(r.cfg.ProgressEvery)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for {
			select {
			case <-tick.C:
				line()
			case <-done:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	return func() {
		tick.Stop()
		close(done)
		<-finished
		line()
	}
}
