package harness

import (
	"fmt"
	"io"
	"strings"

	"github.com/coldbench/coldbench/bench/tuning"
	"github.com/coldbench/coldbench/bench/verdict"
)

// printSizes prints, for each memory sweep, the best size for the
// scenario's objectives (the verdict's) and the size each of Power
// Tuning's strategies chooses.
func printSizes(w io.Writer, best []verdict.BestSize, sweeps []tuning.Sweep) {
	for _, b := range best {
		switch {
		case b.Target == "":
			fmt.Fprintf(w, "best size of %s: none of its sizes meets every objective naming it\n", b.Sweep)
		case b.Priced:
			fmt.Fprintf(w, "best size of %s: %d MB (%s), the cheapest of its sizes that meets every objective naming it, $%.2f/month\n", b.Sweep, b.MemoryMB, b.Target, b.Monthly)
		default:
			fmt.Fprintf(w, "best size of %s: %d MB (%s) meets every objective naming it, but has no price to rank it by\n", b.Sweep, b.MemoryMB, b.Target)
		}
	}
	for _, sw := range sweeps {
		var parts []string
		for _, c := range sw.Choices {
			label := string(c.Strategy)
			if c.Strategy == tuning.Balanced {
				label += fmt.Sprintf(" (weight %g)", sw.Weight)
			}
			parts = append(parts, fmt.Sprintf("%s %d MB", label, c.MemoryMB))
		}
		if len(parts) > 0 {
			fmt.Fprintf(w, "power tuning of %s (duration: corrected p99 of all requests): %s\n", sw.Base, strings.Join(parts, ", "))
		}
	}
}
