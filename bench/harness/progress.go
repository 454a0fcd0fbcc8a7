package harness

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/coldbench/coldbench/bench/attack"
	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
)

// progress prints a line about target name every ProgressEvery until the
// returned function is called, which prints a last line.
func (r *runner) progress(ctx context.Context, t scenario.Target, began time.Time, rec *record.Recorder, target kinds.Running) (stop func()) {
	phases := r.cfg.Scenario.Phases
	total := r.cfg.Scenario.Duration()
	line := func(final bool) {
		elapsed := time.Since(began)
		if elapsed >= total && !final {
			return // the schedule is over; the final line follows
		}
		i, within := attack.PhaseAt(phases, elapsed)
		phase, rate := "[done]", "rate    0/s"
		if i < len(phases) {
			phase = fmt.Sprintf("[%d/%d %s]", i+1, len(phases), phases[i].Name)
			if phases[i].Max {
				rate = fmt.Sprintf("rate max (%d in flight)", phases[i].Workers)
			} else if p, _ := attack.Pacer(phases[i]); p != nil {
				rate = fmt.Sprintf("rate %4.0f/s", p.Rate(within))
			}
		}
		live := rec.Live()
		extra := ""
		if s, ok := target.(kinds.Statuser); ok {
			extra = "  " + s.Status()
		}
		if slices.Contains(t.Classes, string(record.Cold)) {
			extra = fmt.Sprintf("  cold %d", live.Cold) + extra
		}
		fmt.Fprintf(r.out, "%-*s %-18s %6.1fs/%gs  %s  sent %6d  errors %d%s\n",
			width(r.cfg.Scenario), t.Name, phase, min(elapsed, total).Seconds(), total.Seconds(), rate, live.Requests, live.Errors, extra)
	}
	tick := time.NewTicker(r.cfg.ProgressEvery)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for {
			select {
			case <-tick.C:
				line(false)
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
		line(true)
	}
}

// printResults prints one line per target and class of the summary: what a
// user wants to see before opening the report.
func printResults(w io.Writer, targets []*record.Target, sum *runs.Summary) {
	width := 6
	for _, t := range targets {
		width = max(width, len(t.Name))
	}
	ms := func(us int64) string {
		if v := float64(us) / 1000; v < 100 {
			return fmt.Sprintf("%.3g ms", v)
		} else {
			return fmt.Sprintf("%.0f ms", v)
		}
	}
	for _, t := range targets {
		ts := sum.Targets[t.Name]
		for _, c := range []record.Class{record.All, record.Warm, record.Cold} {
			st, ok := ts.Classes[c]
			if !ok || st.Requests == 0 {
				continue
			}
			fmt.Fprintf(w, "%-*s %-4s %6d requests  %d errors", width, t.Name, c, st.Requests, st.Errors)
			if st.OK > 0 {
				fmt.Fprintf(w, "  p50 %s  p99 %s  p99.9 %s  max %s", ms(st.P50), ms(st.P99), ms(st.P999), ms(st.Max))
			}
			if n := st.Net; n != nil && st.WaitShare != nil {
				fmt.Fprintf(w, "  | less host wait (%.0f%%): p50 %s  p99 %s", 100**st.WaitShare, ms(n.P50), ms(n.P99))
			}
			fmt.Fprintln(w)
		}
		if a := ts.NetAnatomy; a != nil && ts.Anatomy != nil {
			fmt.Fprintf(w, "%-*s INIT p50 %s under load, %s less host wait\n", width, t.Name,
				ms(ts.Anatomy.Parts[record.Init].P50), ms(a.Parts[record.Init].P50))
		}
		if sim := t.Simulation; sim != nil {
			tt := sim.Total
			fmt.Fprintf(w, "%-*s whole trace simulated (%s, %d requests): %d cold starts, %d throttled, peak concurrency %d, %.4g environment-hours\n",
				width, t.Name, sim.Span, tt.Requests, tt.ColdStarts, tt.Throttled+tt.ScaleThrottled, tt.PeakConcurrency, tt.EnvironmentSeconds/3600)
		}
	}
}

// width is the width of the target column of the progress lines: the
// longest name, at least 6.
func width(sc *scenario.Scenario) int {
	w := 6
	for _, n := range sc.Names() {
		w = max(w, len(n))
	}
	return w
}
