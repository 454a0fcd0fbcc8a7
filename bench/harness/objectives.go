package harness

import (
	"errors"
	"fmt"
	"io"
	"strings"

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
		fmt.Fprintf(w, "  %-6s %s\n", mark, o)
	}
}

// objectivesError returns an error wrapping ErrObjectivesBroken that names
// the broken objectives, or nil when none is.
func objectivesError(outcomes []verdict.Outcome) error {
	broken := verdict.Broken(outcomes)
	if len(broken) == 0 {
		return nil
	}
	names := make([]string, len(broken))
	for i, o := range broken {
		names[i] = o.String()
	}
	return fmt.Errorf("%w: %s", ErrObjectivesBroken, strings.Join(names, "; "))
}
