package harness

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/coldbench/coldbench/bench/report"
	"github.com/coldbench/coldbench/bench/verdict"
)

// ErrObjectivesBroken is returned (wrapped) by Run when the run broke one of
// the scenario's objectives. The run folder and its report are complete.
var ErrObjectivesBroken = errors.New("objectives broken")

// printObjectives writes how the run fared against each objective.
func printObjectives(w io.Writer, outcomes []verdict.Outcome) {
	if len(outcomes) == 0 {
		return
	}
	broken := len(verdict.Broken(outcomes))
	fmt.Fprintf(w, "objectives: %d of %d met", len(outcomes)-broken, len(outcomes))
	if broken > 0 {
		fmt.Fprintf(w, ", %d broken", broken)
	}
	fmt.Fprintln(w)
	for _, o := range outcomes {
		mark := "ok    "
		switch {
		case o.NoData:
			mark = "no data"
		case o.Broken():
			mark = "BROKEN"
		}
		view := ""
		if o.Net && !o.NoData {
			view = " (less host wait)"
		}
		fmt.Fprintf(w, "  %-6s %s%s\n", mark, o, view)
	}
}

// printUncertain warns when some series' latency was mostly host wait:
// this machine was too busy for even the figures less host wait.
func printUncertain(w io.Writer, series []string) {
	if len(series) == 0 {
		return
	}
	fmt.Fprintf(w, "warning: host wait was more than %.0f%% of the latency of %s: this machine was too busy, and figures less host wait are uncertain too; run on a quieter or larger machine, or at a lower rate\n",
		100*report.UncertainShare, strings.Join(series, ", "))
}

// objectivesError returns an error wrapping ErrObjectivesBroken that names
// the broken objectives, or nil when none is. An objective written for a
// memory sweep chooses among its sizes: those of its copies that sizes
// break fail the gate only if no size of the sweep meets every objective
// naming it (sizes, the verdict's best sizes).
func objectivesError(outcomes []verdict.Outcome, sizes []verdict.BestSize) error {
	var broken []verdict.Outcome
	for _, o := range verdict.Broken(outcomes) {
		if o.Sweep != "" && slices.ContainsFunc(sizes, func(b verdict.BestSize) bool { return b.Sweep == o.Sweep && b.Target != "" }) {
			continue
		}
		broken = append(broken, o)
	}
	if len(broken) == 0 {
		return nil
	}
	names := make([]string, len(broken))
	for i, o := range broken {
		names[i] = o.String()
	}
	return fmt.Errorf("%w: %s", ErrObjectivesBroken, strings.Join(names, "; "))
}
